package audit

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/fairness"
	"github.com/recaudit/recaudit/metrics"
	"github.com/recaudit/recaudit/recommenders"
)

var regen = flag.Bool("regen", false, "rewrite the golden files in testdata")

// tinyDataset is a hand-made shop: 30 users, 8 items, 3 or 4 interactions
// per user.
//
//	users:  gender F (u%5 in {0,1}: 12), M ({2,3}: 12), X (4: 6)
//	        age_band 18-34 (u%10 in {0,1,2}: 9), 35-49 ({3,4,5}: 9),
//	        50-64 ({6,7}: 6), 65+ (8: 3), missing (9: 3)
//	items:  provider_type brand (0-2), independent (3-7)
//	        category 0 books, 1 books+toys, 2 finance, 3 toys, 4 books,
//	        5 finance, 6 books+toys, 7 finance
//	        high_cost_credit items 5 and 7
//	user u: items u%8, (u+3)%8, (3u+1)%8, (5u+6)%8 (distinct ones)
func tinyDataset() *datasets.Dataset {
	const nu, ni = 30, 8
	uid := make([]int64, nu)
	for i := range uid {
		uid[i] = int64(i + 1)
	}
	iid := make([]int64, ni)
	for i := range iid {
		iid[i] = int64(i + 1)
	}
	users, _ := datasets.NewIntIDs(uid)
	items, _ := datasets.NewIntIDs(iid)
	gender := datasets.Column{Name: "gender", Role: datasets.RoleSensitive, Kind: datasets.Categorical, Levels: []string{"F", "M", "X"}, Codes: make([]int32, nu)}
	age := datasets.Column{Name: "age_band", Role: datasets.RoleSensitive, Kind: datasets.Categorical, Levels: []string{"18-34", "35-49", "50-64", "65+"}, Codes: make([]int32, nu)}
	for u := range nu {
		gender.Codes[u] = []int32{0, 0, 1, 1, 2}[u%5]
		age.Codes[u] = []int32{0, 0, 0, 1, 1, 1, 2, 2, 3, -1}[u%10]
	}
	m := datasets.CSR{Rows: nu, NumCols: ni, Offsets: make([]int64, nu+1)}
	for u := range nu {
		row := []int32{int32(u % 8), int32((u + 3) % 8), int32((3*u + 1) % 8), int32((5*u + 6) % 8)}
		slices.Sort(row)
		row = slices.Compact(row)
		m.Cols = append(m.Cols, row...)
		m.Offsets[u+1] = int64(len(m.Cols))
	}
	return &datasets.Dataset{
		Users: users, Items: items, Interactions: m,
		UserColumns: []datasets.Column{gender, age},
		ItemColumns: []datasets.Column{
			{Name: "provider_type", Role: datasets.RoleItemGroup, Kind: datasets.Categorical, Levels: []string{"brand", "independent"}, Codes: []int32{0, 0, 0, 1, 1, 1, 1, 1}},
			{Name: "category", Role: datasets.RoleItemGroup, Kind: datasets.MultiCategorical, Levels: []string{"books", "finance", "toys"},
				Offsets: []int32{0, 1, 3, 4, 5, 6, 7, 9, 10}, Codes: []int32{0, 0, 2, 1, 2, 0, 1, 0, 2, 1}},
			{Name: "high_cost_credit", Role: datasets.RoleFlag, Kind: datasets.Bool, Bools: []bool{false, false, false, false, false, true, false, true}},
		},
		Metadata: map[string]string{"source": "audit tiny test dataset", "a.first": "sorted before source"},
	}
}

// tinyResult runs the whole scoring pipeline on the tiny dataset.
func tinyResult(t *testing.T) *Result {
	t.Helper()
	d := tinyDataset()
	split := datasets.Split{Kind: datasets.SplitLeaveNOut, N: 1, Seed: 7}
	train, test, st, err := split.Apply(&d.Interactions)
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGroups(d, GroupsConfig{MinGroupSize: 5, Intersections: [][]string{{"gender", "age_band"}}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Cutoffs: []int{3}, Measures: []metrics.Measure{metrics.MeasurePrecision, metrics.MeasureRecall, metrics.MeasureNDCG},
		GroupMeasures: []metrics.Measure{metrics.MeasurePrecision}, Analyze: fairness.AnalyzeConfig{Seed: 42, BootstrapB: 200, PermutationB: 500}}
	r := NewResult("test", "tiny", d, split, st, g, cfg, 42)
	fi, err := FileProvenance("interactions", filepath.Join("testdata", "tiny_provenance.txt"))
	if err != nil {
		t.Fatal(err)
	}
	r.Dataset.Files = append(r.Dataset.Files, fi)
	in := Input{Dataset: d, Train: &train, Test: &test}
	users := make([]int32, d.Users.Len())
	for u := range users {
		users[u] = int32(u)
	}
	view := &recommenders.TrainView{Interactions: train, ItemColumns: d.ItemColumns}
	for _, s := range []struct {
		name string
		rec  recommenders.Recommender
	}{{"popular", &recommenders.Popular{}}, {"itemknn", &recommenders.ItemKNN{}}} {
		lists, _, err := recommenders.Run(context.Background(), s.rec, view, users, nil, 4)
		if err != nil {
			t.Fatal(err)
		}
		res, err := Score(context.Background(), in, g, System{Name: s.name, Rankings: lists}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		r.Systems = append(r.Systems, res)
	}
	r.Finalize()
	return r
}

func marshal(t *testing.T, r *Result) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestResultGolden(t *testing.T) {
	r := tinyResult(t)
	got := marshal(t, r)
	golden := filepath.Join("testdata", "result_golden.json")
	if *regen {
		if err := WriteFile(golden, r); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s (run go test -run TestResultGolden -regen to update):\n%s", golden, cmp.Diff(string(want), string(got)))
	}
	// Byte-identical whatever the number of processors.
	prev := runtime.GOMAXPROCS(1)
	one := marshal(t, tinyResult(t))
	runtime.GOMAXPROCS(prev)
	if !bytes.Equal(got, one) {
		t.Errorf("GOMAXPROCS 1 gives different bytes:\n%s", cmp.Diff(string(got), string(one)))
	}
	// Decoding into the strict struct and encoding again gives the same
	// bytes: no field is lost, NaN stays null.
	back, err := ReadJSON(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	if again := marshal(t, back); !bytes.Equal(got, again) {
		t.Errorf("round trip differs:\n%s", cmp.Diff(string(got), string(again)))
	}
	// The schema describes every field, and every required one is there.
	problems, err := validateJSON(Schema, got, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error("schema: " + p)
	}
}

// TestResultTiny checks numbers of the tiny result against independent
// computations.
func TestResultTiny(t *testing.T) {
	const tol = 1e-12
	r := tinyResult(t)
	// Groups (hand-counted, see tinyDataset): with minimum size 5, 65+ (3)
	// is suppressed and 50-64 (6) with it; 3 users have no age band.
	ag := r.UserGroups[1]
	wantAge := UserGroupsInfo{Attribute: "age_band", Groups: []GroupSize{{"18-34", 9}, {"35-49", 9}},
		Suppressed: []Suppressed{{"50-64", ReasonComplementary}, {"65+", "fewer than 5 users"}}, Missing: 3}
	if d := cmp.Diff(wantAge, ag); d != "" {
		t.Errorf("age groups (-want +got):\n%s", d)
	}
	if got := r.UserGroups[2].Attribute; got != "gender × age_band" {
		t.Errorf("intersection %q", got)
	}
	if r.Dataset.Files[0].SHA256 != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" || r.Dataset.Files[0].Bytes != 3 {
		t.Errorf("provenance %+v: want the SHA-256 of \"abc\" (FIPS 180-2 example)", r.Dataset.Files[0])
	}
	if r.Dataset.Metadata[0].Key != "a.first" {
		t.Errorf("metadata not sorted: %v", r.Dataset.Metadata)
	}

	for _, s := range r.Systems {
		// Precision@2 from the per-user table against the test items, and
		// the consumer analysis's group means against a direct average.
		prec := findColumn(s.PerUser, "precision@3")
		ageCodes := []int32{0, 0, 0, 1, 1, 1, 2, 2, 3, -1}
		var sum [2]float64
		var n [2]int
		for u, v := range prec {
			c := ageCodes[u%10]
			if c < 0 || c > 1 || math.IsNaN(v) {
				continue
			}
			sum[c] += v
			n[c]++
		}
		c := comparison(s.Consumer, "precision@3", "age_band")
		for g := range 2 {
			if math.Abs(float64(c.Groups[g].Value)-sum[g]/float64(n[g])) > tol || c.Groups[g].N != n[g] {
				t.Errorf("%s precision@3 group %d: %v (n %d), want %v (n %d)", s.Name, g, c.Groups[g].Value, c.Groups[g].N, sum[g]/float64(n[g]), n[g])
			}
		}
		// 18 users in two groups of 9: the permutation tests enumerate
		// C(18, 9) = 48620 relabelings.
		if tt := c.Disparities[0].Test; tt.Method != "exact-permutation" || tt.Resamples != 48620 {
			t.Errorf("%s age test %+v", s.Name, tt)
		}
	}
}

// TestExposureAgainstDirect recomputes the provider-side shares of the
// tiny result directly from the lists.
func TestExposureAgainstDirect(t *testing.T) {
	const tol = 1e-12
	d := tinyDataset()
	split := datasets.Split{Kind: datasets.SplitLeaveNOut, N: 1, Seed: 7}
	train, test, _, _ := split.Apply(&d.Interactions)
	g, err := NewGroups(d, GroupsConfig{MinGroupSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	users := make([]int32, 30)
	for u := range users {
		users[u] = int32(u)
	}
	lists, _, err := recommenders.Run(context.Background(), &recommenders.Popular{}, &recommenders.TrainView{Interactions: train}, users, nil, 4)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Score(context.Background(), Input{Dataset: d, Train: &train, Test: &test}, g, System{Name: "p", Rankings: lists},
		Config{Cutoffs: []int{2}, Analyze: fairness.AnalyzeConfig{BootstrapB: 50, PermutationB: 50}})
	if err != nil {
		t.Fatal(err)
	}
	// provider_type at k = 2: exposure 1/log2(r+1) of ranks 1 and 2 by
	// group; catalogue 3/8 and 5/8; merit the groups' shares of test items.
	var e, m [2]float64
	for u := range 30 {
		for r, it := range lists.List(u)[:2] {
			e[min(it/3, 1)] += 1 / math.Log2(float64(r)+2)
		}
		for _, it := range test.Row(u) {
			m[min(it/3, 1)]++
		}
	}
	ea := res.Provider[0]
	if ea.Attribute != "provider_type" || ea.Cutoff != 2 || !ea.Intervals {
		t.Fatalf("provider analysis %+v", ea)
	}
	for grp := range 2 {
		eg := ea.Groups[grp]
		if math.Abs(float64(eg.Share.Value)-e[grp]/(e[0]+e[1])) > tol ||
			math.Abs(float64(eg.Catalogue)-[]float64{3.0 / 8, 5.0 / 8}[grp]) > tol ||
			math.Abs(float64(eg.Merit.Value)-m[grp]/(m[0]+m[1])) > tol {
			t.Errorf("group %s: share %v catalogue %v merit %v; want %v %v %v", eg.Group, eg.Share.Value, eg.Catalogue, eg.Merit.Value,
				e[grp]/(e[0]+e[1]), []float64{3.0 / 8, 5.0 / 8}[grp], m[grp]/(m[0]+m[1]))
		}
		if !(eg.Share.CI[0] <= eg.Share.Value && eg.Share.Value <= eg.Share.CI[1]) {
			t.Errorf("share %v outside %v", eg.Share.Value, eg.Share.CI)
		}
	}
	// Targeting at k = 2 by gender: the share of items 5 and 7 in each
	// group's top 2, averaged over users.
	var rate [3]float64
	var n [3]int
	for u := range 30 {
		c := []int{0, 0, 1, 1, 2}[u%5]
		k := 0
		for _, it := range lists.List(u)[:2] {
			if it == 5 || it == 7 {
				k++
			}
		}
		rate[c] += float64(k) / 2
		n[c]++
	}
	tr := res.Targeting[0]
	if tr.Flag != "high_cost_credit" || tr.Attribute != "gender" || tr.Metric != "high_cost_credit_share@2" {
		t.Fatalf("targeting %+v", tr)
	}
	for grp, gr := range tr.Rates {
		if math.Abs(float64(gr.Rate)-rate[grp]/float64(n[grp])) > tol || gr.N != n[grp] {
			t.Errorf("rate %s = %v (n %d), want %v (n %d)", gr.Group, gr.Rate, gr.N, rate[grp]/float64(n[grp]), n[grp])
		}
	}
}

func TestFindingsText(t *testing.T) {
	f := func(x float64) fairness.Float { return fairness.Float(x) }
	iv := func(lo, hi float64) fairness.Interval2 { return fairness.Interval2{f(lo), f(hi)} }
	test := func(q float64) fairness.Test { return fairness.Test{Method: "permutation", P: f(q / 2), Q: f(q)} }
	r := &Result{Systems: []*SystemResult{{
		Name: "itemknn",
		Consumer: &fairness.Analysis{Comparisons: []fairness.Comparison{{
			Metric: "ndcg@10", Attribute: "age_band", Highest: "18-24", Lowest: "65+",
			Groups: []fairness.GroupEstimate{
				{Group: "18-24", Value: 0.142, CI: iv(0.131, 0.153)},
				{Group: "65+", Value: 0.081, CI: iv(0.072, 0.090)},
			},
			Disparities: []fairness.DisparityResult{
				{Aggregator: "max-min-diff", Estimate: 0.061, CI: iv(0.047, 0.075), Test: test(0.0004)},
				{Aggregator: "min-max-ratio", Estimate: 0.57, CI: iv(0.5, 0.64), Test: test(0.0009)},
			},
		}, {
			Metric: "recall@10", Attribute: "gender", Highest: "F", Lowest: "M",
			Disparities: []fairness.DisparityResult{{Aggregator: "max-min-diff", Test: test(0.2)}},
		}}},
		Provider: []ExposureAnalysis{{Attribute: "provider_type", Cutoff: 10, Groups: []ExposureGroup{
			{Group: "brand", Share: fairness.Estimate{Value: 0.56, CI: iv(0.554, 0.565)}, Catalogue: 0.32,
				VsCatalogue: ShareComparison{Difference: fairness.Estimate{Value: 0.24, CI: iv(0.234, 0.245)}, Test: &fairness.Test{Q: 0.001}}},
			{Group: "independent", Share: fairness.Estimate{Value: 0.44, CI: iv(0.435, 0.446)}, Catalogue: 0.68,
				VsCatalogue: ShareComparison{Difference: fairness.Estimate{Value: -0.24, CI: iv(-0.245, -0.234)}, Test: &fairness.Test{Q: 0.012}}},
		}}},
		Targeting: []TargetingResult{{Flag: "high_cost_credit", Cutoff: 10, Attribute: "age_band", Metric: "high_cost_credit_share@10",
			Rates: []TargetedGroup{{Group: "18-24", Rate: 0.048, CI: iv(0.044, 0.052)}, {Group: "65+", Rate: 0.035, CI: iv(0.031, 0.039)}},
			Most:  "18-24", Least: "65+", Ratio: fairness.Estimate{Value: 1.371, CI: iv(1.2, 1.56)}, Q: 0.0003}},
	}}}
	got := findings(r)
	want := []string{
		"NDCG@10 is lower for age band 65+ (0.081 [0.072, 0.090]) than for 18-24 (0.142 [0.131, 0.153]): difference 0.061 [0.047, 0.075], q < 0.001.",
		"Items with provider type independent receive 44.0% [43.5%, 44.6%] of the exposure in the top 10, against a catalogue share of 68.0%: 24.0 points less [23.4, 24.5], q = 0.012.",
		"high_cost_credit items make up 4.8% [4.4%, 5.2%] of the top 10 for age band 18-24, against 3.5% [3.1%, 3.9%] for 65+: 1.37 times as much [1.20, 1.56], q < 0.001.",
	}
	var texts []string
	for _, f := range got {
		texts = append(texts, f.Text)
	}
	if d := cmp.Diff(want, texts); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	if got[0].Kind != "consumer" || got[1].Kind != "provider" || got[2].Kind != "targeting" || got[0].Cutoff != 10 ||
		!slices.Equal(got[0].Groups, []string{"65+", "18-24"}) || float64(got[0].Q) != 0.0004 {
		t.Errorf("finding fields: %+v", got)
	}
	if !strings.HasPrefix(MetricLabel("high_cost_credit_share@20"), "Share of high_cost_credit items@20") {
		t.Errorf("label %q", MetricLabel("high_cost_credit_share@20"))
	}
}

func TestScoreErrors(t *testing.T) {
	d := tinyDataset()
	split := datasets.Split{Kind: datasets.SplitLeaveNOut, N: 1, Seed: 7}
	train, test, _, _ := split.Apply(&d.Interactions)
	g, err := NewGroups(d, GroupsConfig{MinGroupSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	good := datasets.Rankings{Offsets: make([]int64, 31)}
	in := Input{Dataset: d, Train: &train, Test: &test}
	cfg := Config{Analyze: fairness.AnalyzeConfig{BootstrapB: 10, PermutationB: 10}}
	short := test
	short.Rows = 29
	for name, c := range map[string]struct {
		in  Input
		sys System
	}{
		"rows":          {in, System{Rankings: datasets.Rankings{Offsets: make([]int64, 30)}}},
		"item":          {in, System{Rankings: datasets.Rankings{Offsets: append(make([]int64, 30), 1), Items: []int32{8}}}},
		"offsets":       {in, System{Rankings: datasets.Rankings{Offsets: append(make([]int64, 30), 1)}}},
		"test split":    {Input{Dataset: d, Train: &train, Test: &short}, System{Rankings: good}},
		"no training":   {Input{Dataset: d, Test: &test}, System{Rankings: good}},
		"negative item": {in, System{Rankings: datasets.Rankings{Offsets: append(make([]int64, 30), 1), Items: []int32{-1}}}},
	} {
		if _, err := Score(context.Background(), c.in, g, c.sys, cfg); !errors.Is(err, ErrInput) {
			t.Errorf("%s: error %v, want ErrInput", name, err)
		}
	}
	// Users without lists: per-user list metrics are NaN, accuracy 0.
	res, err := Score(context.Background(), in, g, System{Name: "none", Rankings: good}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Users.WithList != 0 || res.Users.NoList != 30 {
		t.Errorf("users %+v", res.Users)
	}
	if v := findColumn(res.PerUser, "novelty@10"); !math.IsNaN(v[0]) {
		t.Errorf("novelty of an empty list %v", v[0])
	}
	if v := findColumn(res.PerUser, "ndcg@10"); v[0] != 0 {
		t.Errorf("ndcg of an empty list %v, want 0 (all-miss)", v[0])
	}
	// Cancellation.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Score(ctx, in, g, System{Rankings: good}, cfg); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: error %v", err)
	}
}

func TestNewGroupsErrors(t *testing.T) {
	d := tinyDataset()
	for name, cfg := range map[string]GroupsConfig{
		"sensitive":           {Sensitive: []string{"nope"}},
		"intersection short":  {Intersections: [][]string{{"gender"}}},
		"intersection absent": {Intersections: [][]string{{"gender", "nope"}}},
		"item group":          {ItemGroups: []string{"nope"}},
		"flag":                {Flags: []string{"provider_type"}},
		"category":            {Category: "high_cost_credit"},
	} {
		if _, err := NewGroups(d, cfg); !errors.Is(err, ErrGroups) {
			t.Errorf("%s: error %v, want ErrGroups", name, err)
		}
	}
	// Defaults come from the column roles.
	g, err := NewGroups(d, GroupsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Users) != 2 || len(g.Items) != 2 || len(g.Flags) != 1 || g.CategoryColumn != "category" || g.MinGroupSize != DefaultMinGroupSize {
		t.Errorf("default groups: %d user, %d item groupings, %d flags, category %q, min %d", len(g.Users), len(g.Items), len(g.Flags), g.CategoryColumn, g.MinGroupSize)
	}
}
