// Package buildtest builds the repository's example programs for tests that
// run them (the exec recommender examples), once per test binary.
//
// Tests call Program with the path of a main package; TestMain calls
// Cleanup after m.Run to remove what was built. Nothing here is used outside
// tests.
package buildtest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	dir   string
	built = map[string]build{}
)

// build is the outcome of building one package.
type build struct {
	path string
	err  error
}

// Program builds the main package in the directory pkg (relative to the
// test's working directory, for example "../examples/exec-recommender")
// once per test binary and returns the path of the executable. It skips t
// when there is no go command and fails t when the build fails.
func Program(t testing.TB, pkg string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build %s", pkg)
	}
	mu.Lock()
	b, ok := built[pkg]
	if !ok {
		b = compile(goTool, pkg)
		built[pkg] = b
	}
	mu.Unlock()
	if b.err != nil {
		t.Fatalf("building %s: %v", pkg, b.err)
	}
	return b.path
}

// compile builds pkg into the shared temporary directory; mu is held.
func compile(goTool, pkg string) build {
	if dir == "" {
		d, err := os.MkdirTemp("", "recaudit-examples-")
		if err != nil {
			return build{err: err}
		}
		dir = d
	}
	path := filepath.Join(dir, filepath.Base(filepath.Clean(pkg)))
	if out, err := exec.Command(goTool, "build", "-o", path, pkg).CombinedOutput(); err != nil {
		return build{err: errors.New(string(out))}
	}
	return build{path: path}
}

// Cleanup removes every program Program built. Call it from TestMain
// after m.Run.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
		dir = ""
	}
	clear(built)
}
