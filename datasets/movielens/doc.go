// Package movielens imports the MovieLens 100K and 1M rating data sets
// (GroupLens Research, University of Minnesota) as a [datasets.Dataset].
//
// The MovieLens licence forbids redistributing the data, so recaudit ships
// none of it: download the archive from https://grouplens.org/datasets/movielens/,
// unpack it and pass the directory to [Import] (on the command line:
// recaudit data import movielens DIR).
//
// # Formats
//
// [Import] recognises the format by its file names:
//
//   - MovieLens 100K (ml-100k): u.data (user id, item id, rating,
//     timestamp; tab-separated), u.user (user id|age|gender|occupation|zip
//     code), u.item (movie id|movie title|release date|video release
//     date|IMDb URL| then one 0/1 flag per genre) and, optionally, u.genre
//     (genre name|flag position). Without u.genre the standard 19 genres are
//     assumed: unknown, Action, Adventure, Animation, Children's, Comedy,
//     Crime, Documentary, Drama, Fantasy, Film-Noir, Horror, Musical,
//     Mystery, Romance, Sci-Fi, Thriller, War, Western.
//   - MovieLens 1M (ml-1m): ratings.dat (UserID::MovieID::Rating::Timestamp),
//     users.dat (UserID::Gender::Age::Occupation::Zip-code, with age and
//     occupation codes as listed in the data set's README) and movies.dat
//     (MovieID::Title::Genres, genres separated by '|').
//
// Other files in the directory (u.info, u1.base, README, ...) are not read.
// The later MovieLens releases (10M, 20M, 25M, 32M, latest) have no user
// demographics and are not supported.
//
// # Encoding
//
// The original files are ISO-8859-1 (Latin-1): titles such as
// "Misérables" hold single bytes above 0x7F. A text file that is valid
// UTF-8 is read as UTF-8 (a re-encoded copy), any other as Latin-1; the
// resulting strings are UTF-8. A UTF-8 byte order mark is skipped. Lines
// may end in "\n" or "\r\n"; blank lines are ignored.
//
// # The imported dataset
//
// Users and items get dense indices in the order of the users and items
// files (the original files list them by ascending ID); their external IDs
// are the integer IDs of the files. The interactions are a CSR by user:
// Values are the ratings (float32), Times the timestamps (Unix seconds).
//
// User columns, all [datasets.Categorical] unless said otherwise:
//
//	column      role       100K                              1M
//	gender      sensitive  as in the file ("F", "M")         as in the file
//	age         sensitive  the age in years (Numeric)        -
//	age_band    sensitive  the age's band (below)            the age code's band
//	occupation  sensitive  as in the file ("technician")     the code's name ("K-12 student")
//	zip         attribute  as in the file; empty = null      as in the file; empty = null
//
// The age bands are those of the 1M README: "Under 18", "18-24", "25-34",
// "35-44", "45-49", "50-55", "56+". The 1M occupation names are those of
// its README, code 0 being "other".
//
// Item columns:
//
//	column    kind              role        content
//	category  MultiCategorical  item_group  the movie's genres
//	title     Categorical       attribute   the title; empty = null
//	year      Numeric           attribute   the release year; NaN when unknown
//
// The year is the four-digit year in parentheses that ends the title, as in
// "Toy Story (1995)"; for 100K movies whose title has none, the year of the
// release date (DD-Mon-YYYY); NaN when neither gives one. Every
// categorical column's Levels are the distinct values sorted ascending
// (byte order); the category levels are the genres that occur.
//
// The dataset's Metadata has "recaudit.source" = "movielens-100k" or
// "movielens-1m". Its Report counts the rating lines, the users and items
// without ratings, and lists the 100K columns that are not imported
// ("items.video release date", "items.IMDb URL").
//
// # Errors
//
// Bad input never panics. A malformed line gives a [*datasets.Error] that
// names the file, the 1-based line (Line), the field (Column, named as in
// the data set's README) and a fix, wrapping [datasets.ErrFormat] (wrong
// number of fields) or [datasets.ErrValue] (a field that does not parse or
// is out of range). A rating of a user or movie missing from the users or
// movies file wraps [datasets.ErrUnknownID]; a repeated user or movie ID,
// or a second rating of the same movie by the same user, wraps
// [datasets.ErrDuplicate]; a file without data lines wraps
// [datasets.ErrEmpty]. A directory holding neither format gives an error
// that lists the expected file names.
//
// # Invariants
//
// Import only reads: the files are opened read-only and never modified.
// The returned Dataset and everything it holds are owned by the caller and
// share no memory with anything else.
package movielens
