package audit_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/recaudit/recaudit/audit"
)

// A spec with a typo: the error names the file, line, column and field,
// and suggests the closest valid value.
func ExampleParseSpec() {
	s, err := audit.ParseSpec("audit.yaml", []byte(`version: 1
metrics:
  measures: [ndcg, recal]
`))
	if err == nil {
		err = s.Check(nil)
	}
	fmt.Println(err)
	// Output:
	// audit.yaml:3:20: metrics.measures[1]: unknown metric "recal"; did you mean "recall"? (metrics: precision, recall, hit_rate, rr, ap, dcg, ndcg, rbp, all)
}

// Relative paths of a spec file are relative to its directory.
func ExampleReadSpec() {
	dir, _ := os.MkdirTemp("", "spec")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "audit.yaml")
	_ = os.WriteFile(path, []byte("version: 1\ndataset: {dir: shop}\nseed: 7\n"), 0o666)
	s, err := audit.ReadSpec(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Seed, s.Dataset.Dir, s.Dataset.Demo == nil)
	err = s.Check(nil) // the directory does not exist
	fmt.Println(err != nil)
	// Output:
	// 7 shop true
	// true
}

// The demo audit, made small: a 300-customer demo shop, two systems, a
// single cutoff and few resamples.
func ExampleRun() {
	s := audit.DefaultSpec()
	s.Dataset.Demo.Users, s.Dataset.Demo.Items, s.Dataset.Demo.Interactions = 300, 400, 9000
	s.Systems = []audit.SystemSpec{{Algo: "popular"}, {Name: "knn20", Algo: "itemknn", Params: []audit.SpecParam{{Name: "neighbors", Value: 20}}}}
	s.Cutoffs = []int{10}
	s.Statistics.Resamples, s.Statistics.Permutations = 50, 50
	out, err := audit.Run(context.Background(), s, audit.RunOptions{ToolVersion: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := out.Result
	fmt.Println(r.Dataset.Name, r.Dataset.Users, "users")
	for _, sys := range r.Systems {
		fmt.Println(sys.Name, sys.Params, sys.Users.Evaluated, "users evaluated")
	}
	fmt.Println("sensitive:", r.Spec.Groups.Sensitive)
	// 8 accuracy measures, novelty, ARP, APLT, popularity lift,
	// miscalibration and 3 targeting measures of the credit flag.
	fmt.Println("per-user columns:", len(r.Systems[0].PerUser))
	// Output:
	// demo 300 users
	// popular [{include-train false}] 300 users evaluated
	// knn20 [{neighbors 20} {shrink 0} {use-values false}] 300 users evaluated
	// sensitive: [gender age_band]
	// per-user columns: 16
}
