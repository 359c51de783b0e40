package movielens_test

import (
	"fmt"
	"path/filepath"

	"github.com/recaudit/recaudit/datasets/movielens"
)

// Import a MovieLens 100K directory: here the package's hand-written
// fixture in the same layout.
func ExampleImport() {
	d, err := movielens.Import(filepath.Join("testdata", "ml-100k-mini"))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("source:", d.Metadata[movielens.MetadataSource])
	fmt.Printf("%d users, %d movies, %d ratings\n", d.Users.Len(), d.Items.Len(), d.Interactions.NNZ())
	for _, c := range d.UserColumns {
		fmt.Printf("user column %s (%v, %v)\n", c.Name, c.Kind, c.Role)
	}
	for _, c := range d.ItemColumns {
		fmt.Printf("item column %s (%v, %v)\n", c.Name, c.Kind, c.Role)
	}

	// Movie 2's title was Latin-1 in u.item; it is UTF-8 now.
	movie, _ := d.Items.LookupInt(2)
	title, _ := d.ItemColumn("title")
	genres, _ := d.ItemColumn("category")
	fmt.Print(title.Levels[title.Codes[movie]], ":")
	for _, g := range genres.RowCodes(int(movie)) {
		fmt.Print(" ", genres.Levels[g])
	}
	fmt.Println()

	// User 1's ratings, by movie ID.
	user, _ := d.Users.LookupInt(1)
	for j, item := range d.Interactions.Row(int(user)) {
		fmt.Printf("user 1 rated movie %d: %v\n", d.Items.Int(item), d.Interactions.RowValues(int(user))[j])
	}
	// Output:
	// source: movielens-100k
	// 5 users, 6 movies, 10 ratings
	// user column gender (categorical, sensitive)
	// user column age (numeric, sensitive)
	// user column age_band (categorical, sensitive)
	// user column occupation (categorical, sensitive)
	// user column zip (categorical, attribute)
	// item column category (multi-categorical, item_group)
	// item column title (categorical, attribute)
	// item column year (numeric, attribute)
	// Le Café des Étoiles (1996): Comedy Drama Romance
	// user 1 rated movie 1: 5
	// user 1 rated movie 2: 3
	// user 1 rated movie 3: 4
}
