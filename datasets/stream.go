package datasets

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// ErrUnsorted is wrapped by the *Error that a ListReader returns when the
// rows of one list are not together: streaming needs a file sorted by
// user. ReadRecommendations reads such a file (whole, into memory).
var ErrUnsorted = errors.New("not sorted by user")

const panicNilIDs = "datasets: OpenListReader with nil IDs"

// ListRun names the run of a list: a system and a sample number, as in
// Rankings.
type ListRun struct {
	System string
	Sample int64
}

// ListChunk holds complete recommendation lists read by a ListReader:
// list i belongs to user Users[i] of run Runs[i] (an index into
// ListReader.Runs) and is Items[Offsets[i]:Offsets[i+1]] in rank order,
// best first, with the scores Scores over the same range (nil when the
// file has no score column). A (run, user) pair occurs in at most one
// list of the whole file.
type ListChunk struct {
	Runs    []int32
	Users   []int32
	Offsets []int64
	Items   []int32
	Scores  []float64
}

// Len returns the number of lists.
func (c *ListChunk) Len() int { return len(c.Users) }

// List returns list i. The caller must not modify it.
func (c *ListChunk) List(i int) []int32 { return c.Items[c.Offsets[i]:c.Offsets[i+1]] }

// ListReader streams the recommendation lists of a file sorted by user, a
// record batch at a time, so that evaluating a file larger than memory
// needs memory for a few batches only (plus the bookkeeping of one bit
// per user and run).
//
// It reads the columns of ReadRecommendations (user_id, item_id, rank or
// score, optional system and sample), validates them in the same way
// (unknown users or items, null, NaN or infinite values, ranks below 1,
// gaps or repeats in the ranks of a list, an item repeated in a list) and
// orders each list as ReadRecommendations does: by rank, or without a
// rank column by score, highest first, ties broken by item index
// ascending. The rows of each (system, sample, user) list must be
// consecutive: a file sorted by user_id, or by system then user_id,
// qualifies; a list whose rows are split is an error wrapping ErrUnsorted.
// As the first part of a split list has a gap in its ranks, a gap is
// reported only at the end of the file, if no split list was found.
//
// A ListReader is not safe for concurrent use.
type ListReader struct {
	path         string
	r            BatchReader
	c            recColumns
	users, items *IDs
	um, im       idMapper
	system       string // default system name

	runs     []ListRun
	runIndex map[ListRun]int32
	seen     [][]uint64 // per run, one bit per user with a finished list

	// The list being read: it may continue in the next batch.
	cur      listRows
	curOpen  bool
	mark     []int32 // per item: stamp of the last list that held it
	stamp    int32
	rowBase  int64
	scratchU []int32
	scratchI []int32
	scratch  []int64
	scratchS []float64
	scratchR []int32
	segBuf   [1]listSeg
	order    []int

	chunk *ListChunk
	err   error
	gap   *Error // the first gap in ranks, reported at the end
	done  bool
}

// listRows are the rows of one list in file order.
type listRows struct {
	user   int32
	run    int32
	items  []int32
	ranks  []int64
	scores []float64
	segs   []listSeg // the file rows of the positions
}

// listSeg says that the list's positions from pos on are consecutive file
// rows from row (1-based), up to the next segment.
type listSeg struct {
	pos int
	row int64
}

// OpenListReader opens a recommendation file (any format of OpenTable)
// for streaming, looking users and items up in the dataset's indices.
// opts are those of ReadRecommendations (WithSystem, WithAllocator,
// WithBatchSize, ...). The caller must Close the reader.
//
// OpenListReader returns an *Error for a missing column or a column of the
// wrong type; problems in rows are reported by Err after Next. It panics
// if users or items is nil.
func OpenListReader(path string, users, items *IDs, opts ...Option) (*ListReader, error) {
	if users == nil || items == nil {
		panic(panicNilIDs)
	}
	cfg := newConfig(opts)
	r, err := OpenTable(path, WithAllocator(cfg.mem), WithBatchSize(cfg.batchSize))
	if err != nil {
		return nil, err
	}
	lr := &ListReader{path: path, r: r, users: users, items: items, runIndex: map[ListRun]int32{},
		mark: make([]int32, items.Len())}
	lr.system = cfg.system
	if lr.system == "" {
		lr.system = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if err := lr.resolve(); err != nil {
		_ = r.Close()
		return nil, err
	}
	return lr, nil
}

// resolve locates the columns, as ReadRecommendations does.
func (lr *ListReader) resolve() error {
	path := lr.path
	c, err := resolveRecColumns(path, lr.r.Schema(), lr.users, lr.items)
	if err != nil {
		return err
	}
	lr.c = c
	lr.um = idMapper{ids: lr.users, path: path, column: "user_id", table: "users"}
	lr.im = idMapper{ids: lr.items, path: path, column: "item_id", table: "items"}
	return nil
}

// Runs returns the runs met so far, in order of first appearance: the
// run of list i of a chunk is Runs()[chunk.Runs[i]]. The caller must not
// modify the result.
func (lr *ListReader) Runs() []ListRun { return lr.runs }

// Next reads the next record batch and makes the lists that it completes
// available as Chunk. It returns false at the end of the file or on an
// error (see Err). A chunk may be empty when a batch holds part of one
// list only.
func (lr *ListReader) Next() bool {
	lr.chunk = nil
	if lr.err != nil || lr.done {
		return false
	}
	lr.chunk = &ListChunk{Offsets: []int64{0}}
	if lr.c.score >= 0 {
		lr.chunk.Scores = []float64{}
	}
	err := safely(lr.path, func() error {
		if !lr.r.Next() {
			if err := lr.r.Err(); err != nil {
				return err
			}
			lr.done = true
			if lr.rowBase == 0 {
				return &Error{File: lr.path, Msg: "the recommendation file has no rows", Fix: "write at least one recommendation", Err: ErrEmpty}
			}
			if lr.curOpen {
				if err := lr.finish(&lr.cur); err != nil {
					return err
				}
			}
			if lr.gap != nil {
				return lr.gap
			}
			return nil
		}
		rec := lr.r.RecordBatch()
		rows := int(rec.NumRows()) + len(lr.cur.items)
		lr.chunk.Items = make([]int32, 0, rows)
		if lr.chunk.Scores != nil {
			lr.chunk.Scores = make([]float64, 0, rows)
		}
		if err := lr.batch(rec); err != nil {
			return err
		}
		lr.releasePages(rec)
		return nil
	})
	if err != nil {
		lr.err = err
		lr.chunk = nil
		return false
	}
	if lr.done && lr.chunk.Len() == 0 {
		lr.chunk = nil
		return false
	}
	return true
}

// Chunk returns the lists completed by the last call to Next. The chunk
// is owned by the caller: every call to Next makes a new one.
func (lr *ListReader) Chunk() *ListChunk { return lr.chunk }

// Err returns the error that stopped Next, or nil at a clean end.
func (lr *ListReader) Err() error { return lr.err }

// Close releases the file.
func (lr *ListReader) Close() error { return lr.r.Close() }

// batch splits a record batch into lists. Lists that end inside the batch
// are validated where they lie; the last one, which may continue in the
// next batch, is copied.
func (lr *ListReader) batch(rec arrow.RecordBatch) error {
	n := int(rec.NumRows())
	path, c := lr.path, lr.c
	var err error
	if lr.scratchU, err = lr.um.mapTo(lr.scratchU, rec.Column(c.user), lr.rowBase); err != nil {
		return err
	}
	if lr.scratchI, err = lr.im.mapTo(lr.scratchI, rec.Column(c.item), lr.rowBase); err != nil {
		return err
	}
	us, is := lr.scratchU[:n], lr.scratchI[:n]
	var ranks []int64
	if c.rank >= 0 {
		col := rec.Column(c.rank)
		var over int
		ranks, over = intsOf(col, lr.scratch)
		if col.DataType().ID() != arrow.INT64 {
			lr.scratch = ranks
		}
		ranks = ranks[:n]
		bad := -1
		if col.NullN() == 0 && over < 0 {
			for i, r := range ranks {
				if r < 1 {
					bad = i
					break
				}
			}
		} else {
			for i := 0; i < n; i++ {
				if i == over || col.IsNull(i) || ranks[i] < 1 {
					bad = i
					break
				}
			}
		}
		if bad >= 0 {
			return &Error{File: path, Column: "rank", Row: lr.rowBase + int64(bad) + 1, Msg: "rank must be 1 or more",
				Fix: "number each user's list 1, 2, 3, ... with 1 the best", Err: ErrValue}
		}
	}
	var scores []float64
	if c.score >= 0 {
		col := rec.Column(c.score)
		at := floatAt(col)
		lr.scratchS = grow(lr.scratchS, n)
		scores = lr.scratchS
		for i := range scores {
			v := at(i)
			if col.IsNull(i) || math.IsNaN(v) || math.IsInf(v, 0) {
				return &Error{File: path, Column: "score", Row: lr.rowBase + int64(i) + 1, Msg: "score is null, NaN or infinite",
					Fix: "give every recommendation a finite score, or drop the score column and use rank", Err: ErrValue}
			}
			scores[i] = v
		}
	}
	runs, run0, err := lr.runColumn(rec, n)
	if err != nil {
		return err
	}
	for i := 0; i < n; {
		u, run := us[i], run0
		j := i + 1
		if runs == nil {
			for j < n && us[j] == u {
				j++
			}
		} else {
			run = runs[i]
			for j < n && us[j] == u && runs[j] == run {
				j++
			}
		}
		seg := listSeg{pos: 0, row: lr.rowBase + int64(i) + 1}
		switch {
		case lr.curOpen && lr.cur.user == u && lr.cur.run == run:
			// The list of the previous batch goes on.
			seg.pos = len(lr.cur.items)
			lr.cur.append(is[i:j], sub(ranks, i, j), sub(scores, i, j), seg)
			if j < n {
				if err := lr.finish(&lr.cur); err != nil {
					return err
				}
			}
		default:
			if lr.curOpen {
				if err := lr.finish(&lr.cur); err != nil {
					return err
				}
			}
			if j < n {
				lr.segBuf[0] = seg
				view := listRows{user: u, run: run, items: is[i:j], ranks: sub(ranks, i, j), scores: sub(scores, i, j), segs: lr.segBuf[:1]}
				if err := lr.finish(&view); err != nil {
					return err
				}
			} else {
				lr.cur = listRows{user: u, run: run, items: lr.cur.items[:0], ranks: lr.cur.ranks[:0], scores: lr.cur.scores[:0], segs: lr.cur.segs[:0]}
				lr.cur.append(is[i:j], sub(ranks, i, j), sub(scores, i, j), seg)
				lr.curOpen = true
			}
		}
		i = j
	}
	lr.rowBase += int64(n)
	return nil
}

// sub returns s[i:j], or nil for a nil s.
func sub[T any](s []T, i, j int) []T {
	if s == nil {
		return nil
	}
	return s[i:j]
}

// append adds the rows of one batch to the list.
func (l *listRows) append(items []int32, ranks []int64, scores []float64, seg listSeg) {
	l.items = append(l.items, items...)
	if ranks != nil {
		l.ranks = append(l.ranks, ranks...)
	}
	if scores != nil {
		l.scores = append(l.scores, scores...)
	}
	l.segs = append(l.segs, seg)
}

// row returns the 1-based file row of position p of the list.
func (l *listRows) row(p int) int64 {
	for k := len(l.segs) - 1; k >= 0; k-- {
		if l.segs[k].pos <= p {
			return l.segs[k].row + int64(p-l.segs[k].pos)
		}
	}
	return 0
}

// runColumn returns the run index of each row of the batch, or nil and
// the run of every row when the file has no system or sample column.
func (lr *ListReader) runColumn(rec arrow.RecordBatch, n int) ([]int32, int32, error) {
	c := lr.c
	if c.system < 0 && c.sample < 0 {
		return nil, lr.runOf(ListRun{System: lr.system}), nil
	}
	sys, sample, err := runColumns(rec, c, lr.path, lr.rowBase)
	if err != nil {
		return nil, 0, err
	}

	lr.scratchR = grow(lr.scratchR, n)
	runs := lr.scratchR
	last, lastRun := ListRun{}, int32(-1)
	for i := range runs {
		k := ListRun{System: lr.system}
		if sys != nil {
			if k.System = sys(i); k.System == "" {
				return nil, 0, &Error{File: lr.path, Column: "system", Row: lr.rowBase + int64(i) + 1, Msg: "empty system name",
					Fix: "name the system of every row", Err: ErrValue}
			}
		}
		if sample != nil {
			k.Sample = sample[i]
		}
		if lastRun < 0 || k != last {
			lastRun, last = lr.runOf(k), k
		}
		runs[i] = lastRun
	}
	return runs, 0, nil
}

// runOf returns the index of run k, adding it when new.
func (lr *ListReader) runOf(k ListRun) int32 {
	if j, ok := lr.runIndex[k]; ok {
		return j
	}
	j := int32(len(lr.runs))
	k.System = strings.Clone(k.System)
	lr.runs = append(lr.runs, k)
	lr.runIndex[k] = j
	lr.seen = append(lr.seen, make([]uint64, (lr.users.Len()+63)/64))
	return j
}

// finish validates and orders a list and appends it to the chunk.
func (lr *ListReader) finish(l *listRows) error {
	if l == &lr.cur {
		lr.curOpen = false
	}
	run := lr.runs[l.run]
	who := func() string {
		return fmt.Sprintf("user %s (system %s)", lr.users.String(l.user), run.System)
	}
	seen := lr.seen[l.run]
	if seen[l.user/64]&(1<<(l.user%64)) != 0 {
		return &Error{File: lr.path, Column: "user_id", Row: l.row(0),
			Msg: "the rows of the list of " + who() + " are not together; streaming needs a file sorted by user",
			Fix: "sort the file by user_id (or by system, then user_id), or read it whole with ReadRecommendations", Err: ErrUnsorted}
	}
	seen[l.user/64] |= 1 << (l.user % 64)

	n := len(l.items)
	inOrder := true
	if l.ranks != nil {
		for k, r := range l.ranks {
			if r != int64(k+1) {
				inOrder = false
				break
			}
		}
	} else {
		for k := 1; k < n && inOrder; k++ {
			inOrder = l.scores[k-1] > l.scores[k] || l.scores[k-1] == l.scores[k] && l.items[k-1] < l.items[k]
		}
	}
	order := lr.order[:0]
	if !inOrder {
		for k := range n {
			order = append(order, k)
		}
		if l.ranks != nil {
			slices.SortFunc(order, func(a, b int) int { return cmp.Or(cmp.Compare(l.ranks[a], l.ranks[b]), cmp.Compare(a, b)) })
			for k, p := range order {
				if l.ranks[p] != int64(k+1) {
					err := &Error{File: lr.path, Column: "rank", Row: l.row(p),
						Fix: "number each list 1, 2, 3, ... without gaps or repeats", Err: ErrValue}
					if l.ranks[p] == int64(k) {
						err.Msg = fmt.Sprintf("in the list of %s: rank %d is repeated", who(), k)
						return err
					}
					// A gap may be the rest of the list further on, in a
					// file not sorted by user: report it at the end,
					// unless that turns out to be the case.
					err.Msg = fmt.Sprintf("in the list of %s: rank %d is missing", who(), k+1)
					if lr.gap == nil {
						lr.gap = err
					}
					return nil
				}
			}
		} else {
			slices.SortFunc(order, func(a, b int) int {
				return cmp.Or(cmp.Compare(l.scores[b], l.scores[a]), cmp.Compare(l.items[a], l.items[b]), cmp.Compare(a, b))
			})
		}
		lr.order = order
	}

	lr.stamp++
	if lr.stamp == math.MaxInt32 {
		clear(lr.mark)
		lr.stamp = 1
	}
	mark, stamp := lr.mark, lr.stamp
	for k := range n {
		p := k
		if !inOrder {
			p = order[k]
		}
		it := l.items[p]
		if mark[it] == stamp {
			first := int64(math.MaxInt64)
			for q := range n {
				if l.items[q] == it {
					first = min(first, l.row(q))
				}
			}
			return &Error{File: lr.path, Column: "item_id", Row: max(first, l.row(p)),
				Msg: fmt.Sprintf("item %s appears twice in the list of %s", lr.items.String(it), who()),
				Fix: "recommend each item at most once per list", Err: ErrDuplicate}
		}
		mark[it] = stamp
	}
	ch := lr.chunk
	if inOrder {
		ch.Items = append(ch.Items, l.items...)
		if ch.Scores != nil {
			ch.Scores = append(ch.Scores, l.scores...)
		}
	} else {
		for _, p := range order {
			ch.Items = append(ch.Items, l.items[p])
			if ch.Scores != nil {
				ch.Scores = append(ch.Scores, l.scores[p])
			}
		}
	}
	ch.Runs = append(ch.Runs, l.run)
	ch.Users = append(ch.Users, l.user)
	ch.Offsets = append(ch.Offsets, int64(len(ch.Items)))
	return nil
}

// releasePages tells the kernel that the pages of a memory-mapped Arrow
// file under the batch just read are not needed any more, so that a pass
// over a file larger than memory keeps only a few batches resident.
func (lr *ListReader) releasePages(rec arrow.RecordBatch) {
	g, ok := lr.r.(*guarded)
	if !ok {
		return
	}
	x, ok := g.BatchReader.(*ipcFileReader)
	if !ok || x.data == nil {
		return
	}
	for _, col := range rec.Columns() {
		for _, buf := range col.Data().Buffers() {
			if buf != nil {
				releasePages(x.data, buf.Bytes())
			}
		}
	}
}
