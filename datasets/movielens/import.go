package movielens

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/recaudit/recaudit/datasets"
)

// MetadataSource is the Dataset.Metadata key that names the data set.
const MetadataSource = "recaudit.source"

// Values of MetadataSource.
const (
	Source100K = "movielens-100k"
	Source1M   = "movielens-1m"
)

// File names of the two formats. The 100K genre list (u.genre) is
// optional.
var (
	files100K = []string{"u.data", "u.item", "u.user"}
	files1M   = []string{"ratings.dat", "movies.dat", "users.dat"}
)

const genreFile100K = "u.genre"

// Import reads the MovieLens 100K or 1M data set in dir, recognised by its
// file names (see the package documentation for the files, the columns it
// builds and its errors), and returns it as a Dataset.
//
// Import returns a [*datasets.Error] for a malformed file, and an error
// listing the expected file names when dir holds neither format.
func Import(dir string) (*datasets.Dataset, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, &datasets.Error{File: dir, Msg: "cannot open the directory: " + pathErrorReason(err),
			Fix: "pass the directory unpacked from ml-100k.zip or ml-1m.zip", Err: fmt.Errorf("%w: %w", datasets.ErrFormat, err)}
	}
	if !info.IsDir() {
		return nil, &datasets.Error{File: dir, Msg: "not a directory",
			Fix: "pass the directory unpacked from ml-100k.zip or ml-1m.zip, not a file in it", Err: datasets.ErrFormat}
	}
	return importFS(os.DirFS(dir), dir)
}

// pathErrorReason returns the reason of a *fs.PathError without its path.
func pathErrorReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// importFS reads the data set from fsys; dir is the name used for fsys in
// error messages.
func importFS(fsys fs.FS, dir string) (*datasets.Dataset, error) {
	has := func(names []string) (present, missing []string) {
		for _, n := range names {
			if st, err := fs.Stat(fsys, n); err == nil && !st.IsDir() {
				present = append(present, n)
			} else {
				missing = append(missing, n)
			}
		}
		return present, missing
	}
	p100, m100 := has(files100K)
	p1m, m1m := has(files1M)
	switch {
	case len(m100) == 0 && len(m1m) == 0:
		return nil, &datasets.Error{File: dir, Msg: "holds both MovieLens 100K (" + strings.Join(files100K, ", ") +
			") and MovieLens 1M (" + strings.Join(files1M, ", ") + ") files",
			Fix: "keep one data set per directory", Err: datasets.ErrFormat}
	case len(m100) == 0:
		return import100K(fsys, dir)
	case len(m1m) == 0:
		return import1M(fsys, dir)
	case len(p1m) == 2 && slices.Equal(m1m, []string{"users.dat"}):
		return nil, &datasets.Error{File: dir, Msg: "has ratings.dat and movies.dat but no users.dat: " +
			"this looks like MovieLens 10M or later, which has no user demographics and is not supported",
			Fix: "import MovieLens 100K or 1M, or convert the data to the recaudit tables (user_id, item_id, value, timestamp) " +
				"and load them with recaudit data convert", Err: fmt.Errorf("%w: %w", datasets.ErrFormat, fs.ErrNotExist)}
	case len(p100) > 0 || len(p1m) > 0:
		name, missing, present := "MovieLens 100K", m100, p100
		if len(p1m) > len(p100) {
			name, missing, present = "MovieLens 1M", m1m, p1m
		}
		return nil, &datasets.Error{File: dir, Msg: fmt.Sprintf("has %s but not %s of the %s files",
			strings.Join(present, ", "), strings.Join(missing, ", "), name),
			Fix: "copy the missing files from the unpacked archive", Err: fmt.Errorf("%w: %w", datasets.ErrFormat, fs.ErrNotExist)}
	}
	return nil, &datasets.Error{File: dir, Msg: "is not a MovieLens directory: it has neither the MovieLens 100K files (" +
		strings.Join(files100K, ", ") + ", optionally " + genreFile100K + ") nor the MovieLens 1M files (" + strings.Join(files1M, ", ") + ")",
		Fix: "pass the directory unpacked from ml-100k.zip or ml-1m.zip", Err: fmt.Errorf("%w: %w", datasets.ErrFormat, fs.ErrNotExist)}
}

// textFile is one file's content with its path for error messages.
type textFile struct {
	path string
	text string
}

// readText reads name from fsys. When latin1 is set and the content is not
// valid UTF-8, it is decoded from ISO-8859-1.
func readText(fsys fs.FS, dir, name string, latin1 bool) (*textFile, error) {
	path := filepath.Join(dir, name)
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &datasets.Error{File: path, Msg: "cannot read the file: " + pathErrorReason(err),
			Fix: "check that the file exists and is readable", Err: fmt.Errorf("%w: %w", datasets.ErrFormat, err)}
	}
	text := string(data)
	if latin1 && !utf8.ValidString(text) {
		text = decodeLatin1(data)
	}
	text = strings.TrimPrefix(text, "\ufeff")
	return &textFile{path: path, text: text}, nil
}

// decodeLatin1 converts ISO-8859-1 bytes to a UTF-8 string: byte b is
// code point U+00b.
func decodeLatin1(data []byte) string {
	var b strings.Builder
	b.Grow(len(data) + len(data)/8)
	for _, c := range data {
		b.WriteRune(rune(c))
	}
	return b.String()
}

// lines yields the non-blank lines of the file with their 1-based line
// numbers, without the line ending.
func (f *textFile) lines() iter.Seq2[int64, string] {
	return func(yield func(int64, string) bool) {
		rest := f.text
		for n := int64(1); rest != ""; n++ {
			line := rest
			if i := strings.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = ""
			}
			line = strings.TrimSuffix(line, "\r")
			if strings.TrimSpace(line) == "" {
				continue
			}
			if !yield(n, line) {
				return
			}
		}
	}
}

// errorAt returns an error about the field column of line n.
func (f *textFile) errorAt(n int64, column string, kind error, fix, format string, args ...any) *datasets.Error {
	return &datasets.Error{File: f.path, Column: column, Line: n, Msg: fmt.Sprintf(format, args...), Fix: fix, Err: kind}
}

// split splits line n at sep into exactly len(names) fields, trimmed of
// surrounding spaces.
func (f *textFile) split(n int64, line, sep string, names []string) ([]string, error) {
	fields := strings.Split(line, sep)
	if len(fields) != len(names) {
		return nil, f.errorAt(n, "", datasets.ErrFormat,
			fmt.Sprintf("write one record per line as %s", strings.Join(names, sep)),
			"has %d fields separated by %q, want %d", len(fields), sep, len(names))
	}
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	return fields, nil
}

// id parses an integer ID.
func (f *textFile) id(n int64, column, s string) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, f.errorAt(n, column, datasets.ErrValue, "write the ID as a whole number, e.g. 42",
			"%s %q is not an integer", column, s)
	}
	return v, nil
}

// indexIDs indexes ids in file order; lines holds each ID's line number.
func (f *textFile) indexIDs(ids, lines []int64, column, what string) (*datasets.IDs, error) {
	if len(ids) == 0 {
		return nil, &datasets.Error{File: f.path, Msg: "has no " + what,
			Fix: "use the complete file from the data set's archive", Err: datasets.ErrEmpty}
	}
	x, dup := datasets.NewIntIDs(ids)
	if dup >= 0 {
		first := slices.Index(ids, ids[dup])
		return nil, f.errorAt(lines[dup], column, datasets.ErrDuplicate, "give every "+strings.TrimSuffix(what, "s")+" one line",
			"%s %d is listed twice (lines %d and %d)", column, ids[dup], lines[first], lines[dup])
	}
	return x, nil
}

// ratingsFormat describes the ratings file of a format.
type ratingsFormat struct {
	names     []string // user, item, rating, timestamp field names
	split     string   // field separator; "" means runs of spaces and tabs
	sep       string   // separator as named in messages: "tabs", `"::"`
	itemsFile string
	usersFile string
}

// splitInto splits s at sep into dst, trimming each field of surrounding
// white space, and returns the number of fields of s, which may exceed
// len(dst). An empty sep splits at runs of ASCII spaces and tabs,
// ignoring leading and trailing ones.
func splitInto(dst []string, s, sep string) int {
	n := 0
	put := func(f string) {
		if n < len(dst) {
			dst[n] = strings.TrimSpace(f)
		}
		n++
	}
	if sep != "" {
		for {
			i := strings.Index(s, sep)
			if i < 0 {
				put(s)
				return n
			}
			put(s[:i])
			s = s[i+len(sep):]
		}
	}
	start := -1
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			if start >= 0 {
				put(s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		put(s[start:])
	}
	return n
}

// ratingEntry is one parsed rating.
type ratingEntry struct {
	user, item int32
	rating     float32
	time       int64
	line       int64
}

// readRatings parses a ratings file into the interactions CSR (users ×
// items) and returns it with the number of rating lines.
func readRatings(f *textFile, rf ratingsFormat, users, items *datasets.IDs) (datasets.CSR, int64, error) {
	entries := make([]ratingEntry, 0, strings.Count(f.text, "\n")+1)
	var fields [4]string
	for n, line := range f.lines() {
		k := splitInto(fields[:], line, rf.split)
		if k != len(fields) {
			return datasets.CSR{}, 0, f.errorAt(n, "", datasets.ErrFormat,
				fmt.Sprintf("write one rating per line as %s separated by %s", strings.Join(rf.names, ", "), rf.sep),
				"has %d fields, want 4 separated by %s", k, rf.sep)
		}
		uid, err := f.id(n, rf.names[0], fields[0])
		if err != nil {
			return datasets.CSR{}, 0, err
		}
		iid, err := f.id(n, rf.names[1], fields[1])
		if err != nil {
			return datasets.CSR{}, 0, err
		}
		u, ok := users.LookupInt(uid)
		if !ok {
			return datasets.CSR{}, 0, f.errorAt(n, rf.names[0], datasets.ErrUnknownID,
				"add the user to "+rf.usersFile+" or remove the rating",
				"user %d is not in %s", uid, rf.usersFile)
		}
		i, ok := items.LookupInt(iid)
		if !ok {
			return datasets.CSR{}, 0, f.errorAt(n, rf.names[1], datasets.ErrUnknownID,
				"add the movie to "+rf.itemsFile+" or remove the rating",
				"movie %d is not in %s", iid, rf.itemsFile)
		}
		r, err := strconv.ParseFloat(fields[2], 32)
		if err != nil || !(r >= 0.5 && r <= 5) {
			return datasets.CSR{}, 0, f.errorAt(n, rf.names[2], datasets.ErrValue,
				"write the rating as a number of stars from 1 to 5",
				"rating %q is not a number from 0.5 to 5", fields[2])
		}
		t, err := strconv.ParseInt(fields[3], 10, 64)
		if err != nil || t < 0 {
			return datasets.CSR{}, 0, f.errorAt(n, rf.names[3], datasets.ErrValue,
				"write the time as Unix seconds, e.g. 881250949",
				"timestamp %q is not a non-negative whole number of seconds", fields[3])
		}
		entries = append(entries, ratingEntry{user: u, item: i, rating: float32(r), time: t, line: n})
	}
	if len(entries) == 0 {
		return datasets.CSR{}, 0, &datasets.Error{File: f.path, Msg: "has no ratings",
			Fix: "use the complete file from the data set's archive", Err: datasets.ErrEmpty}
	}

	// Group by user (stable, so lines stay in file order within a user),
	// then sort each row by (item, line).
	m := datasets.CSR{Rows: users.Len(), NumCols: items.Len(), Offsets: make([]int64, users.Len()+1)}
	for _, e := range entries {
		m.Offsets[e.user+1]++
	}
	for u := range m.Rows {
		m.Offsets[u+1] += m.Offsets[u]
	}
	byUser := make([]ratingEntry, len(entries))
	next := slices.Clone(m.Offsets[:m.Rows])
	for _, e := range entries {
		byUser[next[e.user]] = e
		next[e.user]++
	}
	var dup *ratingEntry
	var dupFirst int64
	for u := range m.Rows {
		row := byUser[m.Offsets[u]:m.Offsets[u+1]]
		slices.SortFunc(row, func(a, b ratingEntry) int {
			if c := cmp.Compare(a.item, b.item); c != 0 {
				return c
			}
			return cmp.Compare(a.line, b.line)
		})
		for j := 1; j < len(row); j++ {
			if row[j].item == row[j-1].item && (dup == nil || row[j].line < dup.line) {
				dup, dupFirst = &row[j], row[j-1].line
			}
		}
	}
	if dup != nil {
		return datasets.CSR{}, 0, f.errorAt(dup.line, rf.names[1], datasets.ErrDuplicate,
			"keep one rating per user and movie",
			"user %d rated movie %d twice (lines %d and %d)", users.Int(dup.user), items.Int(dup.item), dupFirst, dup.line)
	}
	m.Cols = make([]int32, len(byUser))
	m.Values = make([]float32, len(byUser))
	m.Times = make([]int64, len(byUser))
	for j, e := range byUser {
		m.Cols[j], m.Values[j], m.Times[j] = e.item, e.rating, e.time
	}
	return m, int64(len(entries)), nil
}

// categorical builds a Categorical column; empty strings are nulls.
func categorical(name string, role datasets.Role, values []string) datasets.Column {
	levels := make([]string, 0, len(values))
	for _, v := range values {
		if v != "" {
			levels = append(levels, v)
		}
	}
	slices.Sort(levels)
	levels = slices.Compact(levels)
	codes := make([]int32, len(values))
	for i, v := range values {
		codes[i] = -1
		if v != "" {
			j, _ := slices.BinarySearch(levels, v)
			codes[i] = int32(j)
		}
	}
	return datasets.Column{Name: name, Role: role, Kind: datasets.Categorical, Levels: levels, Codes: codes}
}

// multiCategorical builds a MultiCategorical column; rows must not repeat
// a value.
func multiCategorical(name string, role datasets.Role, rows [][]string) datasets.Column {
	var levels []string
	for _, r := range rows {
		levels = append(levels, r...)
	}
	slices.Sort(levels)
	levels = slices.Compact(levels)
	if levels == nil {
		levels = []string{}
	}
	c := datasets.Column{Name: name, Role: role, Kind: datasets.MultiCategorical, Levels: levels,
		Offsets: make([]int32, 1, len(rows)+1), Codes: []int32{}}
	for _, r := range rows {
		start := len(c.Codes)
		for _, v := range r {
			j, _ := slices.BinarySearch(levels, v)
			c.Codes = append(c.Codes, int32(j))
		}
		slices.Sort(c.Codes[start:])
		c.Offsets = append(c.Offsets, int32(len(c.Codes)))
	}
	return c
}

// numeric builds a Numeric column.
func numeric(name string, role datasets.Role, values []float64) datasets.Column {
	return datasets.Column{Name: name, Role: role, Kind: datasets.Numeric, Floats: values}
}

// ageBandDef is one age band: its 1M age code (the lower bound in years)
// and name.
type ageBandDef struct {
	code int
	name string
}

// ageBands are the age bands of the MovieLens 1M README, by lower bound.
var ageBands = []ageBandDef{
	{1, "Under 18"}, {18, "18-24"}, {25, "25-34"}, {35, "35-44"}, {45, "45-49"}, {50, "50-55"}, {56, "56+"},
}

// ageBand returns the band of an age in years.
func ageBand(age int) string {
	band := ageBands[0].name
	for _, b := range ageBands[1:] {
		if age >= b.code {
			band = b.name
		}
	}
	return band
}

// titleYear returns the year in parentheses at the end of a title, as in
// "Toy Story (1995)".
func titleYear(title string) (float64, bool) {
	t := strings.TrimSpace(title)
	if len(t) < 6 || t[len(t)-1] != ')' || t[len(t)-6] != '(' {
		return math.NaN(), false
	}
	y := t[len(t)-5 : len(t)-1]
	for _, c := range y {
		if c < '0' || c > '9' {
			return math.NaN(), false
		}
	}
	v, _ := strconv.Atoi(y)
	return float64(v), true
}

// withoutHistory counts the rows of m without entries and the columns
// without entries.
func withoutHistory(m *datasets.CSR) (users, items int) {
	seen := make([]bool, m.NumCols)
	for _, c := range m.Cols {
		seen[c] = true
	}
	for u := range m.Rows {
		if m.Len(u) == 0 {
			users++
		}
	}
	for _, s := range seen {
		if !s {
			items++
		}
	}
	return users, items
}

// dataset assembles the Dataset.
func dataset(source string, users, items *datasets.IDs, m datasets.CSR, rows int64,
	userCols, itemCols []datasets.Column, ignored []string) *datasets.Dataset {
	uw, iw := withoutHistory(&m)
	return &datasets.Dataset{
		Users: users, Items: items, Interactions: m,
		UserColumns: userCols, ItemColumns: itemCols,
		Metadata: map[string]string{MetadataSource: source},
		Report: datasets.Report{
			InteractionRows: rows, UsersFromTable: true, ItemsFromTable: true,
			UsersWithoutHistory: uw, ItemsWithoutHistory: iw, IgnoredColumns: ignored,
		},
	}
}
