package datasets

import (
	"cmp"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// Rankings holds one system's top-N lists, one per user, in rank order.
//
// User u's list is Items[Offsets[u]:Offsets[u+1]], best first; an empty
// list means the file had no recommendations for u. Scores, when not nil,
// is parallel to Items. Unlike [CSR], rows are in rank order, not sorted.
type Rankings struct {
	System  string
	Sample  int64 // the sample number for repeated stochastic rankings; 0 otherwise
	Offsets []int64
	Items   []int32
	Scores  []float64
}

// List returns user u's list in rank order. The caller must not modify it.
func (r *Rankings) List(u int) []int32 { return r.Items[r.Offsets[u]:r.Offsets[u+1]] }

// ListScores returns the scores of user u's list, or nil without scores.
func (r *Rankings) ListScores(u int) []float64 {
	if r.Scores == nil {
		return nil
	}
	return r.Scores[r.Offsets[u]:r.Offsets[u+1]]
}

// Users returns the number of users (rows).
func (r *Rankings) Users() int { return len(r.Offsets) - 1 }

// WithSystem names the system of a recommendation file without a system
// column (default: the file name without its extension).
func WithSystem(name string) Option { return func(c *config) { c.system = name } }

// recColumns locates the columns of a recommendation file.
type recColumns struct {
	user, item, rank, score, system, sample int
}

// ReadRecommendations reads a recommendation file (Arrow IPC, Arrow
// stream, Parquet or CSV) with columns user_id, item_id, rank (1-based),
// and optionally score, system (several systems in one file) and sample
// (repeated stochastic rankings). Users and items are looked up in the
// dataset's indices. It returns one Rankings per (system, sample), sorted
// by system then sample.
//
// Without a rank column, lists are ordered by score, highest first, ties
// broken by item index ascending. Unknown users or items, a repeated item
// in one list, gaps or repeats in ranks, ranks below 1 and NaN or infinite
// scores are errors naming the row.
func ReadRecommendations(path string, users, items *IDs, opts ...Option) (out []Rankings, err error) {
	err = safely(path, func() (err error) {
		out, err = readRecommendations(path, users, items, opts)
		return err
	})
	return out, err
}

func readRecommendations(path string, users, items *IDs, opts []Option) ([]Rankings, error) {
	cfg := newConfig(opts)
	r, err := OpenTable(path, WithAllocator(cfg.mem), WithBatchSize(cfg.batchSize))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	c, err := resolveRecColumns(path, r.Schema(), users, items)
	if err != nil {
		return nil, err
	}
	s := &interactionSchema{path: path, userName: "user_id", itemName: "item_id", valueName: "score"}
	b := newBatchMapper(s, users, items)
	var (
		us, is   []int32
		ranks    []int64
		scores   []float64
		runs     []int32 // index into runKeys
		runKeys  []runKey
		runIndex = map[runKey]int32{}
		rowBase  int64
		scratch  []int64
	)
	defaultSystem := cfg.system
	if defaultSystem == "" {
		defaultSystem = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	for r.Next() {
		rec := r.RecordBatch()
		n := int(rec.NumRows())
		if b.c.users, err = b.um.mapTo(b.c.users, rec.Column(c.user), rowBase); err != nil {
			return nil, err
		}
		us = append(us, b.c.users...)
		if b.c.items, err = b.im.mapTo(b.c.items, rec.Column(c.item), rowBase); err != nil {
			return nil, err
		}
		is = append(is, b.c.items...)
		if c.rank >= 0 {
			col := rec.Column(c.rank)
			vals, _ := intsOf(col, scratch)
			for i := 0; i < n; i++ {
				if col.IsNull(i) || vals[i] < 1 {
					return nil, &Error{File: path, Column: "rank", Row: rowBase + int64(i) + 1, Msg: "rank must be 1 or more",
						Fix: "number each user's list 1, 2, 3, ... with 1 the best", Err: ErrValue}
				}
			}
			ranks = append(ranks, vals...)
		}
		if c.score >= 0 {
			col := rec.Column(c.score)
			at := floatAt(col)
			for i := 0; i < n; i++ {
				v := at(i)
				if col.IsNull(i) || math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, &Error{File: path, Column: "score", Row: rowBase + int64(i) + 1, Msg: "score is null, NaN or infinite",
						Fix: "give every recommendation a finite score, or drop the score column and use rank", Err: ErrValue}
				}
				scores = append(scores, v)
			}
		}
		sys, sample, err := runColumns(rec, c, path, rowBase)
		if err != nil {
			return nil, err
		}
		for i := 0; i < n; i++ {
			k := runKey{system: defaultSystem}
			if sys != nil {
				if k.system = sys(i); k.system == "" {
					return nil, &Error{File: path, Column: "system", Row: rowBase + int64(i) + 1, Msg: "empty system name",
						Fix: "name the system of every row", Err: ErrValue}
				}
			}
			if sample != nil {
				k.sample = sample[i]
			}
			j, ok := runIndex[k]
			if !ok {
				j = int32(len(runKeys))
				k.system = strings.Clone(k.system)
				runKeys = append(runKeys, k)
				runIndex[k] = j
			}
			runs = append(runs, j)
		}
		rowBase += int64(n)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	if rowBase == 0 {
		return nil, &Error{File: path, Msg: "the recommendation file has no rows", Fix: "write at least one recommendation", Err: ErrEmpty}
	}
	return groupRankings(path, users.Len(), us, is, ranks, scores, runs, runKeys, users, items)
}

// resolveRecColumns locates the columns of a recommendation file by name
// and checks their types, and that the ID types match the dataset's.
func resolveRecColumns(path string, schema *arrow.Schema, users, items *IDs) (recColumns, error) {
	c := recColumns{-1, -1, -1, -1, -1, -1}
	for i, f := range schema.Fields() {
		var slot *int
		var ok bool
		switch f.Name {
		case "user_id":
			slot, ok = &c.user, isIntType(f.Type) || isStringType(f.Type)
		case "item_id":
			slot, ok = &c.item, isIntType(f.Type) || isStringType(f.Type)
		case "rank":
			slot, ok = &c.rank, isIntType(f.Type)
		case "score":
			slot, ok = &c.score, isIntType(f.Type) || isFloatType(f.Type)
		case "system":
			slot, ok = &c.system, isStringType(f.Type)
		case "sample":
			slot, ok = &c.sample, isIntType(f.Type)
		default:
			continue
		}
		if !ok {
			return c, &Error{File: path, Column: f.Name, Msg: "unexpected type " + typeName(f.Type),
				Fix: "user_id and item_id are integers or strings, rank and sample integers, score a number, system a string", Err: ErrSchema}
		}
		*slot = i
	}
	for _, req := range []struct {
		idx  int
		name string
	}{{c.user, "user_id"}, {c.item, "item_id"}} {
		if req.idx < 0 {
			return c, &Error{File: path, Msg: "no " + req.name + " column", Fix: "a recommendation file has user_id, item_id and rank (or score) columns", Err: ErrSchema}
		}
	}
	if c.rank < 0 && c.score < 0 {
		return c, &Error{File: path, Msg: "neither a rank nor a score column", Fix: "add rank (1 = best) or score (higher = better)", Err: ErrSchema}
	}
	if err := checkKind(path, "user_id", isIntType(schema.Field(c.user).Type), users, "users"); err != nil {
		return c, err
	}
	if err := checkKind(path, "item_id", isIntType(schema.Field(c.item).Type), items, "items"); err != nil {
		return c, err
	}
	return c, nil
}

// runColumns returns accessors for the system and sample columns of a
// recommendation batch (nil when the file has no such column), rejecting
// negative or null samples.
func runColumns(rec arrow.RecordBatch, c recColumns, path string, rowBase int64) (func(int) string, []int64, error) {
	var sys func(int) string
	if c.system >= 0 {
		col := rec.Column(c.system)
		at := stringAt(col)
		sys = func(i int) string {
			if col.IsNull(i) {
				return ""
			}
			return at(i)
		}
	}
	var sample []int64
	if c.sample >= 0 {
		col := rec.Column(c.sample)
		sample, _ = intsOf(col, nil)
		for i := 0; i < col.Len(); i++ {
			if col.IsNull(i) || sample[i] < 0 {
				return nil, nil, &Error{File: path, Column: "sample", Row: rowBase + int64(i) + 1, Msg: "sample must be 0 or more",
					Fix: "number repeated rankings 0, 1, 2, ...", Err: ErrValue}
			}
		}
	}
	return sys, sample, nil
}

type runKey struct {
	system string
	sample int64
}

// groupRankings orders the rows by (run, user, rank) and validates lists.
func groupRankings(path string, nUsers int, us, is []int32, ranks []int64, scores []float64, runs []int32, keys []runKey, users, items *IDs) ([]Rankings, error) {
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(keys[a].system, keys[b].system), cmp.Compare(keys[a].sample, keys[b].sample))
	})
	// Counting sort of row indices by (run, user).
	nRuns := len(keys)
	offsets := make([]int64, nRuns*nUsers+1)
	for j, u := range us {
		offsets[int(runs[j])*nUsers+int(u)+1]++
	}
	for k := 1; k < len(offsets); k++ {
		offsets[k] += offsets[k-1]
	}
	perm := make([]int64, len(us))
	next := slices.Clone(offsets[:len(offsets)-1])
	for j, u := range us {
		k := int(runs[j])*nUsers + int(u)
		perm[next[k]] = int64(j)
		next[k]++
	}
	next = nil
	out := make([]Rankings, 0, nRuns)
	for _, run := range order {
		mark := make([]int32, items.Len())
		rk := Rankings{System: keys[run].system, Sample: keys[run].sample, Offsets: make([]int64, nUsers+1)}
		base := offsets[int(run)*nUsers]
		total := offsets[int(run+1)*nUsers] - base
		rk.Items = make([]int32, total)
		if scores != nil {
			rk.Scores = make([]float64, total)
		}
		for u := 0; u < nUsers; u++ {
			lo, hi := offsets[int(run)*nUsers+u], offsets[int(run)*nUsers+u+1]
			rows := perm[lo:hi]
			if ranks != nil {
				slices.SortFunc(rows, func(a, b int64) int { return cmp.Or(cmp.Compare(ranks[a], ranks[b]), cmp.Compare(a, b)) })
				for j, row := range rows {
					if ranks[row] != int64(j+1) {
						what := fmt.Sprintf("rank %d is missing", j+1)
						if ranks[row] == int64(j) {
							what = fmt.Sprintf("rank %d is repeated", j)
						}
						return nil, &Error{File: path, Column: "rank", Row: row + 1,
							Msg: fmt.Sprintf("in the list of user %s (system %s): %s", users.String(int32(u)), rk.System, what),
							Fix: "number each list 1, 2, 3, ... without gaps or repeats", Err: ErrValue}
					}
				}
			} else {
				slices.SortFunc(rows, func(a, b int64) int {
					return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(is[a], is[b]), cmp.Compare(a, b))
				})
			}
			dst := rk.Items[lo-base : hi-base]
			for j, row := range rows {
				dst[j] = is[row]
				if scores != nil {
					rk.Scores[lo-base+int64(j)] = scores[row]
				}
			}
			if dup := repeatedItem(dst, rows, mark, int32(u)+1); dup >= 0 {
				return nil, &Error{File: path, Column: "item_id", Row: dup + 1,
					Msg: fmt.Sprintf("item %s appears twice in the list of user %s (system %s)", items.String(is[dup]), users.String(int32(u)), rk.System),
					Fix: "recommend each item at most once per list", Err: ErrDuplicate}
			}
			rk.Offsets[u+1] = hi - base
		}
		out = append(out, rk)
	}
	return out, nil
}

// repeatedItem returns the file row (0-based) of the later occurrence of
// a repeated item in list, or -1. rows gives each position's file row;
// mark (one slot per item) holds stamp for items already seen in this list.
func repeatedItem(list []int32, rows []int64, mark []int32, stamp int32) int64 {
	first := -1
	for j, it := range list {
		if mark[it] == stamp {
			first = j
			break
		}
		mark[it] = stamp
	}
	if first < 0 {
		return -1
	}
	// The item at position first repeats an earlier one; report the later
	// of the two occurrences in file order.
	for j := 0; j < first; j++ {
		if list[j] == list[first] {
			return max(rows[j], rows[first])
		}
	}
	return rows[first]
}
