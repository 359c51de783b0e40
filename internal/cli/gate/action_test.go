package gate_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionFile is the composite action at the root of the repository.
var actionFile = filepath.Join("..", "..", "..", "action.yml")

type action struct {
	Inputs map[string]struct {
		Required bool   `yaml:"required"`
		Default  string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type step struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

var inputRef = regexp.MustCompile(`\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}`)

// TestActionSyntax checks the composite action's structure: runs.using is
// composite, every run step names its shell (composite actions require
// it), no run script holds a ${{ }} expression (inputs reach scripts
// through env, so that their values cannot inject shell code), and every
// input the steps use is declared.
func TestActionSyntax(t *testing.T) {
	data, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	if len(a.Runs.Steps) == 0 {
		t.Fatal("no steps")
	}
	for i, s := range a.Runs.Steps {
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("step %d (%s): needs exactly one of run and uses", i, s.Name)
		}
		if s.Run != "" && s.Shell == "" {
			t.Errorf("step %d (%s): a run step of a composite action needs shell", i, s.Name)
		}
		if strings.Contains(s.Run, "${{") {
			t.Errorf("step %d (%s): its script interpolates an expression; pass it through env", i, s.Name)
		}
		var refs []string
		for _, v := range s.Env {
			refs = append(refs, v)
		}
		for _, v := range s.With {
			refs = append(refs, v)
		}
		for _, v := range refs {
			for _, m := range inputRef.FindAllStringSubmatch(v, -1) {
				if _, ok := a.Inputs[m[1]]; !ok {
					t.Errorf("step %d (%s) uses undeclared input %q", i, s.Name, m[1])
				}
			}
		}
	}
}

// TestExampleWorkflowSyntax checks that no run script of the example
// workflow interpolates an expression (script injection).
func TestExampleWorkflowSyntax(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "examples", "ci", "github-workflow.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Steps []step `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, j := range wf.Jobs {
		for _, s := range j.Steps {
			n++
			if strings.Contains(s.Run, "${{") {
				t.Errorf("job %s, step %q: its script interpolates an expression; pass it through env", name, s.Name)
			}
		}
	}
	if n == 0 {
		t.Error("no steps")
	}
}

// TestActionGateScript runs the gate step's script as GitHub Actions runs
// a bash step (bash --noprofile --norc -eo pipefail), with a fake recaudit
// that exits with given statuses, and checks the step's exit status, its
// stderr and its output.
func TestActionGateScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("needs bash and a POSIX sh for the fake recaudit")
	}
	data, err := os.ReadFile(actionFile)
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(a.Runs.Steps, func(s step) bool { return s.ID == "gate" })
	if i < 0 {
		t.Fatal("no step with id gate")
	}
	script := a.Runs.Steps[i].Run

	for _, tc := range []struct {
		name          string
		format        string
		results       string
		first, second string // exit statuses of the two runs
		status        int
		stderr        string // in the step's stderr
		noStderr      string // not in the step's stderr
		output        string // $GITHUB_OUTPUT
		calls         int
	}{
		{"pass, no report", "", "out/results.json", "0", "0", 0, "first-run message", "", "", 1},
		{"pass, junit", "junit", "out/results.json", "0", "0", 0, "", "second-run message", "report=recaudit-gate.xml\n", 2},
		// The report is written for a failing gate too, and the step fails.
		{"fail, junit", "junit", "out/results.json", "1", "1", 1, "", "second-run message", "report=recaudit-gate.xml\n", 2},
		{"bad input", "junit", "out/results.json", "2", "0", 2, "first-run message", "", "", 1},
		// The second run's error is shown, not swallowed.
		{"report fails", "xml", "out/results.json", "0", "2", 2, "second-run message", "", "", 2},
		{"dash results", "", "-weird.json", "0", "0", 0, "", "", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			if err := os.Mkdir(bin, 0o755); err != nil {
				t.Fatal(err)
			}
			fake := `#!/bin/sh
printf '%s\n' "$*" >> "$FAKE_LOG"
case " $* " in
*" --format github "*) echo first-run message >&2; exit "$FAKE_FIRST" ;;
*) echo second-run message >&2; exit "$FAKE_SECOND" ;;
esac
`
			if err := os.WriteFile(filepath.Join(bin, "recaudit"), []byte(fake), 0o755); err != nil {
				t.Fatal(err)
			}
			scriptFile := filepath.Join(dir, "step.sh")
			if err := os.WriteFile(scriptFile, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
			log, out, summary := filepath.Join(dir, "log"), filepath.Join(dir, "output"), filepath.Join(dir, "summary")
			cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", scriptFile)
			cmd.Dir = dir
			cmd.Env = []string{
				"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH"),
				"FAKE_LOG=" + log, "FAKE_FIRST=" + tc.first, "FAKE_SECOND=" + tc.second,
				"GITHUB_OUTPUT=" + out, "GITHUB_STEP_SUMMARY=" + summary, "RUNNER_TEMP=" + dir,
				"POLICY=policy.yaml", "RESULTS=" + tc.results, "BASELINE=", "FORMAT=" + tc.format, "REPORT=",
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			status := 0
			if ee, ok := err.(*exec.ExitError); ok {
				status = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if status != tc.status {
				t.Errorf("exit status %d, want %d (stderr %q)", status, tc.status, stderr.String())
			}
			if tc.stderr != "" && !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q, want it to hold %q", stderr.String(), tc.stderr)
			}
			if tc.noStderr != "" && strings.Contains(stderr.String(), tc.noStderr) {
				t.Errorf("stderr %q repeats %q", stderr.String(), tc.noStderr)
			}
			got, _ := os.ReadFile(out)
			if string(got) != tc.output {
				t.Errorf("GITHUB_OUTPUT %q, want %q", got, tc.output)
			}
			calls, _ := os.ReadFile(log)
			lines := strings.Split(strings.TrimSpace(string(calls)), "\n")
			if len(lines) != tc.calls {
				t.Fatalf("recaudit called %d times, want %d: %q", len(lines), tc.calls, calls)
			}
			for _, l := range lines {
				if !strings.HasPrefix(l, "gate --policy=policy.yaml ") || !strings.HasSuffix(l, " -- "+tc.results) {
					t.Errorf("recaudit called as %q: want gate --policy=policy.yaml ... -- %s", l, tc.results)
				}
			}
			if !strings.Contains(lines[0], "--summary="+summary) {
				t.Errorf("first call %q does not append the job summary", lines[0])
			}
		})
	}
}
