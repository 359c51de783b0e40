package audit_test

import (
	"fmt"

	"github.com/recaudit/recaudit/audit"
)

// Gender × band with X × a (3 users) and X × c (4) below the minimum of
// 10. Suppressing them alone would leave X × a = a − F × a − M × a; the
// complements make every gender and band that holds a suppressed
// intersection hold two or more.
func ExampleIntersect_complementary() {
	sizes := [][]int{
		{30, 30, 30}, // F × a, F × b, F × c
		{31, 29, 32}, // M
		{3, 15, 4},   // X
	}
	var gender, band []int32
	for i, row := range sizes {
		for j, n := range row {
			for range n {
				gender = append(gender, int32(i))
				band = append(band, int32(j))
			}
		}
	}
	g := audit.Suppress("gender", []string{"F", "M", "X"}, gender, 0)
	b := audit.Suppress("band", []string{"a", "b", "c"}, band, 0)
	x := audit.Intersect(0, g, b)
	fmt.Println("reported:", x.Levels)
	for _, s := range x.Suppressed {
		fmt.Printf("%s: %s\n", s.Group, s.Reason)
	}
	// Output:
	// reported: [F × b M × c]
	// F × a: suppressed to protect a smaller group
	// F × c: suppressed to protect a smaller group
	// M × a: suppressed to protect a smaller group
	// M × b: suppressed to protect a smaller group
	// X × a: fewer than 10 users
	// X × b: suppressed to protect a smaller group
	// X × c: fewer than 10 users
}
