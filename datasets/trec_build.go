package datasets

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"
)

// This file turns the parsed chunks of TREC files into the shared ID space
// (a deterministic merge of the chunks' dictionaries) and into Rankings and
// judgments.

// trecFile is one TREC file being read.
type trecFile struct {
	path    string
	kind    trecFileKind
	data    []byte
	release func()
	chunks  []*trecChunk
	base    []int // row index of each chunk's first row; base[len(chunks)] = rows

	// Rows in file order, after interning.
	u     []int32 // user index
	d     []int32 // docno text code (index in the sorted union of docnos)
	t     []int32 // runs with several tags: tag code; nil with one tag
	score []float64
	rank  []int64
	rel   []float32
	tags  []string // runs: the tags, sorted
}

func readTrec(qrelsPath string, runPaths []string, cfg trecConfig) (*TrecQrels, []*TrecRun, error) {
	var files []*trecFile
	if qrelsPath != "" {
		files = append(files, &trecFile{path: qrelsPath, kind: trecQrelsFile})
	}
	for _, p := range runPaths {
		files = append(files, &trecFile{path: p, kind: trecRunFile})
	}
	defer func() {
		for _, f := range files {
			if f.release != nil {
				f.release()
			}
		}
	}()
	for _, f := range files {
		data, release, err := readFileData(f.path)
		if err != nil {
			return nil, nil, err
		}
		f.data, f.release = data, release
		f.chunks = trecChunks(data, cfg.workers)
	}

	// Parse every chunk of every file, at most cfg.workers at a time.
	sem := make(chan struct{}, cfg.workers)
	var wg sync.WaitGroup
	for _, f := range files {
		for _, c := range f.chunks {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				if f.kind == trecRunFile {
					c.parseRun(f.data, cfg.order == TrecOrderRank)
				} else {
					c.parseQrels(f.data)
				}
			})
		}
	}
	wg.Wait()
	for _, f := range files {
		f.base = make([]int, len(f.chunks)+1)
		for i, c := range f.chunks {
			if c.err != nil {
				c.err.File = f.path
				c.err.Line += int64(bytes.Count(f.data[:c.start], []byte{'\n'}))
				return nil, nil, c.err
			}
			f.base[i+1] = f.base[i] + len(c.q)
		}
		if f.base[len(f.chunks)] == 0 {
			what, fix := "run", runFix
			if f.kind == trecQrelsFile {
				what, fix = "qrels", qrelsFix
			}
			return nil, nil, &Error{File: f.path, Msg: "the " + what + " file has no data line", Fix: fix, Err: ErrEmpty}
		}
		if f.base[len(f.chunks)] > math.MaxInt32 {
			return nil, nil, &Error{File: f.path, Msg: "more than 2^31-1 lines", Fix: "split the file", Err: ErrValue}
		}
	}

	// One ID space for every file: the sorted union of the texts.
	var qd, dd []*trecDict
	for _, f := range files {
		for _, c := range f.chunks {
			qd = append(qd, &c.qid)
			dd = append(dd, &c.doc)
		}
	}
	qtexts, qmaps := unionTexts(qd, cfg.workers)
	dtexts, dmaps := unionTexts(dd, cfg.workers)
	users, userOf := indexTexts(qtexts, cfg.users)
	items, itemOf := indexTexts(dtexts, cfg.items)

	k := 0
	for _, f := range files {
		if err := f.flatten(qmaps[k:k+len(f.chunks)], dmaps[k:k+len(f.chunks)], userOf, itemOf, cfg.workers); err != nil {
			return nil, nil, err
		}
		k += len(f.chunks)
	}

	var qrels *TrecQrels
	var runs []*TrecRun
	for _, f := range files {
		if f.kind == trecQrelsFile {
			m, err := f.buildQrels(users.Len(), items.Len(), itemOf, cfg.workers)
			if err != nil {
				return nil, nil, err
			}
			qrels = &TrecQrels{Users: users, Items: items, Judgments: m}
			continue
		}
		rk, err := f.buildRun(users.Len(), items.Len(), itemOf, cfg.order, cfg.workers)
		if err != nil {
			return nil, nil, err
		}
		runs = append(runs, &TrecRun{Users: users, Items: items, Rankings: rk})
	}
	return qrels, runs, nil
}

// unionTexts returns the texts of dicts sorted ascending as byte strings
// without repeats, and for each dict the map from its local codes to
// indices in that union. The result does not depend on how the texts were
// split into dicts.
func unionTexts(dicts []*trecDict, workers int) ([]string, [][]int32) {
	orders := make([][]sortedText, len(dicts))
	parallelFor(len(dicts), workers, func(i int) { orders[i] = dicts[i].sorted() })
	maps := make([][]int32, len(dicts))
	total := 0
	for i, d := range dicts {
		maps[i] = make([]int32, d.len())
		total = max(total, len(d.arena))
	}
	// k-way merge with a binary heap of dict indices.
	pos := make([]int, len(dicts))
	compare := func(a, b int) int {
		x, y := orders[a][pos[a]], orders[b][pos[b]]
		if x.prefix != y.prefix {
			if x.prefix < y.prefix {
				return -1
			}
			return 1
		}
		return bytes.Compare(dicts[a].text(x.code), dicts[b].text(y.code))
	}
	h := make([]int, 0, len(dicts))
	less := func(a, b int) bool {
		if c := compare(h[a], h[b]); c != 0 {
			return c < 0
		}
		return h[a] < h[b]
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			m := l
			if r := l + 1; r < len(h) && less(r, l) {
				m = r
			}
			if !less(m, i) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for i := range dicts {
		if len(orders[i]) > 0 {
			h = append(h, i)
		}
	}
	for i := len(h)/2 - 1; i >= 0; i-- {
		down(i)
	}
	arena := make([]byte, 0, total)
	offs := []int{0}
	for len(h) > 0 {
		i := h[0]
		t := dicts[i].text(orders[i][pos[i]].code)
		if n := len(offs) - 1; n == 0 || !bytes.Equal(arena[offs[n-1]:], t) {
			arena = append(arena, t...)
			offs = append(offs, len(arena))
		}
		maps[i][orders[i][pos[i]].code] = int32(len(offs) - 2)
		pos[i]++
		if pos[i] == len(orders[i]) {
			h[0] = h[len(h)-1]
			h = h[:len(h)-1]
		}
		down(0)
	}
	all := string(arena) // one allocation shared by every text
	union := make([]string, len(offs)-1)
	for g := range union {
		union[g] = all[offs[g]:offs[g+1]]
	}
	return union, maps
}

// indexTexts returns the IDs of the texts and the map from text index to
// ID index (nil when it is the identity): with ids == nil, new string IDs
// in text order; otherwise ids, with -1 for a text that is not an ID of
// ids (or not an integer, for integer IDs).
func indexTexts(texts []string, ids *IDs) (*IDs, []int32) {
	if ids == nil {
		x, _ := NewStringIDs(texts) // sorted and distinct: no repeat
		return x, nil
	}
	of := make([]int32, len(texts))
	for g, s := range texts {
		of[g] = -1
		if ids.Kind() == IntIDs {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil {
				if j, ok := ids.LookupInt(v); ok {
					of[g] = j
				}
			}
		} else if j, ok := ids.LookupStr(s); ok {
			of[g] = j
		}
	}
	return ids, of
}

// flatten copies the rows of the chunks into f's columns, translating
// local codes into user indices and docno text codes, and releases the
// chunks' columns. It returns an ErrUnknownID error for an ID not in a
// given index.
func (f *trecFile) flatten(qmaps, dmaps [][]int32, userOf, itemOf []int32, workers int) error {
	n := f.base[len(f.chunks)]
	f.u = make([]int32, n)
	f.d = make([]int32, n)
	var tmaps [][]int32
	if f.kind == trecRunFile {
		f.score = make([]float64, n)
		if f.chunks[0].rank != nil {
			f.rank = make([]int64, n)
		}
		tds := make([]*trecDict, len(f.chunks))
		for i, c := range f.chunks {
			tds[i] = &c.tag
		}
		f.tags, tmaps = unionTexts(tds, 1)
		if len(f.tags) > 1 {
			f.t = make([]int32, n)
		}
	} else {
		f.rel = make([]float32, n)
	}
	bad := make([]int, len(f.chunks)) // first row with an unknown ID, or -1
	badCol := make([]string, len(f.chunks))
	parallelFor(len(f.chunks), workers, func(i int) {
		c := f.chunks[i]
		b := f.base[i]
		qm, dm := qmaps[i], dmaps[i]
		bad[i] = -1
		for j, lq := range c.q {
			u := qm[lq]
			if userOf != nil {
				if u = userOf[u]; u < 0 && bad[i] < 0 {
					bad[i], badCol[i] = b+j, "qid"
				}
			}
			g := dm[c.d[j]]
			if itemOf != nil && itemOf[g] < 0 && bad[i] < 0 {
				bad[i], badCol[i] = b+j, "docno"
			}
			f.u[b+j], f.d[b+j] = u, g
		}
		switch {
		case f.kind == trecQrelsFile:
			copy(f.rel[b:], c.rel)
		default:
			copy(f.score[b:], c.score)
			if f.rank != nil {
				copy(f.rank[b:], c.rank)
			}
			if f.t != nil {
				tm := tmaps[i]
				for j, lt := range c.t {
					f.t[b+j] = tm[lt]
				}
			}
		}
	})
	for i, row := range bad {
		if row < 0 {
			continue
		}
		c := f.chunks[i]
		j := row - f.base[i]
		text := string(c.qid.text(c.q[j]))
		what, table := "query", "users"
		if badCol[i] == "docno" {
			text, what, table = string(c.doc.text(c.d[j])), "document", "items"
		}
		return &Error{File: f.path, Column: badCol[i], Line: f.lineOfRow(row),
			Msg: fmt.Sprintf("%s ID %q is not in the dataset's %s", what, text, table),
			Fix: "use the dataset's IDs, or read the file without a dataset", Err: ErrUnknownID}
	}
	for _, c := range f.chunks {
		*c = trecChunk{start: c.start, end: c.end}
	}
	return nil
}

// lineOfRow returns the 1-based line of data row row (blank and comment
// lines are not rows).
func (f *trecFile) lineOfRow(row int) int64 {
	k := sort.Search(len(f.chunks), func(i int) bool { return f.base[i+1] > row })
	c := f.chunks[k]
	j := row - f.base[k]
	line := int64(bytes.Count(f.data[:c.start], []byte{'\n'}))
	for p := c.start; p < c.end; {
		var l []byte
		l, p = nextLine(f.data, p, c.end)
		line++
		if skipLine(l) {
			continue
		}
		if j == 0 {
			break
		}
		j--
	}
	return line
}

// groupRows returns the rows of f ordered by key (a counting sort, stable
// in file order) and the offsets of each key's rows.
func groupRows(n, nKeys int, key func(row int) int) ([]int64, []int32) {
	offsets := make([]int64, nKeys+1)
	for r := range n {
		offsets[key(r)+1]++
	}
	for k := 1; k <= nKeys; k++ {
		offsets[k] += offsets[k-1]
	}
	next := slices.Clone(offsets[:nKeys])
	perm := make([]int32, n)
	for r := range n {
		k := key(r)
		perm[next[k]] = int32(r)
		next[k]++
	}
	return offsets, perm
}

// firstBad runs f over [0, n) split into ranges over workers; each range
// stops at its first failing index. It returns the smallest failing index
// and its error, or -1: the result does not depend on workers.
func firstBad(n, workers int, f func(lo, hi int, mark []int32) (int, error), markLen int) (int, error) {
	workers = max(1, min(workers, n/256+1))
	badAt := make([]int, workers)
	errs := make([]error, workers)
	per := (n + workers - 1) / workers
	parallelFor(workers, workers, func(w int) {
		var mark []int32
		if markLen > 0 {
			mark = make([]int32, markLen)
		}
		badAt[w], errs[w] = f(min(w*per, n), min((w+1)*per, n), mark)
	})
	for w := range workers {
		if badAt[w] >= 0 {
			return badAt[w], errs[w]
		}
	}
	return -1, nil
}

// buildQrels builds the judgments CSR: rows by user, items sorted.
func (f *trecFile) buildQrels(nUsers, nItems int, itemOf []int32, workers int) (CSR, error) {
	n := len(f.u)
	offsets, perm := groupRows(n, nUsers, func(r int) int { return int(f.u[r]) })
	m := CSR{Rows: nUsers, NumCols: nItems, Offsets: offsets, Cols: make([]int32, n), Values: make([]float32, n)}
	item := func(r int32) int32 {
		if itemOf != nil {
			return itemOf[f.d[r]]
		}
		return f.d[r]
	}
	_, err := firstBad(nUsers, workers, func(lo, hi int, _ []int32) (int, error) {
		for u := lo; u < hi; u++ {
			rows := perm[offsets[u]:offsets[u+1]]
			slices.SortFunc(rows, func(a, b int32) int { return cmp.Or(cmp.Compare(item(a), item(b)), cmp.Compare(a, b)) })
			for j, r := range rows {
				it := item(r)
				if j > 0 && it == m.Cols[offsets[u]+int64(j)-1] {
					return u, &Error{File: f.path, Column: "docno", Line: f.lineOfRow(int(r)),
						Msg: fmt.Sprintf("query %s judges document %s twice (also on line %d)", f.qidText(r), f.docText(r), f.lineOfRow(int(rows[j-1]))),
						Fix: "keep one judgment per query and document", Err: ErrDuplicate}
				}
				m.Cols[offsets[u]+int64(j)] = it
				m.Values[offsets[u]+int64(j)] = f.rel[r]
			}
		}
		return -1, nil
	}, 0)
	if err != nil {
		return CSR{}, err
	}
	return m, nil
}

// qidText and docText return the texts of row r, for messages.
func (f *trecFile) qidText(r int32) string { return f.text(int(r), false) }
func (f *trecFile) docText(r int32) string { return f.text(int(r), true) }

func (f *trecFile) text(row int, doc bool) string {
	l, _ := nextLine(f.data, nthLineStart(f.data, f.lineOfRow(row)), len(f.data))
	s, e := field(l, 0)
	if doc {
		_, ie := field(l, e)
		s, e = field(l, ie)
	}
	return strconv.Quote(string(l[s:e]))
}

// nthLineStart returns the offset of the start of 1-based line n.
func nthLineStart(data []byte, n int64) int {
	p := 0
	for i := int64(1); i < n; i++ {
		j := bytes.IndexByte(data[p:], '\n')
		if j < 0 {
			return len(data)
		}
		p += j + 1
	}
	return p
}

// trecEntry is one row of a list being ordered.
type trecEntry struct {
	score float64
	rank  int64
	doc   int32 // docno text code: byte-string order
	row   int32
}

// compareTrec is trec_eval's order: score descending, then docno
// descending as byte strings (form_res_rels.c comp_sim_docno).
func compareTrec(a, b trecEntry) int {
	if a.score != b.score {
		if a.score > b.score {
			return -1
		}
		return 1
	}
	return cmp.Compare(b.doc, a.doc)
}

func compareRank(a, b trecEntry) int { return cmp.Compare(a.rank, b.rank) }

// buildRun groups the rows of a run by (tag, user) and orders each list.
func (f *trecFile) buildRun(nUsers, nItems int, itemOf []int32, order TrecOrder, workers int) ([]Rankings, error) {
	n := len(f.u)
	nTags := len(f.tags)
	key := func(r int) int { return int(f.u[r]) }
	if f.t != nil {
		key = func(r int) int { return int(f.t[r])*nUsers + int(f.u[r]) }
	}
	offsets, perm := groupRows(n, nTags*nUsers, key)
	items := make([]int32, n)
	scores := make([]float64, n)
	compare := compareTrec
	if order == TrecOrderRank {
		compare = compareRank
	}
	_, err := firstBad(nTags*nUsers, workers, func(lo, hi int, mark []int32) (int, error) {
		var buf []trecEntry
		stamp := int32(0)
		for l := lo; l < hi; l++ {
			rows := perm[offsets[l]:offsets[l+1]]
			if len(rows) == 0 {
				continue
			}
			buf = buf[:0]
			for _, r := range rows {
				e := trecEntry{score: f.score[r], doc: f.d[r], row: r}
				if f.rank != nil {
					e.rank = f.rank[r]
				}
				buf = append(buf, e)
			}
			if !slices.IsSortedFunc(buf, compare) {
				slices.SortStableFunc(buf, compare)
			}
			stamp++
			base := offsets[l]
			for j, e := range buf {
				it := e.doc
				if itemOf != nil {
					it = itemOf[e.doc]
				}
				if mark[it] == stamp {
					return l, f.repeatError(buf[:j+1], itemOf)
				}
				mark[it] = stamp
				if j > 0 && order == TrecOrderRank && e.rank == buf[j-1].rank {
					r := max(e.row, buf[j-1].row)
					return l, &Error{File: f.path, Column: "rank", Line: f.lineOfRow(int(r)),
						Msg: fmt.Sprintf("rank %d is repeated in the list of query %s", e.rank, f.qidText(r)),
						Fix: "give each document of a list its own rank, or order lists by score", Err: ErrValue}
				}
				items[base+int64(j)] = it
				scores[base+int64(j)] = e.score
			}
		}
		return -1, nil
	}, nItems)
	if err != nil {
		return nil, err
	}
	out := make([]Rankings, nTags)
	for t := range out {
		lo := offsets[t*nUsers]
		hi := offsets[(t+1)*nUsers]
		offs := make([]int64, nUsers+1)
		for u := range nUsers {
			offs[u+1] = offsets[t*nUsers+u+1] - lo
		}
		out[t] = Rankings{System: f.tags[t], Offsets: offs, Items: items[lo:hi:hi], Scores: scores[lo:hi:hi]}
	}
	return out, nil
}

// repeatError describes the repeat of the item of the last entry of list
// at an earlier position, naming the later of the two lines.
func (f *trecFile) repeatError(list []trecEntry, itemOf []int32) error {
	last := list[len(list)-1]
	item := func(e trecEntry) int32 {
		if itemOf != nil {
			return itemOf[e.doc]
		}
		return e.doc
	}
	other := last
	for _, e := range list[:len(list)-1] {
		if item(e) == item(last) {
			other = e
			break
		}
	}
	r, o := max(last.row, other.row), min(last.row, other.row)
	return &Error{File: f.path, Column: "docno", Line: f.lineOfRow(int(r)),
		Msg: fmt.Sprintf("document %s appears twice in the list of query %s (also on line %d)", f.docText(r), f.qidText(r), f.lineOfRow(int(o))),
		Fix: "retrieve each document at most once per query", Err: ErrDuplicate}
}

// parallelFor calls f(i) for i in [0, n) on up to workers goroutines.
func parallelFor(n, workers int, f func(i int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next sync.Mutex
	i := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				next.Lock()
				j := i
				i++
				next.Unlock()
				if j >= n {
					return
				}
				f(j)
			}
		})
	}
	wg.Wait()
}
