package movielens

import (
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/recaudit/recaudit/datasets"
)

var nan = math.NaN()

// want100K is the import of testdata/ml-100k-mini, written out by hand
// from the fixture files (see testdata/README.md).
//
// Users in u.user order 1 2 3 5 4 get indices 0..4, movies 1..6 get 0..5.
// Ratings by user (item index: rating @ time - 880000000):
//
//	user 1: item 0: 5 @ 100, item 1: 3 @ 50,  item 2: 4 @ 200
//	user 2: item 0: 3 @ 150, item 1: 5 @ 150
//	user 3: item 1: 4 @ 300, item 3: 1 @ 400
//	user 5: item 0: 5 @ 700, item 2: 4 @ 600, item 4: 2 @ 500
//	user 4: none
func want100K() *datasets.Dataset {
	const t0 = 880000000
	return &datasets.Dataset{
		Interactions: datasets.CSR{
			Rows: 5, NumCols: 6,
			Offsets: []int64{0, 3, 5, 7, 10, 10},
			Cols:    []int32{0, 1, 2, 0, 1, 1, 3, 0, 2, 4},
			Values:  []float32{5, 3, 4, 3, 5, 4, 1, 5, 4, 2},
			Times:   []int64{t0 + 100, t0 + 50, t0 + 200, t0 + 150, t0 + 150, t0 + 300, t0 + 400, t0 + 700, t0 + 600, t0 + 500},
		},
		UserColumns: []datasets.Column{
			// M F M F F
			{Name: "gender", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
				Levels: []string{"F", "M"}, Codes: []int32{1, 0, 1, 0, 0}},
			{Name: "age", Role: datasets.RoleSensitive, Kind: datasets.Numeric, Floats: []float64{29, 52, 16, 41, 38}},
			// 25-34 50-55 Under 18 35-44 35-44
			{Name: "age_band", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
				Levels: []string{"25-34", "35-44", "50-55", "Under 18"}, Codes: []int32{0, 2, 3, 1, 1}},
			{Name: "occupation", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
				Levels: []string{"artist", "engineer", "librarian", "student", "writer"}, Codes: []int32{1, 2, 3, 4, 0}},
			// user 4 has an empty zip code: null.
			{Name: "zip", Role: datasets.RoleAttribute, Kind: datasets.Categorical,
				Levels: []string{"02139", "60614", "97201", "K1A0B"}, Codes: []int32{0, 1, 3, 2, -1}},
		},
		ItemColumns: []datasets.Column{
			// Drama Romance | Comedy Drama Romance | Action Sci-Fi Thriller |
			// unknown | Western | Animation Children's Musical
			{Name: "category", Role: datasets.RoleItemGroup, Kind: datasets.MultiCategorical,
				Levels:  []string{"Action", "Animation", "Children's", "Comedy", "Drama", "Musical", "Romance", "Sci-Fi", "Thriller", "Western", "unknown"},
				Offsets: []int32{0, 2, 5, 8, 9, 10, 13},
				Codes:   []int32{4, 6, 3, 4, 6, 0, 7, 8, 10, 9, 1, 2, 5}},
			{Name: "title", Role: datasets.RoleAttribute, Kind: datasets.Categorical,
				Levels: []string{"Harbour Lights (1994)", "Iron Orchard (1997)", "Le Café des Étoiles (1996)", "Paper Moons (1995)", "Quiet Frontier", "unknown"},
				Codes:  []int32{0, 2, 1, 5, 4, 3}},
			// Movie 5 has no year in its title: 1998 from its release date.
			// Movie 4 has neither.
			{Name: "year", Role: datasets.RoleAttribute, Kind: datasets.Numeric, Floats: []float64{1994, 1996, 1997, nan, 1998, 1995}},
		},
		Metadata: map[string]string{"recaudit.source": "movielens-100k"},
		Report: datasets.Report{InteractionRows: 10, UsersFromTable: true, ItemsFromTable: true,
			UsersWithoutHistory: 1, ItemsWithoutHistory: 1,
			IgnoredColumns: []string{"items.video release date", "items.IMDb URL"}},
	}
}

// want1M is the import of testdata/ml-1m-mini, written out by hand.
//
// Users 1..5 get indices 0..4; movies in movies.dat order 10 2 7 4 11 get
// 0..4. Ratings by user (item index: rating @ time - 975000000):
//
//	user 1: item 0: 5 @ 200, item 1: 4 @ 100, item 2: 3 @ 0
//	user 2: item 0: 4 @ 50,  item 2: 3 @ 300
//	user 3: item 1: 2 @ 400, item 3: 5 @ 400
//	user 4: none
//	user 5: item 1: 5 @ 600, item 2: 1 @ 500
func want1M() *datasets.Dataset {
	const t0 = 975000000
	return &datasets.Dataset{
		Interactions: datasets.CSR{
			Rows: 5, NumCols: 5,
			Offsets: []int64{0, 3, 5, 7, 7, 9},
			Cols:    []int32{0, 1, 2, 0, 2, 1, 3, 1, 2},
			Values:  []float32{5, 4, 3, 4, 3, 2, 5, 5, 1},
			Times:   []int64{t0 + 200, t0 + 100, t0, t0 + 50, t0 + 300, t0 + 400, t0 + 400, t0 + 600, t0 + 500},
		},
		UserColumns: []datasets.Column{
			// F M M F M
			{Name: "gender", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
				Levels: []string{"F", "M"}, Codes: []int32{0, 1, 1, 0, 1}},
			// age codes 1 56 25 45 35
			{Name: "age_band", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
				Levels: []string{"25-34", "35-44", "45-49", "56+", "Under 18"}, Codes: []int32{4, 3, 0, 2, 1}},
			// occupation codes 10 16 15 7 0; "K-12 student" sorts first
			// (byte order).
			{Name: "occupation", Role: datasets.RoleSensitive, Kind: datasets.Categorical,
				Levels: []string{"K-12 student", "executive/managerial", "other", "scientist", "self-employed"},
				Codes:  []int32{0, 4, 3, 1, 2}},
			{Name: "zip", Role: datasets.RoleAttribute, Kind: datasets.Categorical,
				Levels: []string{"02115", "30305", "55455", "73301", "98107-2213"}, Codes: []int32{1, 3, 2, 0, 4}},
		},
		ItemColumns: []datasets.Column{
			// Comedy | Adventure Children's Fantasy | Action Thriller |
			// Drama | Documentary
			{Name: "category", Role: datasets.RoleItemGroup, Kind: datasets.MultiCategorical,
				Levels:  []string{"Action", "Adventure", "Children's", "Comedy", "Documentary", "Drama", "Fantasy", "Thriller"},
				Offsets: []int32{0, 1, 4, 6, 7, 8},
				Codes:   []int32{3, 1, 2, 6, 0, 7, 5, 4}},
			{Name: "title", Role: datasets.RoleAttribute, Kind: datasets.Categorical,
				Levels: []string{"Glass Atlas (1998)", "Grey Harbour", "Night Ferry: The Return (1987)", "Señor Sombra (1999)", "Windmill Summer (1995)"},
				Codes:  []int32{3, 4, 2, 1, 0}},
			{Name: "year", Role: datasets.RoleAttribute, Kind: datasets.Numeric, Floats: []float64{1999, 1995, 1987, nan, 1998}},
		},
		Metadata: map[string]string{"recaudit.source": "movielens-1m"},
		Report: datasets.Report{InteractionRows: 9, UsersFromTable: true, ItemsFromTable: true,
			UsersWithoutHistory: 1, ItemsWithoutHistory: 1},
	}
}

// checkDataset compares got with want, and the external IDs with the
// given user and item IDs in index order.
func checkDataset(t *testing.T, want, got *datasets.Dataset, users, items []int64) {
	t.Helper()
	if got.Users.Kind() != datasets.IntIDs || got.Items.Kind() != datasets.IntIDs {
		t.Fatalf("IDs are %v/%v, want integers", got.Users.Kind(), got.Items.Kind())
	}
	if diff := cmp.Diff(users, got.Users.Ints()); diff != "" {
		t.Errorf("user IDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(items, got.Items.Ints()); diff != "" {
		t.Errorf("item IDs (-want +got):\n%s", diff)
	}
	if msg := got.Interactions.Validate(); msg != "" {
		t.Errorf("interactions CSR: %s", msg)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateNaNs(), cmpopts.IgnoreFields(datasets.Dataset{}, "Users", "Items")); diff != "" {
		t.Errorf("dataset (-want +got):\n%s", diff)
	}
}

func TestImport100K(t *testing.T) {
	d, err := Import(filepath.Join("testdata", "ml-100k-mini"))
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, want100K(), d, []int64{1, 2, 3, 5, 4}, []int64{1, 2, 3, 4, 5, 6})
}

func TestImport1M(t *testing.T) {
	d, err := Import(filepath.Join("testdata", "ml-1m-mini"))
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, want1M(), d, []int64{1, 2, 3, 4, 5}, []int64{10, 2, 7, 4, 11})
}

// readFixture returns the files of a testdata directory.
func readFixture(t *testing.T, name string) map[string]string {
	t.Helper()
	dir := filepath.Join("testdata", name)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := make(map[string]string)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// writeDir writes files into a new temporary directory and returns it.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// setLine replaces 1-based line n of s.
func setLine(s string, n int, line string) string {
	lines := strings.Split(s, "\n")
	lines[n-1] = line
	return strings.Join(lines, "\n")
}

// TestImportVariants checks inputs that must import to the same dataset as
// the fixtures.
func TestImportVariants(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(map[string]string)
	}{
		// Without u.genre the standard 19 genres apply: the same as the
		// fixture's u.genre.
		{"no u.genre", func(f map[string]string) { delete(f, "u.genre") }},
		// A UTF-8 copy of u.item and u.user (a re-encoded distribution).
		{"utf-8 u.item", func(f map[string]string) {
			f["u.item"] = decodeLatin1([]byte(f["u.item"]))
			f["u.user"] = "\ufeff" + f["u.user"]
		}},
		// CRLF endings, blank lines, spaces instead of tabs in u.data.
		{"crlf and spaces", func(f map[string]string) {
			f["u.data"] = "\n" + strings.ReplaceAll(strings.ReplaceAll(f["u.data"], "\t", "  "), "\n", "\r\n\r\n")
			f["u.user"] = strings.ReplaceAll(f["u.user"], "\n", "\r\n")
		}},
		// Other MovieLens files are ignored.
		{"extra files", func(f map[string]string) {
			f["u.info"] = "943 users\n"
			f["u1.base"] = "garbage"
			f["README"] = "readme"
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := readFixture(t, "ml-100k-mini")
			tc.edit(files)
			d, err := Import(writeDir(t, files))
			if err != nil {
				t.Fatal(err)
			}
			checkDataset(t, want100K(), d, []int64{1, 2, 3, 5, 4}, []int64{1, 2, 3, 4, 5, 6})
		})
	}
	// A UTF-8 movies.dat gives the same 1M titles.
	files := readFixture(t, "ml-1m-mini")
	files["movies.dat"] = decodeLatin1([]byte(files["movies.dat"]))
	d, err := Import(writeDir(t, files))
	if err != nil {
		t.Fatal(err)
	}
	checkDataset(t, want1M(), d, []int64{1, 2, 3, 4, 5}, []int64{10, 2, 7, 4, 11})
}

// TestImportGenreOrder checks that u.genre names the flags: with the
// positions of Drama and Romance swapped, the fixture's Drama flags mean
// Romance and the reverse, which gives the same genre sets here, while a
// renamed genre changes the levels.
func TestImportGenreOrder(t *testing.T) {
	files := readFixture(t, "ml-100k-mini")
	files["u.genre"] = strings.Replace(files["u.genre"], "Western|18", "Cowboy|18", 1)
	d, err := Import(writeDir(t, files))
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := d.ItemColumn("category")
	// Hand-computed: "Cowboy" sorts between "Children's" and "Comedy".
	want := []string{"Action", "Animation", "Children's", "Comedy", "Cowboy", "Drama", "Musical", "Romance", "Sci-Fi", "Thriller", "unknown"}
	if diff := cmp.Diff(want, cat.Levels); diff != "" {
		t.Errorf("levels (-want +got):\n%s", diff)
	}
	// Movie 5 (index 4) is the only Western: now "Cowboy", code 4.
	if diff := cmp.Diff([]int32{4}, cat.RowCodes(4)); diff != "" {
		t.Errorf("movie 5 genres (-want +got):\n%s", diff)
	}
}

// TestImportErrors checks every error path: the sentinel, the line, the
// column and the whole message.
func TestImportErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fixture string
		edit    func(map[string]string)
		is      error
		line    int64
		column  string
		want    string // the message; DIR stands for the directory
	}{
		// u.data
		{"u.data fields", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 2, "3\t2\t4") },
			datasets.ErrFormat, 2, "",
			"DIR/u.data, line 2: has 3 fields, want 4 separated by tabs; fix: write one rating per line as user id, item id, rating, timestamp separated by tabs"},
		{"u.data user id", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 3, "x1\t3\t4\t880000200") },
			datasets.ErrValue, 3, "user id",
			`DIR/u.data: column "user id", line 3: user id "x1" is not an integer; fix: write the ID as a whole number, e.g. 42`},
		{"u.data item id", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 3, "1\t3.0\t4\t880000200") },
			datasets.ErrValue, 3, "item id",
			`DIR/u.data: column "item id", line 3: item id "3.0" is not an integer; fix: write the ID as a whole number, e.g. 42`},
		{"u.data unknown user", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 4, "9\t1\t3\t880000150") },
			datasets.ErrUnknownID, 4, "user id",
			`DIR/u.data: column "user id", line 4: user 9 is not in u.user; fix: add the user to u.user or remove the rating`},
		{"u.data unknown movie", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 5, "5\t99\t2\t880000500") },
			datasets.ErrUnknownID, 5, "item id",
			`DIR/u.data: column "item id", line 5: movie 99 is not in u.item; fix: add the movie to u.item or remove the rating`},
		{"u.data rating range", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 6, "2\t2\t6\t880000150") },
			datasets.ErrValue, 6, "rating",
			`DIR/u.data: column "rating", line 6: rating "6" is not a number from 0.5 to 5; fix: write the rating as a number of stars from 1 to 5`},
		{"u.data rating NaN", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 6, "2\t2\tNaN\t880000150") },
			datasets.ErrValue, 6, "rating",
			`DIR/u.data: column "rating", line 6: rating "NaN" is not a number from 0.5 to 5; fix: write the rating as a number of stars from 1 to 5`},
		{"u.data timestamp", "ml-100k-mini", func(f map[string]string) { f["u.data"] = setLine(f["u.data"], 7, "1\t2\t3\t-50") },
			datasets.ErrValue, 7, "timestamp",
			`DIR/u.data: column "timestamp", line 7: timestamp "-50" is not a non-negative whole number of seconds; fix: write the time as Unix seconds, e.g. 881250949`},
		{"u.data duplicate", "ml-100k-mini", func(f map[string]string) { f["u.data"] += "5\t4\t1\t880000900\n1\t3\t2\t880000900\n" },
			datasets.ErrDuplicate, 12, "item id",
			`DIR/u.data: column "item id", line 12: user 1 rated movie 3 twice (lines 3 and 12); fix: keep one rating per user and movie`},
		{"u.data empty", "ml-100k-mini", func(f map[string]string) { f["u.data"] = "\n\n" },
			datasets.ErrEmpty, 0, "",
			`DIR/u.data: has no ratings; fix: use the complete file from the data set's archive`},
		// u.user
		{"u.user fields", "ml-100k-mini", func(f map[string]string) { f["u.user"] = setLine(f["u.user"], 2, "2|52|F|librarian") },
			datasets.ErrFormat, 2, "",
			`DIR/u.user, line 2: has 4 fields separated by "|", want 5; fix: write one record per line as user id|age|gender|occupation|zip code`},
		{"u.user age", "ml-100k-mini", func(f map[string]string) { f["u.user"] = setLine(f["u.user"], 3, "3|0|M|student|K1A0B") },
			datasets.ErrValue, 3, "age",
			`DIR/u.user: column "age", line 3: age "0" is not a whole number of years from 1 to 120; fix: write the age in whole years, e.g. 24`},
		{"u.user gender", "ml-100k-mini", func(f map[string]string) { f["u.user"] = setLine(f["u.user"], 1, "1|29||engineer|02139") },
			datasets.ErrValue, 1, "gender",
			`DIR/u.user: column "gender", line 1: gender is empty; fix: fill in the gender as in the original u.user`},
		{"u.user occupation", "ml-100k-mini", func(f map[string]string) { f["u.user"] = setLine(f["u.user"], 1, "1|29|M| |02139") },
			datasets.ErrValue, 1, "occupation",
			`DIR/u.user: column "occupation", line 1: occupation is empty; fix: fill in the occupation as in the original u.user`},
		{"u.user duplicate", "ml-100k-mini", func(f map[string]string) { f["u.user"] = setLine(f["u.user"], 5, "2|38|F|artist|") },
			datasets.ErrDuplicate, 5, "user id",
			`DIR/u.user: column "user id", line 5: user id 2 is listed twice (lines 2 and 5); fix: give every user one line`},
		{"u.user empty", "ml-100k-mini", func(f map[string]string) { f["u.user"] = "" },
			datasets.ErrEmpty, 0, "",
			`DIR/u.user: has no users; fix: use the complete file from the data set's archive`},
		// u.item
		{"u.item fields", "ml-100k-mini", func(f map[string]string) {
			f["u.item"] = setLine(f["u.item"], 4, "4|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0")
		},
			datasets.ErrFormat, 4, "",
			`DIR/u.item, line 4: has 23 fields separated by "|", want 24; fix: write one record per line as movie id|movie title|release date|video release date|IMDb URL|unknown|Action|Adventure|Animation|Children's|Comedy|Crime|Documentary|Drama|Fantasy|Film-Noir|Horror|Musical|Mystery|Romance|Sci-Fi|Thriller|War|Western`},
		{"u.item flag", "ml-100k-mini", func(f map[string]string) {
			f["u.item"] = setLine(f["u.item"], 4, "4|unknown||||1|0|0|0|0|0|0|0|yes|0|0|0|0|0|0|0|0|0|0")
		},
			datasets.ErrValue, 4, "Drama",
			`DIR/u.item: column "Drama", line 4: genre flag "yes" is not 0 or 1; fix: write 1 if the movie is of the genre, else 0`},
		{"u.item date", "ml-100k-mini", func(f map[string]string) {
			f["u.item"] = setLine(f["u.item"], 4, "4|unknown|1995-01-01|||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0")
		},
			datasets.ErrValue, 4, "release date",
			`DIR/u.item: column "release date", line 4: release date "1995-01-01" is not a date; fix: write the date as DD-Mon-YYYY, e.g. 01-Jan-1995, or leave it empty`},
		{"u.item id", "ml-100k-mini", func(f map[string]string) {
			f["u.item"] = setLine(f["u.item"], 4, "#4|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0")
		},
			datasets.ErrValue, 4, "movie id",
			`DIR/u.item: column "movie id", line 4: movie id "#4" is not an integer; fix: write the ID as a whole number, e.g. 42`},
		{"u.item duplicate", "ml-100k-mini", func(f map[string]string) {
			f["u.item"] = setLine(f["u.item"], 6, "1|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0")
		},
			datasets.ErrDuplicate, 6, "movie id",
			`DIR/u.item: column "movie id", line 6: movie id 1 is listed twice (lines 1 and 6); fix: give every movie one line`},
		// u.genre
		{"u.genre fields", "ml-100k-mini", func(f map[string]string) { f["u.genre"] = setLine(f["u.genre"], 3, "Adventure") },
			datasets.ErrFormat, 3, "",
			`DIR/u.genre, line 3: has 1 fields separated by "|", want 2; fix: write one record per line as genre|position`},
		{"u.genre position", "ml-100k-mini", func(f map[string]string) { f["u.genre"] = setLine(f["u.genre"], 3, "Adventure|two") },
			datasets.ErrValue, 3, "position",
			`DIR/u.genre: column "position", line 3: position "two" is not a whole number from 0; fix: write the genre's flag position in u.item, counting from 0`},
		{"u.genre beyond", "ml-100k-mini", func(f map[string]string) { f["u.genre"] = setLine(f["u.genre"], 3, "Adventure|19") },
			datasets.ErrValue, 3, "position",
			`DIR/u.genre: column "position", line 3: position 19 is beyond the 19 genres listed; fix: number the genres 0, 1, 2, ... in the order of the u.item flags`},
		{"u.genre repeated position", "ml-100k-mini", func(f map[string]string) { f["u.genre"] = setLine(f["u.genre"], 3, "Adventure|1") },
			datasets.ErrDuplicate, 3, "position",
			`DIR/u.genre: column "position", line 3: position 1 is taken twice (lines 2 and 3); fix: give every genre its own position`},
		{"u.genre repeated name", "ml-100k-mini", func(f map[string]string) { f["u.genre"] = setLine(f["u.genre"], 3, "Action|2") },
			datasets.ErrDuplicate, 3, "genre",
			`DIR/u.genre: column "genre", line 3: genre "Action" is listed twice (lines 2 and 3); fix: list every genre once`},
		{"u.genre empty name", "ml-100k-mini", func(f map[string]string) { f["u.genre"] = setLine(f["u.genre"], 3, "|2") },
			datasets.ErrValue, 3, "genre",
			`DIR/u.genre: column "genre", line 3: the genre name is empty; fix: name the genre, e.g. Action|1`},
		{"u.genre empty", "ml-100k-mini", func(f map[string]string) { f["u.genre"] = "\r\n" },
			datasets.ErrEmpty, 0, "",
			`DIR/u.genre: has no genres; fix: list one genre per line as genre|position, or delete the file to use the standard 19 genres`},
		{"u.genre fewer than flags", "ml-100k-mini", func(f map[string]string) {
			f["u.genre"] = strings.Replace(f["u.genre"], "Western|18\r\n", "", 1)
		},
			datasets.ErrFormat, 1, "",
			`DIR/u.item, line 1: has 24 fields separated by "|", want 23; fix: write one record per line as movie id|movie title|release date|video release date|IMDb URL|unknown|Action|Adventure|Animation|Children's|Comedy|Crime|Documentary|Drama|Fantasy|Film-Noir|Horror|Musical|Mystery|Romance|Sci-Fi|Thriller|War`},
		// ratings.dat
		{"ratings.dat fields", "ml-1m-mini", func(f map[string]string) { f["ratings.dat"] = setLine(f["ratings.dat"], 2, "1::10::5:975000200") },
			datasets.ErrFormat, 2, "",
			`DIR/ratings.dat, line 2: has 3 fields, want 4 separated by "::"; fix: write one rating per line as UserID, MovieID, Rating, Timestamp separated by "::"`},
		{"ratings.dat unknown movie", "ml-1m-mini", func(f map[string]string) { f["ratings.dat"] = setLine(f["ratings.dat"], 2, "1::3::5::975000200") },
			datasets.ErrUnknownID, 2, "MovieID",
			`DIR/ratings.dat: column "MovieID", line 2: movie 3 is not in movies.dat; fix: add the movie to movies.dat or remove the rating`},
		{"ratings.dat unknown user", "ml-1m-mini", func(f map[string]string) { f["ratings.dat"] = setLine(f["ratings.dat"], 9, "6::2::5::975000600") },
			datasets.ErrUnknownID, 9, "UserID",
			`DIR/ratings.dat: column "UserID", line 9: user 6 is not in users.dat; fix: add the user to users.dat or remove the rating`},
		{"ratings.dat rating", "ml-1m-mini", func(f map[string]string) { f["ratings.dat"] = setLine(f["ratings.dat"], 9, "5::2::five::975000600") },
			datasets.ErrValue, 9, "Rating",
			`DIR/ratings.dat: column "Rating", line 9: rating "five" is not a number from 0.5 to 5; fix: write the rating as a number of stars from 1 to 5`},
		{"ratings.dat duplicate", "ml-1m-mini", func(f map[string]string) { f["ratings.dat"] = setLine(f["ratings.dat"], 7, "5::2::4::975000050") },
			datasets.ErrDuplicate, 9, "MovieID",
			`DIR/ratings.dat: column "MovieID", line 9: user 5 rated movie 2 twice (lines 7 and 9); fix: keep one rating per user and movie`},
		// users.dat
		{"users.dat fields", "ml-1m-mini", func(f map[string]string) { f["users.dat"] = setLine(f["users.dat"], 1, "1::F::1::10") },
			datasets.ErrFormat, 1, "",
			`DIR/users.dat, line 1: has 4 fields separated by "::", want 5; fix: write one record per line as UserID::Gender::Age::Occupation::Zip-code`},
		{"users.dat age", "ml-1m-mini", func(f map[string]string) { f["users.dat"] = setLine(f["users.dat"], 2, "2::M::20::16::73301") },
			datasets.ErrValue, 2, "Age",
			`DIR/users.dat: column "Age", line 2: Age "20" is not an age code; fix: use one of the age codes 1, 18, 25, 35, 45, 50, 56 (the lower bound of the band)`},
		{"users.dat occupation", "ml-1m-mini", func(f map[string]string) { f["users.dat"] = setLine(f["users.dat"], 2, "2::M::56::21::73301") },
			datasets.ErrValue, 2, "Occupation",
			`DIR/users.dat: column "Occupation", line 2: Occupation "21" is not an occupation code from 0 to 20; fix: use an occupation code from 0 (other) to 20 (writer), as listed in the 1M README`},
		{"users.dat gender", "ml-1m-mini", func(f map[string]string) { f["users.dat"] = setLine(f["users.dat"], 2, "2::::56::16::73301") },
			datasets.ErrValue, 2, "Gender",
			`DIR/users.dat: column "Gender", line 2: Gender is empty; fix: write M or F as in the original users.dat`},
		{"users.dat duplicate", "ml-1m-mini", func(f map[string]string) { f["users.dat"] = setLine(f["users.dat"], 4, "1::F::45::7::02115") },
			datasets.ErrDuplicate, 4, "UserID",
			`DIR/users.dat: column "UserID", line 4: UserID 1 is listed twice (lines 1 and 4); fix: give every user one line`},
		// movies.dat
		{"movies.dat fields", "ml-1m-mini", func(f map[string]string) { f["movies.dat"] = setLine(f["movies.dat"], 4, "4::Grey Harbour") },
			datasets.ErrFormat, 4, "",
			`DIR/movies.dat, line 4: has 2 fields separated by "::", want 3; fix: write one movie per line as MovieID::Title::Genres`},
		{"movies.dat id", "ml-1m-mini", func(f map[string]string) { f["movies.dat"] = setLine(f["movies.dat"], 4, "four::Grey Harbour::Drama") },
			datasets.ErrValue, 4, "MovieID",
			`DIR/movies.dat: column "MovieID", line 4: MovieID "four" is not an integer; fix: write the ID as a whole number, e.g. 42`},
		{"movies.dat empty genre", "ml-1m-mini", func(f map[string]string) {
			f["movies.dat"] = setLine(f["movies.dat"], 3, "7::Night Ferry: The Return (1987)::Action||Thriller")
		},
			datasets.ErrValue, 3, "Genres",
			`DIR/movies.dat: column "Genres", line 3: Genres "Action||Thriller" has an empty genre; fix: separate genres with a single '|', e.g. Animation|Comedy`},
		{"movies.dat repeated genre", "ml-1m-mini", func(f map[string]string) {
			f["movies.dat"] = setLine(f["movies.dat"], 3, "7::Night Ferry: The Return (1987)::Action|Action")
		},
			datasets.ErrDuplicate, 3, "Genres",
			`DIR/movies.dat: column "Genres", line 3: Genres "Action|Action" lists "Action" twice; fix: list each genre of the movie once`},
		{"movies.dat duplicate", "ml-1m-mini", func(f map[string]string) {
			f["movies.dat"] = setLine(f["movies.dat"], 5, "2::Glass Atlas (1998)::Documentary")
		},
			datasets.ErrDuplicate, 5, "MovieID",
			`DIR/movies.dat: column "MovieID", line 5: MovieID 2 is listed twice (lines 2 and 5); fix: give every movie one line`},
		{"movies.dat empty", "ml-1m-mini", func(f map[string]string) { f["movies.dat"] = "\n" },
			datasets.ErrEmpty, 0, "",
			`DIR/movies.dat: has no movies; fix: use the complete file from the data set's archive`},
		// directories
		{"empty directory", "", func(f map[string]string) {}, fs.ErrNotExist, 0, "",
			`DIR: is not a MovieLens directory: it has neither the MovieLens 100K files (u.data, u.item, u.user, optionally u.genre) nor the MovieLens 1M files (ratings.dat, movies.dat, users.dat); fix: pass the directory unpacked from ml-100k.zip or ml-1m.zip`},
		{"partial 100K", "ml-100k-mini", func(f map[string]string) { delete(f, "u.item") }, fs.ErrNotExist, 0, "",
			`DIR: has u.data, u.user but not u.item of the MovieLens 100K files; fix: copy the missing files from the unpacked archive`},
		{"partial 1M", "ml-1m-mini", func(f map[string]string) { delete(f, "ratings.dat"); delete(f, "movies.dat") }, fs.ErrNotExist, 0, "",
			`DIR: has users.dat but not ratings.dat, movies.dat of the MovieLens 1M files; fix: copy the missing files from the unpacked archive`},
		{"10M", "ml-1m-mini", func(f map[string]string) { delete(f, "users.dat") }, fs.ErrNotExist, 0, "",
			`DIR: has ratings.dat and movies.dat but no users.dat: this looks like MovieLens 10M or later, which has no user demographics and is not supported; fix: import MovieLens 100K or 1M, or convert the data to the recaudit tables (user_id, item_id, value, timestamp) and load them with recaudit data convert`},
		{"both", "ml-1m-mini", func(f map[string]string) {
			for k, v := range readFixture(t, "ml-100k-mini") {
				f[k] = v
			}
		}, datasets.ErrFormat, 0, "",
			`DIR: holds both MovieLens 100K (u.data, u.item, u.user) and MovieLens 1M (ratings.dat, movies.dat, users.dat) files; fix: keep one data set per directory`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{}
			if tc.fixture != "" {
				files = readFixture(t, tc.fixture)
			}
			tc.edit(files)
			dir := writeDir(t, files)
			d, err := Import(dir)
			if err == nil {
				t.Fatalf("no error; imported %d ratings", d.Interactions.NNZ())
			}
			if !errors.Is(err, tc.is) {
				t.Errorf("error %v does not wrap %v", err, tc.is)
			}
			var e *datasets.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not a *datasets.Error", err)
			}
			if e.Line != tc.line || e.Column != tc.column {
				t.Errorf("line %d column %q, want line %d column %q", e.Line, e.Column, tc.line, tc.column)
			}
			if want := strings.ReplaceAll(tc.want, "DIR", dir); err.Error() != want {
				t.Errorf("message\n got %s\nwant %s", err, want)
			}
		})
	}
}

func TestImportPath(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	_, err := Import(missing)
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, datasets.ErrFormat) {
		t.Errorf("missing directory: %v, want ErrNotExist and ErrFormat", err)
	}
	if want := missing + ": cannot open the directory: no such file or directory; fix: pass the directory unpacked from ml-100k.zip or ml-1m.zip"; err.Error() != want {
		t.Errorf("message\n got %s\nwant %s", err, want)
	}
	file := filepath.Join("testdata", "ml-1m-mini", "users.dat")
	_, err = Import(file)
	if want := file + ": not a directory; fix: pass the directory unpacked from ml-100k.zip or ml-1m.zip, not a file in it"; err == nil || err.Error() != want {
		t.Errorf("file: %v, want %s", err, want)
	}
}

// TestImportUnreadable checks a data file that cannot be read (here a
// directory named like one).
func TestImportUnreadable(t *testing.T) {
	fsys := fstest.MapFS{}
	for k, v := range readFixture(t, "ml-100k-mini") {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	fsys["u.genre"] = &fstest.MapFile{Mode: fs.ModeDir}
	_, err := importFS(fsys, "ml")
	var e *datasets.Error
	if !errors.As(err, &e) || e.File != filepath.Join("ml", "u.genre") || !errors.Is(err, datasets.ErrFormat) {
		t.Fatalf("err = %v, want an ErrFormat *datasets.Error about ml/u.genre", err)
	}
	if !strings.HasPrefix(err.Error(), "ml/u.genre: cannot read the file: ") {
		t.Errorf("message %q", err)
	}
}

func TestAgeBand(t *testing.T) {
	// The 1M README's bands: hand-checked boundaries.
	for age, want := range map[int]string{1: "Under 18", 17: "Under 18", 18: "18-24", 24: "18-24", 25: "25-34", 34: "25-34",
		35: "35-44", 44: "35-44", 45: "45-49", 49: "45-49", 50: "50-55", 55: "50-55", 56: "56+", 73: "56+"} {
		if got := ageBand(age); got != want {
			t.Errorf("ageBand(%d) = %q, want %q", age, got, want)
		}
	}
}

func TestTitleYear(t *testing.T) {
	for _, tc := range []struct {
		title string
		want  float64 // NaN: no year
	}{
		{"Toy Story (1995)", 1995},
		{"City of Lost Children, The (Cité des enfants perdus, La) (1995) ", 1995},
		{"unknown", nan},
		{"(1995)", 1995},
		{"Movie (19x5)", nan},
		{"Movie (95)", nan},
		{"Movie 1995)", nan},
		{"", nan},
	} {
		got, ok := titleYear(tc.title)
		if ok == math.IsNaN(tc.want) || !cmp.Equal(got, tc.want, cmpopts.EquateNaNs()) {
			t.Errorf("titleYear(%q) = %v, %v; want %v", tc.title, got, ok, tc.want)
		}
	}
}

// FuzzImport100K imports the fixture with a fuzzed u.data. The import must
// not panic; an error must be a *datasets.Error about u.data with a line
// number (unless the file is empty); a success must give a valid CSR with
// one interaction per non-blank line.
func FuzzImport100K(f *testing.F) {
	dir := filepath.Join("testdata", "ml-100k-mini")
	base := fstest.MapFS{}
	for _, name := range []string{"u.user", "u.item", "u.genre"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		base[name] = &fstest.MapFile{Data: b}
	}
	seed, err := os.ReadFile(filepath.Join(dir, "u.data"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte(""))
	f.Add([]byte("1\t1\t5\t1\n1\t1\t4\t2\n"))
	f.Add([]byte("1\t1\t5\n"))
	f.Add([]byte("4\t6\t0.5\t0\r\n\r\n5\t6\t5\t9223372036854775807"))
	f.Add([]byte("1\t1\t\xe9\t1\n"))
	f.Add([]byte("-1\t1\t5\t1\n"))
	f.Add([]byte("1 2 3 4 5\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"u.data": &fstest.MapFile{Data: data}}
		for k, v := range base {
			fsys[k] = v
		}
		d, err := importFS(fsys, "ml")
		if err != nil {
			var e *datasets.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not a *datasets.Error", err, err)
			}
			if e.File != filepath.Join("ml", "u.data") {
				t.Fatalf("error about %s, want ml/u.data: %v", e.File, err)
			}
			if e.Line <= 0 && !errors.Is(err, datasets.ErrEmpty) {
				t.Fatalf("error without a line: %v", err)
			}
			if e.Fix == "" {
				t.Fatalf("error without a fix: %v", err)
			}
			return
		}
		m := &d.Interactions
		if msg := m.Validate(); msg != "" {
			t.Fatalf("invalid CSR: %s", msg)
		}
		if m.Rows != 5 || m.NumCols != 6 || len(m.Values) != m.NNZ() || len(m.Times) != m.NNZ() {
			t.Fatalf("CSR shape %d×%d, %d values, %d times, %d entries", m.Rows, m.NumCols, len(m.Values), len(m.Times), m.NNZ())
		}
		lines := 0
		for _, l := range strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\n") {
			if strings.TrimSpace(strings.TrimSuffix(l, "\r")) != "" {
				lines++
			}
		}
		if m.NNZ() != lines || d.Report.InteractionRows != int64(lines) {
			t.Fatalf("%d interactions, %d rows reported, from %d non-blank lines", m.NNZ(), d.Report.InteractionRows, lines)
		}
		for _, v := range m.Values {
			if !(v >= 0.5 && v <= 5) {
				t.Fatalf("rating %v out of range", v)
			}
		}
	})
}
