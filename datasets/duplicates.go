package datasets

// DuplicatePolicy says what to do with repeated (user, item) interactions.
type DuplicatePolicy int

const (
	// DuplicatesError rejects the table, naming the first repeated row
	// (the default).
	DuplicatesError DuplicatePolicy = iota
	// DuplicatesSum merges repeats into one interaction whose value is the
	// sum of their values (so implicit feedback becomes a count) and whose
	// timestamp is the latest.
	DuplicatesSum
	// DuplicatesMax merges repeats into one interaction with the largest
	// value and the latest timestamp.
	DuplicatesMax
)

// WithDuplicates sets the duplicate policy for interactions.
func WithDuplicates(p DuplicatePolicy) Option { return func(c *config) { c.duplicates = p } }
