package movielens

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/recaudit/recaudit/datasets"
)

// occupations1M are the occupation names of the MovieLens 1M README, by
// code.
var occupations1M = []string{
	"other", "academic/educator", "artist", "clerical/admin", "college/grad student", "customer service",
	"doctor/health care", "executive/managerial", "farmer", "homemaker", "K-12 student", "lawyer", "programmer",
	"retired", "sales/marketing", "scientist", "self-employed", "technician/engineer", "tradesman/craftsman",
	"unemployed", "writer",
}

// Field names of the 1M files, as in the data set's README.
var (
	userFields1M   = []string{"UserID", "Gender", "Age", "Occupation", "Zip-code"}
	movieFields1M  = []string{"MovieID", "Title", "Genres"}
	ratingFields1M = []string{"UserID", "MovieID", "Rating", "Timestamp"}
)

const sep1M = "::"

func import1M(fsys fs.FS, dir string) (*datasets.Dataset, error) {
	users, userCols, err := readUsers1M(fsys, dir)
	if err != nil {
		return nil, err
	}
	items, itemCols, err := readMovies1M(fsys, dir)
	if err != nil {
		return nil, err
	}
	f, err := readText(fsys, dir, "ratings.dat", false)
	if err != nil {
		return nil, err
	}
	m, rows, err := readRatings(f, ratingsFormat{
		names: ratingFields1M, split: sep1M, sep: `"::"`,
		usersFile: "users.dat", itemsFile: "movies.dat",
	}, users, items)
	if err != nil {
		return nil, err
	}
	return dataset(Source1M, users, items, m, rows, userCols, itemCols, nil), nil
}

func readUsers1M(fsys fs.FS, dir string) (*datasets.IDs, []datasets.Column, error) {
	f, err := readText(fsys, dir, "users.dat", true)
	if err != nil {
		return nil, nil, err
	}
	var (
		ids, lines           []int64
		genders, bands, occs []string
		zip                  []string
	)
	for n, line := range f.lines() {
		rec, err := f.split(n, line, sep1M, userFields1M)
		if err != nil {
			return nil, nil, err
		}
		id, err := f.id(n, userFields1M[0], rec[0])
		if err != nil {
			return nil, nil, err
		}
		if rec[1] == "" {
			return nil, nil, f.errorAt(n, userFields1M[1], datasets.ErrValue, "write M or F as in the original users.dat", "Gender is empty")
		}
		age, err := strconv.Atoi(rec[2])
		band := slices.IndexFunc(ageBands, func(b ageBandDef) bool { return b.code == age })
		if err != nil || band < 0 {
			return nil, nil, f.errorAt(n, userFields1M[2], datasets.ErrValue,
				"use one of the age codes 1, 18, 25, 35, 45, 50, 56 (the lower bound of the band)",
				"Age %q is not an age code", rec[2])
		}
		occ, err := strconv.Atoi(rec[3])
		if err != nil || occ < 0 || occ >= len(occupations1M) {
			return nil, nil, f.errorAt(n, userFields1M[3], datasets.ErrValue,
				"use an occupation code from 0 (other) to 20 (writer), as listed in the 1M README",
				"Occupation %q is not an occupation code from 0 to 20", rec[3])
		}
		ids, lines = append(ids, id), append(lines, n)
		genders, bands = append(genders, rec[1]), append(bands, ageBands[band].name)
		occs, zip = append(occs, occupations1M[occ]), append(zip, rec[4])
	}
	users, err := f.indexIDs(ids, lines, userFields1M[0], "users")
	if err != nil {
		return nil, nil, err
	}
	return users, []datasets.Column{
		categorical("gender", datasets.RoleSensitive, genders),
		categorical("age_band", datasets.RoleSensitive, bands),
		categorical("occupation", datasets.RoleSensitive, occs),
		categorical("zip", datasets.RoleAttribute, zip),
	}, nil
}

// readMovies1M reads movies.dat. The title is everything between the first
// and the last "::", so a title may itself contain "::".
func readMovies1M(fsys fs.FS, dir string) (*datasets.IDs, []datasets.Column, error) {
	f, err := readText(fsys, dir, "movies.dat", true)
	if err != nil {
		return nil, nil, err
	}
	var (
		ids, lines []int64
		titles     []string
		years      []float64
		cats       [][]string
	)
	for n, line := range f.lines() {
		i, j := strings.Index(line, sep1M), strings.LastIndex(line, sep1M)
		if i < 0 || i == j {
			return nil, nil, f.errorAt(n, "", datasets.ErrFormat, "write one movie per line as MovieID::Title::Genres",
				"has %d fields separated by %q, want 3", strings.Count(line, sep1M)+1, sep1M)
		}
		idField := strings.TrimSpace(line[:i])
		title := strings.TrimSpace(line[i+len(sep1M) : j])
		genreField := strings.TrimSpace(line[j+len(sep1M):])
		id, err := f.id(n, movieFields1M[0], idField)
		if err != nil {
			return nil, nil, err
		}
		var cat []string
		if genreField != "" {
			for _, g := range strings.Split(genreField, "|") {
				g = strings.TrimSpace(g)
				if g == "" {
					return nil, nil, f.errorAt(n, movieFields1M[2], datasets.ErrValue,
						"separate genres with a single '|', e.g. Animation|Comedy", "Genres %q has an empty genre", genreField)
				}
				if slices.Contains(cat, g) {
					return nil, nil, f.errorAt(n, movieFields1M[2], datasets.ErrDuplicate,
						"list each genre of the movie once", "Genres %q lists %q twice", genreField, g)
				}
				cat = append(cat, g)
			}
		}
		year, _ := titleYear(title)
		ids, lines = append(ids, id), append(lines, n)
		titles, years, cats = append(titles, title), append(years, year), append(cats, cat)
	}
	items, err := f.indexIDs(ids, lines, movieFields1M[0], "movies")
	if err != nil {
		return nil, nil, err
	}
	return items, []datasets.Column{
		multiCategorical("category", datasets.RoleItemGroup, cats),
		categorical("title", datasets.RoleAttribute, titles),
		numeric("year", datasets.RoleAttribute, years),
	}, nil
}
