package cli

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the test binary run as the "recaudit" command of the
// scripts, through the same Main as cmd/recaudit.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"recaudit": func() { os.Exit(Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs the end-to-end scripts in testdata/script. Besides the
// standard commands they have
//
//	exits N command [args...]
//
// which runs a program like exec and checks that its exit status is N, and
//
//	sift [-v] regexp in out
//
// which writes the lines of file in that match regexp (with -v: that do
// not) to file out, so that cmp can compare outputs that differ only in
// known lines (file paths, say).
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			// $MOVIELENS holds the MovieLens-layout fixtures of package
			// movielens (hand-written, not MovieLens data).
			abs, err := filepath.Abs(filepath.Join("..", "..", "datasets", "movielens", "testdata"))
			if err != nil {
				return err
			}
			env.Setenv("MOVIELENS", abs)
			// $RESULT is a small results document: the audit package's
			// golden result (two systems on a 30-user shop).
			abs, err = filepath.Abs(filepath.Join("..", "..", "audit", "testdata", "result_golden.json"))
			env.Setenv("RESULT", abs)
			if err != nil {
				return err
			}
			// $POLICY is the example fairness policy for the demo shop.
			abs, err = filepath.Abs(filepath.Join("..", "..", "examples", "policy", "demo.yaml"))
			env.Setenv("POLICY", abs)
			return err
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"exits": cmdExits,
			"sift":  cmdSift,
		},
	})
}

func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits N command [args...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad status %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
}

func cmdSift(ts *testscript.TestScript, neg bool, args []string) {
	invert := len(args) > 0 && args[0] == "-v"
	if invert {
		args = args[1:]
	}
	if neg || len(args) != 3 {
		ts.Fatalf("usage: sift [-v] regexp in out")
	}
	re, err := regexp.Compile(args[0])
	ts.Check(err)
	var b strings.Builder
	for _, line := range strings.SplitAfter(ts.ReadFile(args[1]), "\n") {
		if line != "" && re.MatchString(strings.TrimSuffix(line, "\n")) != invert {
			b.WriteString(line)
		}
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[2]), []byte(b.String()), 0o644))
}
