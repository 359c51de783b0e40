package fairness_test

import (
	"encoding/json"
	"fmt"

	"github.com/recaudit/recaudit/fairness"
)

// With MinUsers 3, group z (2 users with a value) is withheld; with
// Complementary, so is x, the other group with the fewest users, since a
// mean over all the users less the reported groups would otherwise give
// z's away. A withheld group's counts are not published.
func ExampleAnalyzeConfig_complementary() {
	table := fairness.PerUser{{Name: "ndcg@10", Values: []float64{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 0.9}}}
	groups := []fairness.Grouping{{Attribute: "a", Levels: []string{"x", "y", "z"}, Codes: []int32{0, 0, 0, 1, 1, 1, 1, 2, 2}}}
	a := fairness.Analyze(table, groups, fairness.AnalyzeConfig{MinUsers: 3, Complementary: true, BootstrapB: 10})
	c := a.Comparisons[0]
	for _, g := range c.Groups {
		fmt.Printf("%s: withheld %v\n", g.Group, g.Withheld)
	}
	b, _ := json.Marshal(c.Groups[2])
	fmt.Println(string(b))
	// Output:
	// x: withheld true
	// y: withheld false
	// z: withheld true
	// {"group":"z","n":null,"excluded":null,"value":null,"ci":[null,null],"vs_rest":{"value":null,"ci":[null,null]},"withheld":true}
}
