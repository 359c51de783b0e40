// Command exec-recommender is a small external recommender that recaudit
// runs through its exec adapter. It stands for any system an auditor plugs
// in, whatever it is written in: it reads the training split and the
// users to score that recaudit writes as Arrow IPC files, and writes its
// top-k lists to the output file recaudit names, as Arrow IPC (.arrow) or
// CSV (.csv). It uses Apache Arrow directly, not recaudit's packages.
//
// Its algorithm is "most popular, with a twist": an item scores the number
// of training users who interacted with it, each interaction weighted by
// its recency when the training data has timestamps (it halves every
// -half-life before the latest interaction), and a user is never
// recommended an item they already interacted with. Ties are broken by
// item ID.
//
// Usage:
//
//	exec-recommender -train T.arrow -users U.arrow -k K -out OUT.arrow [-half-life 720h]
//
// With recaudit:
//
//	recaudit recommend --data D --algo exec --param command="exec-recommender -train {train} -users {users} -k {k} -out {out}"
package main

import (
	"cmp"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "exec-recommender:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("exec-recommender", flag.ContinueOnError)
	trainPath := fs.String("train", "", "training interactions (Arrow IPC file: user_id, item_id, optional timestamp)")
	usersPath := fs.String("users", "", "users to recommend for (Arrow IPC file: user_id)")
	k := fs.Int("k", 10, "list length")
	out := fs.String("out", "", "output file (.arrow or .csv): user_id, item_id, rank, score")
	halfLife := fs.Duration("half-life", 30*24*time.Hour, "recency half-life of an interaction's weight (with timestamps)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *trainPath == "" || *usersPath == "" || *out == "" || *k < 0 || *halfLife <= 0 {
		fs.Usage()
		return errors.New("-train, -users and -out are required; -k must be >= 0, -half-life > 0")
	}
	train, err := readTable(*trainPath, "user_id", "item_id", "timestamp")
	if err != nil {
		return err
	}
	users, err := readTable(*usersPath, "user_id")
	if err != nil {
		return err
	}
	lists := recommend(train, users.cols["user_id"], *k, *halfLife)
	return write(*out, train.kinds["user_id"], train.kinds["item_id"], lists)
}

// table is the columns read from a file: IDs as text, with their kind.
type table struct {
	cols  map[string][]string
	kinds map[string]arrow.DataType
	times []int64 // timestamp column in seconds, nil when absent
}

// readTable reads the named columns of an Arrow IPC file. The first
// column is required; the others are read when present.
func readTable(path string, names ...string) (*table, error) {
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
	t := &table{cols: map[string][]string{}, kinds: map[string]arrow.DataType{}}
	for i := 0; i < r.NumRecords(); i++ {
		rec, err := r.RecordBatch(i)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for j, name := range names {
			idx := rec.Schema().FieldIndices(name)
			if len(idx) == 0 {
				if j == 0 {
					rec.Release()
					return nil, fmt.Errorf("%s: no %s column", path, name)
				}
				continue
			}
			col := rec.Column(idx[0])
			if ts, ok := col.(*array.Timestamp); ok {
				unit := ts.DataType().(*arrow.TimestampType).Unit
				for x := 0; x < ts.Len(); x++ {
					t.times = append(t.times, ts.Value(x).ToTime(unit).Unix())
				}
				continue
			}
			vals, err := texts(col)
			if err != nil {
				rec.Release()
				return nil, fmt.Errorf("%s: column %s: %w", path, name, err)
			}
			t.cols[name] = append(t.cols[name], vals...)
			t.kinds[name] = col.DataType()
		}
		rec.Release()
	}
	return t, nil
}

// texts returns an integer or string column as text.
func texts(col arrow.Array) ([]string, error) {
	out := make([]string, col.Len())
	switch c := col.(type) {
	case *array.Int64:
		for i := range out {
			out[i] = strconv.FormatInt(c.Value(i), 10)
		}
	case *array.String:
		for i := range out {
			out[i] = c.Value(i)
		}
	case *array.Dictionary:
		dict, ok := c.Dictionary().(*array.String)
		if !ok {
			return nil, fmt.Errorf("unsupported dictionary type %v", c.DataType())
		}
		for i := range out {
			out[i] = dict.Value(c.GetValueIndex(i))
		}
	default:
		return nil, fmt.Errorf("unsupported type %v", col.DataType())
	}
	return out, nil
}

type scored struct {
	item  string
	score float64
}

type list struct {
	user  string
	items []scored
}

// recommend ranks items by recency-weighted popularity and gives each
// user the best k items they have not interacted with.
func recommend(train *table, users []string, k int, halfLife time.Duration) []list {
	us, is := train.cols["user_id"], train.cols["item_id"]
	var latest int64
	for _, t := range train.times {
		latest = max(latest, t)
	}
	score := map[string]float64{}
	seen := map[string]map[string]bool{}
	for j := range us {
		w := 1.0
		if train.times != nil {
			w = math.Exp2(-float64(latest-train.times[j]) / halfLife.Seconds())
		}
		score[is[j]] += w
		if seen[us[j]] == nil {
			seen[us[j]] = map[string]bool{}
		}
		seen[us[j]][is[j]] = true
	}
	ranked := make([]scored, 0, len(score))
	for i, s := range score {
		ranked = append(ranked, scored{i, s})
	}
	slices.SortFunc(ranked, func(a, b scored) int { return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.item, b.item)) })
	out := make([]list, 0, len(users))
	for _, u := range users {
		l := list{user: u}
		for _, c := range ranked {
			if len(l.items) == k {
				break
			}
			if !seen[u][c.item] {
				l.items = append(l.items, c)
			}
		}
		out = append(out, l)
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
		{Name: "user_id", Type: plain(userType)},
		{Name: "item_id", Type: plain(itemType)},
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

// plain maps a dictionary-encoded string type to string.
func plain(t arrow.DataType) arrow.DataType {
	if t.ID() == arrow.INT64 {
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
