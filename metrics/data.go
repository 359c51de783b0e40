package metrics

// Judgments are one user's graded test judgments: item Items[j] has grade
// Grades[j]. Items are dense item indices, sorted ascending and distinct;
// Grades is parallel to Items, and nil means every grade is 1 (implicit
// feedback). An item is relevant iff its grade is >= the threshold θ of the
// Config; judged items below θ and unjudged items are non-relevant.
type Judgments struct {
	Items  []int32
	Grades []float64
}

// grade returns the grade of judgment j.
func (j Judgments) grade(i int) float64 {
	if j.Grades == nil {
		return 1
	}
	return j.Grades[i]
}

// check panics if j is malformed.
func (j Judgments) check() {
	if j.Grades != nil && len(j.Grades) != len(j.Items) {
		panic(lengthMismatch)
	}
	for i, it := range j.Items {
		if it < 0 {
			panic(negativeItem)
		}
		if i > 0 && it <= j.Items[i-1] {
			panic(unsortedJudged)
		}
	}
}

// Rankings holds one ranked recommendation list per user in compressed
// sparse row form: user u's list is Items[Offsets[u]:Offsets[u+1]], in rank
// order (position 0 is rank 1). Offsets has one more element than there are
// users, starts at 0 and never decreases. An empty row is a user without a
// list. Items outside the judged range, negative ones included, are simply
// non-relevant; an item repeated in a list counts at its first position
// only (the reading layer rejects repeats).
type Rankings struct {
	Offsets []int64
	Items   []int32
}

// Users returns the number of users (rows).
func (r Rankings) Users() int {
	if len(r.Offsets) == 0 {
		return 0
	}
	return len(r.Offsets) - 1
}

// List returns the list of user u. The caller must not modify it.
func (r Rankings) List(u int) []int32 { return r.Items[r.Offsets[u]:r.Offsets[u+1]] }

// check panics if r is malformed.
func (r Rankings) check() {
	checkOffsets(r.Offsets, len(r.Items))
}

// Relevance holds the judgments of every user in compressed sparse row
// form: user u's judged items are Items[Offsets[u]:Offsets[u+1]], sorted
// ascending and distinct, with grades Grades over the same range (nil means
// every grade is 1). The users are the test users: a user with an empty row
// has no judgment at all.
type Relevance struct {
	Offsets []int64
	Items   []int32
	Grades  []float64
}

// Users returns the number of users (rows).
func (r Relevance) Users() int {
	if len(r.Offsets) == 0 {
		return 0
	}
	return len(r.Offsets) - 1
}

// User returns the judgments of user u. They share memory with r; the caller
// must not modify them.
func (r Relevance) User(u int) Judgments {
	lo, hi := r.Offsets[u], r.Offsets[u+1]
	j := Judgments{Items: r.Items[lo:hi]}
	if r.Grades != nil {
		j.Grades = r.Grades[lo:hi]
	}
	return j
}

// check panics if r is malformed and returns the largest judged item, or -1
// when nothing is judged.
func (r Relevance) check() int32 {
	checkOffsets(r.Offsets, len(r.Items))
	if r.Grades != nil && len(r.Grades) != len(r.Items) {
		panic(lengthMismatch)
	}
	maxItem := int32(-1)
	for u := 0; u < r.Users(); u++ {
		row := r.Items[r.Offsets[u]:r.Offsets[u+1]]
		for i, it := range row {
			if it < 0 {
				panic(negativeItem)
			}
			if i > 0 && it <= row[i-1] {
				panic(unsortedJudged)
			}
		}
		if len(row) > 0 && row[len(row)-1] > maxItem {
			maxItem = row[len(row)-1]
		}
	}
	return maxItem
}

// checkOffsets panics unless offs is a valid offsets slice over n entries.
func checkOffsets(offs []int64, n int) {
	if len(offs) == 0 {
		if n != 0 {
			panic(badOffsets)
		}
		return
	}
	if offs[0] != 0 || offs[len(offs)-1] != int64(n) {
		panic(badOffsets)
	}
	for i := 1; i < len(offs); i++ {
		if offs[i] < offs[i-1] {
			panic(badOffsets)
		}
	}
}
