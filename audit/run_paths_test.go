package audit

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"testing"

	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
)

// TestRunExecRelativeProgram checks that an exec system's program named
// by a relative path in a spec file is found in the spec's directory, as
// the spec's other paths are, whatever the current directory; and that the
// results record the command as the spec gives it.
func TestRunExecRelativeProgram(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("a shell script")
	}
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("needs sh")
	}
	dir := t.TempDir()
	specs := filepath.Join(dir, "specs")
	if err := os.Mkdir(specs, 0o777); err != nil {
		t.Fatal(err)
	}
	// The program copies a file of empty lists to {out}.
	w := newWorld(t, demo.Config{Users: 300, Items: 400, Interactions: 9000, Seed: 1, Effects: demo.DefaultEffects()})
	empty := filepath.Join(dir, "empty.arrow")
	none := datasets.Rankings{Offsets: make([]int64, w.d.Users.Len()+1)}
	if err := datasets.WriteRecommendations(empty, w.d.Users, w.d.Items, []datasets.Rankings{none}, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(specs, "prog.sh"), []byte("#!/bin/sh\ncp \"$1\" \"$2\"\n"), 0o777); err != nil {
		t.Fatal(err)
	}
	spec := "version: 1\ndataset: {demo: {users: 300, items: 400}}\nsystems:\n  - name: ext\n    exec: [./prog.sh, " + empty + ", \"{out}\"]\n" +
		"cutoffs: [10]\nstatistics: {resamples: 10, permutations: 10}\n"
	if err := os.WriteFile(filepath.Join(specs, "a.yaml"), []byte(spec), 0o666); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir) // not the spec's directory
	s, err := ReadSpec(filepath.Join("specs", "a.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Run(context.Background(), s, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Result.Spec.Systems[0].Params[0]; got.Name != "command" || !slices.Equal(got.Value.([]string), []string{"./prog.sh", empty, "{out}"}) {
		t.Errorf("effective command %v, want the spec's", got)
	}
	// A program missing from the spec's directory names it.
	if err := os.Remove(filepath.Join(specs, "prog.sh")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("prog.sh", []byte("#!/bin/sh\nexit 1\n"), 0o777); err != nil { // in the current directory: not used
		t.Fatal(err)
	}
	err = s.Check(nil)
	var se *SpecError
	if !errors.As(err, &se) || se.Field != "systems[0].exec" || se.Line != 5 || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want an error at systems[0].exec, line 5, naming the spec's directory", err)
	}
}
