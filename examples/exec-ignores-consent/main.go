// Command exec-ignores-consent is an external recommender, run through
// recaudit's exec adapter, that honours its users' consent to
// personalisation only in part: a test subject for recaudit's consent
// probe ("recaudit probe consent --exec ..."), whose measured share of
// violating users can be compared with the truth.
//
// It reads the training split and the users to recommend for, as Arrow
// IPC files written by recaudit; the users file carries each user's
// consent in the boolean column consent_personalization when recaudit is
// asked to pass it (the consent probe always does; without the column
// every user counts as consenting). It writes the top-k lists to the
// output file, as Arrow IPC (.arrow) or CSV (.csv). Like
// examples/exec-recommender it uses Apache Arrow directly, not recaudit's
// packages.
//
// # Lists
//
// Personalised lists score each item by its co-occurrences with the user's
// own items: the number of training users who interacted with both, summed
// over the user's items; ties go to the more popular item (by distinct
// training users), then to the smaller item ID as text. The user's own
// items are left out. A user without history gets the most popular items.
//
// The non-personalised fallback is the k most popular items (ties by item
// ID as text), the same list for every user, the user's own items
// included.
//
// # Whose consent it ignores
//
// A user who consented gets a personalised list. A user who did not gets
// the fallback, unless the user is one of those whose refusal the program
// ignores: those whose ID, as text, hashes below the share given by
// -ignore:
//
//	ignored(id) = first 8 bytes of SHA-256(id), big-endian, / 2^64 < ignore
//
// so that the true share among any set of non-consenting users can be
// computed from their IDs alone. The default -ignore 0 honours everyone's
// consent.
//
// Usage:
//
//	exec-ignores-consent -train T.arrow -users U.arrow -k K -out OUT.arrow [-ignore 0.3]
//
// With recaudit:
//
//	recaudit probe consent --exec "exec-ignores-consent -train {train} -users {users} -k {k} -out {out} -ignore 0.3"
//
// The item-item co-occurrence counts are held in a dense matrix of
// items² integers: a toy for catalogues of a few thousand items.
package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// consentColumn is the users file's consent column.
const consentColumn = "consent_personalization"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "exec-ignores-consent:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("exec-ignores-consent", flag.ContinueOnError)
	trainPath := fs.String("train", "", "training interactions (Arrow IPC file: user_id, item_id)")
	usersPath := fs.String("users", "", "users to recommend for (Arrow IPC file: user_id, optional consent_personalization)")
	k := fs.Int("k", 10, "list length")
	out := fs.String("out", "", "output file (.arrow or .csv): user_id, item_id, rank, score")
	ignore := fs.Float64("ignore", 0, "share in [0, 1] of non-consenting users whose refusal is ignored, chosen by a hash of the user ID")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *trainPath == "" || *usersPath == "" || *out == "" || *k < 0 || !(*ignore >= 0 && *ignore <= 1) {
		fs.Usage()
		return errors.New("-train, -users and -out are required; -k must be >= 0, -ignore in [0, 1]")
	}
	train, err := readColumns(*trainPath, "user_id", "item_id")
	if err != nil {
		return err
	}
	users, err := readColumns(*usersPath, "user_id", consentColumn)
	if err != nil {
		return err
	}
	m := newModel(train.text["user_id"], train.text["item_id"])
	ids := users.text["user_id"]
	consent := users.flags[consentColumn]
	lists := make([]list, len(ids))
	for i, id := range ids {
		personal := consent == nil || consent[i] || ignored(id, *ignore)
		lists[i] = list{user: id, items: m.recommend(id, *k, personal)}
	}
	return write(*out, train.types["user_id"], train.types["item_id"], lists)
}

// ignored reports whether the program ignores the refusal of the user with
// the given ID when its -ignore flag is share: the first 8 bytes of the
// SHA-256 hash of the ID, as a big-endian fraction of 2^64, are below
// share. (A cryptographic hash spreads short decimal IDs evenly; the top
// bits of FNV-1a do not.)
func ignored(id string, share float64) bool {
	sum := sha256.Sum256([]byte(id))
	return float64(binary.BigEndian.Uint64(sum[:8]))/math.Exp2(64) < share
}

// columns holds the columns read from a file: IDs as text with their
// Arrow type, booleans as flags.
type columns struct {
	text  map[string][]string
	types map[string]arrow.DataType
	flags map[string][]bool
}

// readColumns reads the named columns of an Arrow IPC file: the first is
// required, the others are read when present.
func readColumns(path string, names ...string) (*columns, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer r.Close()
	c := &columns{text: map[string][]string{}, types: map[string]arrow.DataType{}, flags: map[string][]bool{}}
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.RecordBatch(i)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		err = c.addBatch(rec, names)
		rec.Release()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return c, nil
}

// addBatch appends the named columns of one record batch.
func (c *columns) addBatch(rec arrow.RecordBatch, names []string) error {
	for j, name := range names {
		idx := rec.Schema().FieldIndices(name)
		if len(idx) == 0 {
			if j == 0 {
				return fmt.Errorf("no %s column", name)
			}
			continue
		}
		if err := c.add(name, rec.Column(idx[0])); err != nil {
			return fmt.Errorf("column %s: %w", name, err)
		}
	}
	return nil
}

// add appends an integer, string or boolean column.
func (c *columns) add(name string, col arrow.Array) error {
	if col.NullN() > 0 {
		return errors.New("null values")
	}
	switch a := col.(type) {
	case *array.Boolean:
		for i := 0; i < a.Len(); i++ {
			c.flags[name] = append(c.flags[name], a.Value(i))
		}
		return nil
	case *array.Int64:
		for i := 0; i < a.Len(); i++ {
			c.text[name] = append(c.text[name], strconv.FormatInt(a.Value(i), 10))
		}
	case *array.String:
		for i := 0; i < a.Len(); i++ {
			c.text[name] = append(c.text[name], a.Value(i))
		}
	case *array.Dictionary:
		dict, ok := a.Dictionary().(*array.String)
		if !ok {
			return fmt.Errorf("unsupported dictionary type %v", a.DataType())
		}
		for i := 0; i < a.Len(); i++ {
			c.text[name] = append(c.text[name], dict.Value(a.GetValueIndex(i)))
		}
	default:
		return fmt.Errorf("unsupported type %v", col.DataType())
	}
	c.types[name] = col.DataType()
	return nil
}

// model holds what the lists are computed from: items indexed by their
// IDs in text order, each user's items, item popularity and co-occurrences.
type model struct {
	items   []string         // item IDs, sorted as text
	history map[string][]int // user ID → item indices
	pop     []int            // distinct training users per item
	cooc    []int32          // items × items co-occurrence counts
	popular []int            // item indices by popularity, ties by ID
}

func newModel(users, items []string) *model {
	ids := slices.Clone(items)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	m := &model{items: ids, history: map[string][]int{}, pop: make([]int, len(ids))}
	for j, u := range users {
		m.history[u] = append(m.history[u], index[items[j]])
	}
	for u, h := range m.history {
		slices.Sort(h)
		m.history[u] = slices.Compact(h)
	}
	n := len(ids)
	m.cooc = make([]int32, n*n)
	for _, h := range m.history {
		for _, a := range h {
			m.pop[a]++
			row := m.cooc[a*n : (a+1)*n]
			for _, b := range h {
				row[b]++
			}
		}
	}
	m.popular = make([]int, n)
	for i := range m.popular {
		m.popular[i] = i
	}
	slices.SortStableFunc(m.popular, func(a, b int) int { return cmp.Compare(m.pop[b], m.pop[a]) })
	return m
}

type scored struct {
	item  string
	score float64
}

type list struct {
	user  string
	items []scored
}

// recommend returns the top-k list of a user: personalised, or the
// fallback.
func (m *model) recommend(user string, k int, personal bool) []scored {
	h := m.history[user]
	if !personal || len(h) == 0 {
		out := make([]scored, 0, k)
		for _, i := range m.popular[:min(k, len(m.popular))] {
			out = append(out, scored{m.items[i], float64(m.pop[i])})
		}
		return out
	}
	n := len(m.items)
	score := make([]int32, n)
	for _, a := range h {
		row := m.cooc[a*n : (a+1)*n]
		for b, c := range row {
			score[b] += c
		}
	}
	// better orders items best first; indices are in ID order, so the
	// last tie-break is the index.
	better := func(a, b int) int {
		return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(m.pop[b], m.pop[a]), cmp.Compare(a, b))
	}
	// Keep the best k items seen so far, best first, by insertion.
	top := make([]int, 0, k+1)
	for i := range n {
		if _, seen := slices.BinarySearch(h, i); seen || k == 0 {
			continue
		}
		if len(top) == k && better(i, top[k-1]) > 0 {
			continue
		}
		j, _ := slices.BinarySearchFunc(top, i, better)
		top = slices.Insert(top, j, i)
		if len(top) > k {
			top = top[:k]
		}
	}
	out := make([]scored, 0, len(top))
	for _, i := range top {
		out = append(out, scored{m.items[i], float64(score[i])})
	}
	return out
}

// write writes the lists as Arrow IPC or CSV, by the file's extension,
// with the IDs in the training file's types.
func write(path string, userType, itemType arrow.DataType, lists []list) error {
	switch filepath.Ext(path) {
	case ".csv":
		return writeCSV(path, lists)
	case ".arrow":
		return writeArrow(path, userType, itemType, lists)
	}
	return fmt.Errorf("%s: write .arrow or .csv", path)
}

func writeCSV(path string, lists []list) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"user_id", "item_id", "rank", "score"})
	for _, l := range lists {
		for r, c := range l.items {
			_ = w.Write([]string{l.user, c.item, strconv.Itoa(r + 1), strconv.FormatFloat(c.score, 'g', -1, 64)})
		}
	}
	w.Flush()
	return errors.Join(w.Error(), f.Close())
}

func writeArrow(path string, userType, itemType arrow.DataType, lists []list) error {
	mem := memory.NewGoAllocator()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "user_id", Type: idType(userType)},
		{Name: "item_id", Type: idType(itemType)},
		{Name: "rank", Type: arrow.PrimitiveTypes.Int32},
		{Name: "score", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, l := range lists {
		for r, c := range l.items {
			if err := appendID(b.Field(0), l.user); err != nil {
				return err
			}
			if err := appendID(b.Field(1), c.item); err != nil {
				return err
			}
			b.Field(2).(*array.Int32Builder).Append(int32(r + 1))
			b.Field(3).(*array.Float64Builder).Append(c.score)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w, err := ipc.NewFileWriter(f, ipc.WithSchema(schema), ipc.WithAllocator(mem))
	if err != nil {
		f.Close()
		return err
	}
	return errors.Join(w.Write(rec), w.Close(), f.Close())
}

// idType is int64 for integer IDs and string otherwise (dictionary-encoded
// strings are written plain).
func idType(t arrow.DataType) arrow.DataType {
	if t != nil && t.ID() == arrow.INT64 {
		return t
	}
	return arrow.BinaryTypes.String
}

func appendID(b array.Builder, id string) error {
	switch b := b.(type) {
	case *array.Int64Builder:
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return err
		}
		b.Append(n)
	case *array.StringBuilder:
		b.Append(id)
	}
	return nil
}
