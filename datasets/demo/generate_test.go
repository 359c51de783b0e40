package demo_test

import (
	stdcmp "cmp"
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
)

// small is the configuration most tests use: big enough for several
// goroutine blocks (1024 users each), small enough to take milliseconds.
func small(seed uint64, e demo.Effects) demo.Config {
	return demo.Config{Users: 5000, Items: 500, Interactions: 150_000, Seed: seed, Effects: e}
}

func generate(t testing.TB, cfg demo.Config) *datasets.Dataset {
	t.Helper()
	d, err := demo.Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sameDataset returns "" when a and b are identical, else the first part
// that differs. (cmp.Diff would do, but takes seconds on these sizes.)
func sameDataset(a, b *datasets.Dataset) string {
	switch {
	case !a.Users.Equal(b.Users):
		return "Users"
	case !a.Items.Equal(b.Items):
		return "Items"
	case !reflect.DeepEqual(a.Interactions, b.Interactions):
		return "Interactions"
	case !reflect.DeepEqual(a.UserColumns, b.UserColumns):
		return "UserColumns"
	case !reflect.DeepEqual(a.ItemColumns, b.ItemColumns):
		return "ItemColumns"
	case !reflect.DeepEqual(a.Metadata, b.Metadata):
		return "Metadata"
	case !reflect.DeepEqual(a.Report, b.Report):
		return "Report"
	}
	return ""
}

func TestDeterminism(t *testing.T) {
	cfg := small(42, demo.DefaultEffects())
	a := generate(t, cfg)
	b := generate(t, cfg)
	if diff := sameDataset(a, b); diff != "" {
		t.Errorf("same config, different %s", diff)
	}

	prev := runtime.GOMAXPROCS(1)
	one := generate(t, cfg)
	runtime.GOMAXPROCS(2)
	two := generate(t, cfg)
	runtime.GOMAXPROCS(prev)
	if diff := sameDataset(one, two); diff != "" {
		t.Errorf("GOMAXPROCS 1 and 2 give different %s", diff)
	}
	if diff := sameDataset(a, one); diff != "" {
		t.Errorf("GOMAXPROCS %d and 1 give different %s", prev, diff)
	}

	cfg.Seed = 43
	c := generate(t, cfg)
	if sameDataset(a, c) == "" {
		t.Error("seeds 42 and 43 gave identical datasets")
	}
	if slices.Equal(a.Interactions.Cols, c.Interactions.Cols) {
		t.Error("seeds 42 and 43 gave the same interactions")
	}
	g, _ := a.UserColumn("gender")
	h, _ := c.UserColumn("gender")
	if slices.Equal(g.Codes, h.Codes) {
		t.Error("seeds 42 and 43 gave the same genders")
	}
}

func TestStructure(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  demo.Config
	}{
		{"default effects", small(1, demo.DefaultEffects())},
		{"null world", small(1, demo.Effects{})},
		{"tiny", demo.Config{Users: 3, Items: 48, Interactions: 18, Seed: 5}},
		{"strong effects", demo.Config{Users: 2000, Items: 1000, Interactions: 100_000, Seed: 9,
			Effects: demo.Effects{AgeActivity: 0.9, BrandPopularity: 1000, CategoryTaste: 10, CreditPropensity: 49}}},
		{"options", demo.Config{Users: 1500, Items: 300, Interactions: 30_000, Seed: 3, MinPerUser: 2,
			Clusters: 20, Start: time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), Span: 24 * time.Hour}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkStructure(t, tc.cfg, generate(t, tc.cfg))
		})
	}
}

func checkStructure(t *testing.T, cfg demo.Config, d *datasets.Dataset) {
	t.Helper()
	m := &d.Interactions
	if msg := m.Validate(); msg != "" {
		t.Fatalf("CSR invalid: %s", msg)
	}
	if m.Rows != cfg.Users || m.NumCols != cfg.Items || d.Users.Len() != cfg.Users || d.Items.Len() != cfg.Items {
		t.Fatalf("shape %d×%d, IDs %d/%d; want %d users, %d items", m.Rows, m.NumCols, d.Users.Len(), d.Items.Len(), cfg.Users, cfg.Items)
	}
	if m.Values != nil {
		t.Error("Values not nil: the demo data is implicit feedback")
	}
	if d.Users.Kind() != datasets.IntIDs || d.Users.Int(0) != 1 || d.Items.Int(int32(cfg.Items-1)) != int64(cfg.Items) {
		t.Error("IDs are not the integers 1..N")
	}
	minPer := stdcmp.Or(cfg.MinPerUser, demo.DefaultMinPerUser)
	for u := 0; u < m.Rows; u++ {
		if n := m.Len(u); n < minPer || n > cfg.Items/2 {
			t.Fatalf("user %d has %d interactions, want [%d, %d]", u, n, minPer, cfg.Items/2)
		}
	}
	start := stdcmp.Or(cfg.Start, demo.DefaultStart).Unix()
	span := int64(stdcmp.Or(cfg.Span, demo.DefaultSpan) / time.Second)
	for j, ts := range m.Times {
		if ts < start || ts >= start+span {
			t.Fatalf("time %d of entry %d outside [%d, %d)", ts, j, start, start+span)
		}
	}
	if d.Report.InteractionRows != int64(m.NNZ()) {
		t.Errorf("Report.InteractionRows = %d, want %d", d.Report.InteractionRows, m.NNZ())
	}

	type colSpec struct {
		Name string
		Role datasets.Role
		Kind datasets.ColumnKind
	}
	wantUsers := []colSpec{
		{"gender", datasets.RoleSensitive, datasets.Categorical},
		{"age_band", datasets.RoleSensitive, datasets.Categorical},
		{"region", datasets.RoleAttribute, datasets.Categorical},
		{"consent_personalization", datasets.RoleConsent, datasets.Bool},
	}
	wantItems := []colSpec{
		{"provider", datasets.RoleItemGroup, datasets.Categorical},
		{"provider_type", datasets.RoleItemGroup, datasets.Categorical},
		{"category", datasets.RoleItemGroup, datasets.MultiCategorical},
		{"price_tier", datasets.RoleAttribute, datasets.Categorical},
		{"high_cost_credit", datasets.RoleFlag, datasets.Bool},
	}
	check := func(cols []datasets.Column, want []colSpec, rows int) {
		var got []colSpec
		for i := range cols {
			c := &cols[i]
			got = append(got, colSpec{c.Name, c.Role, c.Kind})
			if c.Len() != rows {
				t.Errorf("column %s has %d rows, want %d", c.Name, c.Len(), rows)
			}
			if c.Kind != datasets.Categorical && c.Kind != datasets.MultiCategorical {
				continue
			}
			if !slices.IsSorted(c.Levels) || len(slices.Compact(slices.Clone(c.Levels))) != len(c.Levels) {
				t.Errorf("column %s: levels not sorted and distinct: %q", c.Name, c.Levels)
			}
			used := make([]bool, len(c.Levels))
			for r := 0; r < rows; r++ {
				codes := c.RowCodes(r)
				if len(codes) == 0 {
					t.Errorf("column %s row %d is null", c.Name, r)
				}
				for k, x := range codes {
					if x < 0 || int(x) >= len(c.Levels) || (k > 0 && x <= codes[k-1]) {
						t.Fatalf("column %s row %d: codes %v not sorted, distinct and in range", c.Name, r, codes)
					}
					used[x] = true
				}
			}
			if i := slices.Index(used, false); i >= 0 {
				t.Errorf("column %s: level %q is never used", c.Name, c.Levels[i])
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("columns (-want +got):\n%s", diff)
		}
	}
	check(d.UserColumns, wantUsers, cfg.Users)
	check(d.ItemColumns, wantItems, cfg.Items)

	// Items: 1-3 categories; credit offers are finance; at least one.
	category, _ := d.ItemColumn("category")
	credit, _ := d.ItemColumn("high_cost_credit")
	finance := int32(slices.Index(category.Levels, "finance"))
	ncredit := 0
	for i := range cfg.Items {
		codes := category.RowCodes(i)
		if len(codes) < 1 || len(codes) > 3 {
			t.Fatalf("item %d has %d categories", i, len(codes))
		}
		if credit.Bools[i] {
			ncredit++
			if !slices.Equal(codes, []int32{finance}) {
				t.Errorf("credit item %d has categories %v, want only finance", i, codes)
			}
		}
	}
	if ncredit == 0 {
		t.Error("no high_cost_credit item")
	}
	// provider_type agrees with the provider names and the metadata.
	provider, _ := d.ItemColumn("provider")
	ptype, _ := d.ItemColumn("provider_type")
	brands := strings.Split(d.Metadata[demo.MetaBrands], ",")
	for i := range cfg.Items {
		name := provider.Levels[provider.Codes[i]]
		isBrand := ptype.Levels[ptype.Codes[i]] == "brand"
		if isBrand != slices.Contains(brands, name) {
			t.Fatalf("item %d: provider %q, provider_type %q, brands %q", i, name, ptype.Levels[ptype.Codes[i]], brands)
		}
	}
}

func TestMetadata(t *testing.T) {
	e := demo.Effects{AgeActivity: 0.25, BrandPopularity: 1.5, CategoryTaste: 0.75, CreditPropensity: 3}
	cfg := small(7, e)
	d := generate(t, cfg)
	want := map[string]float64{ // the Config above
		demo.MetaSeed:             7,
		demo.MetaUsers:            5000,
		demo.MetaItems:            500,
		demo.MetaInteractions:     150_000,
		demo.MetaMinPerUser:       5,  // DefaultMinPerUser
		demo.MetaClusters:         12, // max(500/80, 12)
		demo.MetaStart:            float64(demo.DefaultStart.Unix()),
		demo.MetaSpan:             365 * 86400,
		demo.MetaCreditBaseRate:   demo.CreditBaseRate,
		demo.MetaAgeActivity:      0.25,
		demo.MetaBrandPopularity:  1.5,
		demo.MetaCategoryTaste:    0.75,
		demo.MetaCreditPropensity: 3,
	}
	for k, v := range want {
		got, err := strconv.ParseFloat(d.Metadata[k], 64)
		if err != nil || got != v {
			t.Errorf("Metadata[%q] = %q, want %v", k, d.Metadata[k], v)
		}
	}
	if d.Metadata[demo.MetaNullWorld] != "false" {
		t.Errorf("null_world = %q, want false", d.Metadata[demo.MetaNullWorld])
	}
	if got := d.Metadata[demo.MetaCreditPropensity+".group"]; got != "18-24" {
		t.Errorf("credit group = %q, want 18-24", got)
	}
	null := generate(t, small(7, demo.Effects{}))
	if null.Metadata[demo.MetaNullWorld] != "true" || null.Metadata[demo.MetaAgeActivity] != "0" {
		t.Errorf("null world metadata: null_world %q, age_activity %q", null.Metadata[demo.MetaNullWorld], null.Metadata[demo.MetaAgeActivity])
	}
}

func TestConfigErrors(t *testing.T) {
	ok := small(1, demo.DefaultEffects())
	with := func(f func(*demo.Config)) demo.Config { c := ok; f(&c); return c }
	for _, tc := range []struct {
		cfg   demo.Config
		field string // the error must name it
	}{
		{demo.Config{}, "Config.Users"},
		{with(func(c *demo.Config) { c.Users = -1 }), "Config.Users"},
		{with(func(c *demo.Config) { c.Items = 47 }), "Config.Items"},
		{with(func(c *demo.Config) { c.Interactions = 0 }), "Config.Interactions"},
		{with(func(c *demo.Config) { c.Interactions = 5000 * 5 }), "Config.Interactions = 25000 is too small"},
		{with(func(c *demo.Config) { c.Interactions = 5000 * 60 }), "Config.Interactions = 300000 is too large"},
		{with(func(c *demo.Config) { c.MinPerUser = -1 }), "Config.MinPerUser"},
		{with(func(c *demo.Config) { c.Clusters = 11 }), "Config.Clusters"},
		{with(func(c *demo.Config) { c.Clusters = 126 }), "Config.Clusters"},
		{with(func(c *demo.Config) { c.Span = -time.Hour }), "Config.Span"},
		{with(func(c *demo.Config) { c.Span = time.Millisecond }), "Config.Span"},
		{with(func(c *demo.Config) { c.Effects.AgeActivity = 1 }), "Config.Effects.AgeActivity"},
		{with(func(c *demo.Config) { c.Effects.AgeActivity = -0.1 }), "Config.Effects.AgeActivity"},
		{with(func(c *demo.Config) { c.Effects.AgeActivity = math.NaN() }), "Config.Effects.AgeActivity"},
		{with(func(c *demo.Config) { c.Effects.BrandPopularity = -1 }), "Config.Effects.BrandPopularity"},
		{with(func(c *demo.Config) { c.Effects.BrandPopularity = math.Inf(1) }), "Config.Effects.BrandPopularity"},
		{with(func(c *demo.Config) { c.Effects.CategoryTaste = 11 }), "Config.Effects.CategoryTaste"},
		{with(func(c *demo.Config) { c.Effects.CreditPropensity = 50 }), "Config.Effects.CreditPropensity"},
	} {
		_, err := demo.Generate(context.Background(), tc.cfg)
		if !errors.Is(err, demo.ErrConfig) || !strings.Contains(err.Error(), tc.field) {
			t.Errorf("Generate(%+v) = %v; want an ErrConfig naming %q", tc.cfg, err, tc.field)
		}
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	d, err := demo.Generate(ctx, small(1, demo.DefaultEffects()))
	if !errors.Is(err, context.Canceled) || d != nil {
		t.Errorf("Generate(cancelled) = %v, %v; want nil, context.Canceled", d, err)
	}
}
