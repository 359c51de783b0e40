package movielens

import (
	"io/fs"
	"strconv"
	"time"

	"github.com/recaudit/recaudit/datasets"
)

// genres100K are the 19 genres of MovieLens 100K in u.item flag order, used
// when u.genre is absent.
var genres100K = []string{
	"unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
	"Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western",
}

// Field names of the 100K files, as in the data set's README.
var (
	userFields100K   = []string{"user id", "age", "gender", "occupation", "zip code"}
	itemFields100K   = []string{"movie id", "movie title", "release date", "video release date", "IMDb URL"}
	ratingFields100K = []string{"user id", "item id", "rating", "timestamp"}
	genreFields100K  = []string{"genre", "position"}
)

// releaseDateLayout is the layout of u.item release dates: 01-Jan-1995.
const releaseDateLayout = "02-Jan-2006"

func import100K(fsys fs.FS, dir string) (*datasets.Dataset, error) {
	users, userCols, err := readUsers100K(fsys, dir)
	if err != nil {
		return nil, err
	}
	genres := genres100K
	if _, err := fs.Stat(fsys, genreFile100K); err == nil {
		if genres, err = readGenres100K(fsys, dir); err != nil {
			return nil, err
		}
	}
	items, itemCols, err := readItems100K(fsys, dir, genres)
	if err != nil {
		return nil, err
	}
	f, err := readText(fsys, dir, "u.data", false)
	if err != nil {
		return nil, err
	}
	m, rows, err := readRatings(f, ratingsFormat{
		names: ratingFields100K, split: "", sep: "tabs",
		usersFile: "u.user", itemsFile: "u.item",
	}, users, items)
	if err != nil {
		return nil, err
	}
	return dataset(Source100K, users, items, m, rows, userCols, itemCols,
		[]string{"items." + itemFields100K[3], "items." + itemFields100K[4]}), nil
}

func readUsers100K(fsys fs.FS, dir string) (*datasets.IDs, []datasets.Column, error) {
	f, err := readText(fsys, dir, "u.user", true)
	if err != nil {
		return nil, nil, err
	}
	var (
		ids, lines                []int64
		ages                      []float64
		bands, genders, occs, zip []string
	)
	for n, line := range f.lines() {
		rec, err := f.split(n, line, "|", userFields100K)
		if err != nil {
			return nil, nil, err
		}
		id, err := f.id(n, userFields100K[0], rec[0])
		if err != nil {
			return nil, nil, err
		}
		age, err := strconv.Atoi(rec[1])
		if err != nil || age < 1 || age > 120 {
			return nil, nil, f.errorAt(n, userFields100K[1], datasets.ErrValue, "write the age in whole years, e.g. 24",
				"age %q is not a whole number of years from 1 to 120", rec[1])
		}
		for _, k := range []int{2, 3} {
			if rec[k] == "" {
				return nil, nil, f.errorAt(n, userFields100K[k], datasets.ErrValue,
					"fill in the "+userFields100K[k]+" as in the original u.user", "%s is empty", userFields100K[k])
			}
		}
		ids, lines = append(ids, id), append(lines, n)
		ages, bands = append(ages, float64(age)), append(bands, ageBand(age))
		genders, occs, zip = append(genders, rec[2]), append(occs, rec[3]), append(zip, rec[4])
	}
	users, err := f.indexIDs(ids, lines, userFields100K[0], "users")
	if err != nil {
		return nil, nil, err
	}
	return users, []datasets.Column{
		categorical("gender", datasets.RoleSensitive, genders),
		numeric("age", datasets.RoleSensitive, ages),
		categorical("age_band", datasets.RoleSensitive, bands),
		categorical("occupation", datasets.RoleSensitive, occs),
		categorical("zip", datasets.RoleAttribute, zip),
	}, nil
}

// readGenres100K reads u.genre: one "name|position" line per genre, the
// positions 0..k-1 each once.
func readGenres100K(fsys fs.FS, dir string) ([]string, error) {
	f, err := readText(fsys, dir, genreFile100K, true)
	if err != nil {
		return nil, err
	}
	type genre struct {
		name string
		pos  int
		line int64
	}
	var gs []genre
	for n, line := range f.lines() {
		rec, err := f.split(n, line, "|", genreFields100K)
		if err != nil {
			return nil, err
		}
		if rec[0] == "" {
			return nil, f.errorAt(n, genreFields100K[0], datasets.ErrValue, "name the genre, e.g. Action|1", "the genre name is empty")
		}
		pos, err := strconv.Atoi(rec[1])
		if err != nil || pos < 0 {
			return nil, f.errorAt(n, genreFields100K[1], datasets.ErrValue, "write the genre's flag position in u.item, counting from 0",
				"position %q is not a whole number from 0", rec[1])
		}
		gs = append(gs, genre{rec[0], pos, n})
	}
	if len(gs) == 0 {
		return nil, &datasets.Error{File: f.path, Msg: "has no genres",
			Fix: "list one genre per line as genre|position, or delete the file to use the standard 19 genres", Err: datasets.ErrEmpty}
	}
	names := make([]string, len(gs))
	lineOf := make([]int64, len(gs))
	for _, g := range gs {
		if g.pos >= len(gs) {
			return nil, f.errorAt(g.line, genreFields100K[1], datasets.ErrValue, "number the genres 0, 1, 2, ... in the order of the u.item flags",
				"position %d is beyond the %d genres listed", g.pos, len(gs))
		}
		if names[g.pos] != "" {
			return nil, f.errorAt(g.line, genreFields100K[1], datasets.ErrDuplicate, "give every genre its own position",
				"position %d is taken twice (lines %d and %d)", g.pos, lineOf[g.pos], g.line)
		}
		for p, other := range names {
			if other == g.name {
				return nil, f.errorAt(g.line, genreFields100K[0], datasets.ErrDuplicate, "list every genre once",
					"genre %q is listed twice (lines %d and %d)", g.name, lineOf[p], g.line)
			}
		}
		names[g.pos], lineOf[g.pos] = g.name, g.line
	}
	return names, nil
}

func readItems100K(fsys fs.FS, dir string, genres []string) (*datasets.IDs, []datasets.Column, error) {
	f, err := readText(fsys, dir, "u.item", true)
	if err != nil {
		return nil, nil, err
	}
	fields := append(append([]string(nil), itemFields100K...), genres...)
	var (
		ids, lines []int64
		titles     []string
		years      []float64
		cats       [][]string
	)
	for n, line := range f.lines() {
		rec, err := f.split(n, line, "|", fields)
		if err != nil {
			return nil, nil, err
		}
		id, err := f.id(n, fields[0], rec[0])
		if err != nil {
			return nil, nil, err
		}
		year, ok := titleYear(rec[1])
		if rec[2] != "" {
			d, err := time.Parse(releaseDateLayout, rec[2])
			if err != nil {
				return nil, nil, f.errorAt(n, fields[2], datasets.ErrValue, "write the date as DD-Mon-YYYY, e.g. 01-Jan-1995, or leave it empty",
					"release date %q is not a date", rec[2])
			}
			if !ok {
				year = float64(d.Year())
			}
		}
		var cat []string
		for k, g := range genres {
			switch rec[5+k] {
			case "1":
				cat = append(cat, g)
			case "0":
			default:
				return nil, nil, f.errorAt(n, g, datasets.ErrValue, "write 1 if the movie is of the genre, else 0",
					"genre flag %q is not 0 or 1", rec[5+k])
			}
		}
		ids, lines = append(ids, id), append(lines, n)
		titles, years, cats = append(titles, rec[1]), append(years, year), append(cats, cat)
	}
	items, err := f.indexIDs(ids, lines, fields[0], "movies")
	if err != nil {
		return nil, nil, err
	}
	return items, []datasets.Column{
		multiCategorical("category", datasets.RoleItemGroup, cats),
		categorical("title", datasets.RoleAttribute, titles),
		numeric("year", datasets.RoleAttribute, years),
	}, nil
}
