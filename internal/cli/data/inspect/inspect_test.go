package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/internal/cli/clitest"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
)

var regen = flag.Bool("regen", false, "rewrite the golden files in testdata")

func TestNewCmdInspectFlags(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		want    cmdutil.DatasetInput
		json    bool
		wantErr bool
	}{
		{name: "dir", args: []string{"d"}, want: cmdutil.DatasetInput{Dir: "d", Roles: cmdutil.RolesValue{}}},
		{name: "dir json", args: []string{"--json", "d"}, want: cmdutil.DatasetInput{Dir: "d", Roles: cmdutil.RolesValue{}}, json: true},
		{name: "files and role", args: []string{"--interactions", "i.arrow", "--role", "age=ignore", "--duplicates=sum"},
			want: cmdutil.DatasetInput{Interactions: "i.arrow", Duplicates: datasets.DuplicatesSum,
				Roles: cmdutil.RolesValue{"age": datasets.RoleIgnore}}},
		{name: "nothing", args: nil, wantErr: true},
		{name: "both", args: []string{"d", "--items", "t.csv"}, wantErr: true},
		{name: "role without column", args: []string{"d", "--role", "=sensitive"}, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := cmdutil.NewFactory(nil, &bytes.Buffer{}, &bytes.Buffer{})
			var got *InspectOptions
			cmd := NewCmdInspect(f, func(o *InspectOptions) error { got = o; return nil })
			cmd.SetArgs(tc.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got.Input); diff != "" {
				t.Errorf("input (-want +got):\n%s", diff)
			}
			if got.JSON != tc.json {
				t.Errorf("JSON = %v, want %v", got.JSON, tc.json)
			}
		})
	}
}

func ptr(v float64) *float64 { return &v }

func TestInspectRunJSON(t *testing.T) {
	const tol = 1e-12
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	p := clitest.WriteArrow(t, dir, clitest.Small())

	var out bytes.Buffer
	opts := &InspectOptions{IO: &cmdutil.IOStreams{Out: &out}, Allocator: mem, JSON: true,
		Input: cmdutil.DatasetInput{Dir: dir}}
	if err := inspectRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	var got Report
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	// Expected values hand-computed from clitest.Small: activity [3 1 2 1],
	// popularity [3 2 2 0 0]; type 7 quartiles h = (n-1)p.
	want := Report{
		Files:         Files{Interactions: p.Interactions, Users: p.Users, Items: p.Items},
		Users:         4,
		Items:         5,
		Interactions:  7,
		Density:       ptr(0.35), // 7 / (4 × 5)
		HasValues:     true,
		HasTimestamps: false,
		Columns: []Column{
			{Table: "users", Name: "gender", Role: "sensitive", Kind: "categorical", Levels: 2},
			{Table: "users", Name: "score", Role: "attribute", Kind: "numeric", Missing: 1},
			{Table: "items", Name: "provider", Role: "item_group", Kind: "categorical", Levels: 3},
		},
		Groups: []Group{
			{Table: "users", Column: "gender", Role: "sensitive", Levels: []LevelSize{{"f", 2}, {"m", 2}}},
			{Table: "items", Column: "provider", Role: "item_group", Levels: []LevelSize{{"p", 2}, {"q", 2}, {"r", 1}}},
		},
		// sorted [1 1 2 3]: Q1 = 1, median = 1.5, Q3 = 2 + 0.25 = 2.25, mean 7/4.
		Activity: Distribution{N: 4, Min: ptr(1), Q1: ptr(1), Median: ptr(1.5), Q3: ptr(2.25), Mean: ptr(1.75), Max: ptr(3)},
		// sorted [0 0 2 2 3]: Q1 = x[1], median = x[2], Q3 = x[3], mean 7/5.
		Popularity:       Distribution{N: 5, Min: ptr(0), Q1: ptr(0), Median: ptr(2), Q3: ptr(2), Mean: ptr(1.4), Max: ptr(3)},
		TopItemsFraction: 0.1,
		TopItemsShare:    ptr(3.0 / 7), // ⌈0.5⌉ = 1 top item, a, with 3 of 7
		Load:             LoadReport{InteractionRows: 7, ItemsWithoutHistory: 2, IgnoredColumns: []string{}},
		Metadata:         map[string]string{},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, tol)); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}

func TestInspectRunText(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	clitest.WriteArrow(t, dir, clitest.Small())
	t.Chdir(dir) // so that the report shows relative paths

	var out bytes.Buffer
	opts := &InspectOptions{IO: &cmdutil.IOStreams{Out: &out}, Allocator: mem, Input: cmdutil.DatasetInput{Dir: "."}}
	if err := inspectRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(testdataDir, "inspect_golden.txt")
	if *regen {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("report differs from %s (-want +got):\n%s", golden, diff)
	}
}

func TestInspectRunMissingFile(t *testing.T) {
	opts := &InspectOptions{IO: &cmdutil.IOStreams{Out: &bytes.Buffer{}},
		Input: cmdutil.DatasetInput{Interactions: filepath.Join(t.TempDir(), "nope.arrow")}}
	if err := inspectRun(context.Background(), opts); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("error %v, want one wrapping os.ErrNotExist", err)
	}
}

func TestFmtNum(t *testing.T) {
	for _, tc := range []struct {
		v    *float64
		want string
	}{{nil, "-"}, {ptr(3), "3"}, {ptr(2.25), "2.25"}, {ptr(1.0 / 3), "0.33"}, {ptr(0), "0"}} {
		if got := fmtNum(tc.v); got != tc.want {
			t.Errorf("fmtNum(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// testdataDir is this package's testdata directory as an absolute path, so
// that tests may change the working directory.
var testdataDir = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "testdata")
}()

func TestShownLevels(t *testing.T) {
	few := []LevelSize{{"a", 1}, {"b", 5}}
	if shown, rest := shownLevels(few); !cmp.Equal(shown, few) || rest != nil {
		t.Errorf("few levels: shown %v, rest %v; want all in order", shown, rest)
	}
	var many []LevelSize
	for i := range 15 {
		many = append(many, LevelSize{Level: string(rune('a' + i)), Size: i % 4})
	}
	shown, rest := shownLevels(many)
	// Sizes are 0 1 2 3 repeating over a..o: the 3s (d h l), then the 2s
	// (c g k o), then the 1s (b f j) fill the maxLevels-2 = 10 shown.
	want := []LevelSize{{"d", 3}, {"h", 3}, {"l", 3}, {"c", 2}, {"g", 2}, {"k", 2}, {"o", 2}, {"b", 1}, {"f", 1}, {"j", 1}}
	if diff := cmp.Diff(want, shown); diff != "" {
		t.Errorf("shown (-want +got):\n%s", diff)
	}
	if len(rest) != 5 {
		t.Errorf("rest has %d levels, want 5", len(rest))
	}
}
