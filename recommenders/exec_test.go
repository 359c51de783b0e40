package recommenders_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recaudit/recaudit/internal/buildtest"

	"github.com/google/go-cmp/cmp"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/recommenders/all"
	"github.com/recaudit/recaudit/recommenders/rectest"
)

// exampleCommand builds examples/exec-recommender once per test binary
// and returns the path of the program.
func exampleCommand(t *testing.T) string {
	return buildtest.Program(t, "../examples/exec-recommender")
}

func TestMain(m *testing.M) {
	code := m.Run()
	buildtest.Cleanup()
	os.Exit(code)
}

func needShell(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on this system")
	}
}

// exampleExec returns an Exec running the example program.
func exampleExec(t *testing.T, dir string) *recommenders.Exec {
	return &recommenders.Exec{
		Command: []string{exampleCommand(t), "-train", "{train}", "-users", "{users}", "-k", "{k}", "-out", "{out}"},
		Timeout: time.Minute,
		Dir:     dir,
	}
}

// assertEmpty fails unless dir is empty: the adapter left nothing behind.
func assertEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		t.Errorf("%d entries left in the temporary directory's parent, e.g. %s", len(entries), entries[0].Name())
	}
}

func TestExecConformance(t *testing.T) {
	dir := t.TempDir()
	rectest.Run(t, func() recommenders.Recommender { return exampleExec(t, dir) })
	assertEmpty(t, dir)
}

// TestExecExampleLists checks the example program's lists against its
// definition on the tiny dataset: most popular by distinct users (no
// timestamps), ties by item ID as text, without the user's own items.
func TestExecExampleLists(t *testing.T) {
	d := rectest.Datasets()[0]
	dir := t.TempDir()
	e := exampleExec(t, dir)
	e.SetIDs(d.Users, d.Items)
	ctx := context.Background()
	if err := e.Fit(ctx, &d.Train); err != nil {
		t.Fatal(err)
	}
	got, err := e.Recommend(ctx, []int32{0, 2, 4}, 3)
	if err != nil {
		t.Fatal(err)
	}
	// hand-computed from the tiny dataset's rows {0,1,2} {1,2,3,4} {}
	// {0..7} {5} {2,6}: counts i0 2, i1 3, i2 4, i3 2, i4 2, i5 2, i6 2,
	// i7 1; order i2, i1, then i0 i3 i4 i5 i6 (ties by ID text), i7.
	want := map[int][]int32{0: {3, 4, 5}, 2: {2, 1, 0}, 4: {2, 1, 0}}
	for u := 0; u < 6; u++ {
		if d := cmp.Diff(want[u], got.List(u), approx...); d != "" {
			t.Errorf("user %d (-want +got)\n%s", u, d)
		}
	}
	if s := got.ListScores(0); !slices.Equal(s, []float64{2, 2, 2}) {
		t.Errorf("scores of user 0: %v, want the user counts 2, 2, 2", s)
	}
	assertEmpty(t, dir)
}

// TestExecInputs checks what the command is given: the training split
// with external IDs and values, the items with their attributes, and only
// the asked users' IDs, with no user attribute.
func TestExecInputs(t *testing.T) {
	needShell(t)
	d := rectest.Datasets()[1] // values and timestamps
	d.Train.ItemColumns = []datasets.Column{{Name: "provider", Role: datasets.RoleItemGroup, Kind: datasets.Categorical,
		Levels: []string{"p"}, Codes: make([]int32, d.Items.Len())}}
	keep := t.TempDir()
	e := &recommenders.Exec{
		Command: []string{"sh", "-c", `cp "$RECAUDIT_TRAIN" "$RECAUDIT_ITEMS" "$RECAUDIT_USERS" "$1" && test "$RECAUDIT_K" = 7 && test "$RECAUDIT_OUT" = "$2" && printf 'user_id,item_id,rank\n1005,i0,1\n' > "$2"`,
			"sh", keep, "{out}"},
		Format: datasets.FormatCSV,
	}
	e.SetIDs(d.Users, d.Items)
	ctx := context.Background()
	if err := e.Fit(ctx, &d.Train); err != nil {
		t.Fatal(err)
	}
	got, err := e.Recommend(ctx, []int32{5, 2}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.List(5), []int32{0}) || got.Scores != nil {
		t.Errorf("user 5 got %v (scores %v), want [0] without scores", got.List(5), got.Scores)
	}
	ds, err := datasets.Load(datasets.Paths{Interactions: filepath.Join(keep, "train.arrow"), Items: filepath.Join(keep, "items.arrow")})
	if err != nil {
		t.Fatal(err)
	}
	m := &d.Train.Interactions
	if !slices.Equal(ds.Interactions.Cols, m.Cols) || !slices.Equal(ds.Interactions.Values, m.Values) || !slices.Equal(ds.Interactions.Times, m.Times) {
		t.Error("the training file does not hold the training interactions")
	}
	for u := int32(0); u < int32(ds.Users.Len()); u++ {
		if ds.Users.String(u) != d.Users.String(u) {
			t.Fatalf("user %d has ID %s in the file, %s in the dataset", u, ds.Users.String(u), d.Users.String(u))
		}
	}
	if c, ok := ds.ItemColumn("provider"); !ok || c.Len() != d.Items.Len() {
		t.Error("the items file lacks the provider column")
	}
	r, err := datasets.OpenTable(filepath.Join(keep, "users.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if names := r.Schema().Fields(); len(names) != 1 || names[0].Name != "user_id" {
		t.Errorf("users file has fields %v, want user_id only", names)
	}
	var ids []int64
	for r.Next() {
		ids = append(ids, r.RecordBatch().Column(0).(interface{ Int64Values() []int64 }).Int64Values()...)
	}
	if !slices.Equal(ids, []int64{d.Users.Int(5), d.Users.Int(2)}) {
		t.Errorf("users file holds %v, want the IDs of users 5 and 2", ids)
	}
}

func TestExecFailures(t *testing.T) {
	needShell(t)
	d := rectest.Datasets()[0]
	ctx := context.Background()
	const csv = datasets.FormatCSV
	cases := []struct {
		name     string
		script   string
		timeout  time.Duration
		format   datasets.Format
		sentinel error  // also wrapped, besides ErrExternal
		msg      string // in the error
	}{
		{"non-zero exit", `echo "model exploded" >&2; exit 3`, 0, csv, nil, "exit status 3; its stderr ends with:\nmodel exploded"},
		{"timeout", `sleep 10`, 200 * time.Millisecond, csv, nil, "timed out after 200ms"},
		{"timeout of a child", `sleep 10 & wait`, 200 * time.Millisecond, csv, nil, "timed out after 200ms"},
		{"nothing written", `echo "forgot the output" >&2`, 0, csv, nil, "wrote nothing at {out}"},
		{"garbage", `echo garbage > "$RECAUDIT_OUT"`, 0, datasets.FormatArrow, datasets.ErrFormat, "not an Arrow IPC file"},
		{"garbage CSV", `echo garbage > "$RECAUDIT_OUT"`, 0, csv, datasets.ErrSchema, "no user_id column"},
		{"truncated Arrow", `head -c 100 "$RECAUDIT_TRAIN" > "$RECAUDIT_OUT"`, 0, datasets.FormatArrow, datasets.ErrFormat, "not a valid recommendation file"},
		{"unknown item", `printf 'user_id,item_id,rank\n1000,nope,1\n' > "$RECAUDIT_OUT"`, 0, csv, datasets.ErrUnknownID, "nope"},
		{"user not asked", `printf 'user_id,item_id,rank\n1001,i5,1\n' > "$RECAUDIT_OUT"`, 0, csv, nil, "user 1001, who was not asked for"},
		{"more than k", `printf 'user_id,item_id,rank\n1000,i5,1\n1000,i6,2\n1000,i7,3\n' > "$RECAUDIT_OUT"`, 0, csv, nil, "3 items to user 1000, more than k = 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			e := &recommenders.Exec{Command: []string{"sh", "-c", c.script}, Timeout: c.timeout, Format: c.format, Dir: dir}
			e.SetIDs(d.Users, d.Items)
			if err := e.Fit(ctx, &d.Train); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			got, err := e.Recommend(ctx, []int32{0}, 2)
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("took %v", el)
			}
			var ee *recommenders.ExecError
			if !errors.As(err, &ee) || !errors.Is(err, recommenders.ErrExternal) {
				t.Fatalf("error %v (%T), want an *ExecError wrapping ErrExternal", err, err)
			}
			if c.sentinel != nil && !errors.Is(err, c.sentinel) {
				t.Errorf("error %v does not wrap %v", err, c.sentinel)
			}
			if !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), "command sh -c") {
				t.Errorf("error\n%v\nwant the command and %q", err, c.msg)
			}
			if got.Offsets != nil || got.Items != nil {
				t.Error("lists returned with the error")
			}
			assertEmpty(t, dir)
		})
	}
}

func TestExecCancel(t *testing.T) {
	needShell(t)
	d := rectest.Datasets()[0]
	dir := t.TempDir()
	e := &recommenders.Exec{Command: []string{"sh", "-c", "sleep 10"}, Dir: dir}
	e.SetIDs(d.Users, d.Items)
	if err := e.Fit(context.Background(), &d.Train); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.Recommend(ctx, []int32{0}, 2)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want the context's", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("cancellation took %v", el)
	}
	assertEmpty(t, dir)
}

func TestExecSetup(t *testing.T) {
	d := rectest.Datasets()[0]
	e := &recommenders.Exec{Command: []string{"/nonexistent/recommender"}}
	e.SetIDs(d.Users, d.Items)
	err := e.Fit(context.Background(), &d.Train)
	if !errors.Is(err, recommenders.ErrExternal) || !strings.Contains(err.Error(), "cannot run the program") {
		t.Errorf("missing program: %v", err)
	}
	if !panics(func() { _ = (&recommenders.Exec{Command: []string{"true"}}).Fit(context.Background(), &d.Train) }) {
		t.Error("Fit without SetIDs did not panic")
	}
	_, err = all.Default().New("exec", recommenders.Params{"command": ""})
	if !errors.Is(err, recommenders.ErrParam) {
		t.Errorf("empty command: %v", err)
	}
	rec, err := all.Default().New("exec", recommenders.Params{"command": "prog -k {k}", "format": "csv", "timeout": "5s"})
	if err != nil {
		t.Fatal(err)
	}
	x := rec.(*recommenders.Exec)
	if !slices.Equal(x.Command, []string{"prog", "-k", "{k}"}) || x.Format != datasets.FormatCSV || x.Timeout != 5*time.Second {
		t.Errorf("factory made %+v", x)
	}
}
