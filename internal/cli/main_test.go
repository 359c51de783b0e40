package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/spf13/cobra"
)

func testFactory() (*Factory, *bytes.Buffer, *bytes.Buffer) {
	var out, errOut bytes.Buffer
	return cmdutil.NewFactory(strings.NewReader(""), &out, &errOut), &out, &errOut
}

func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		code       int
		stdout     string // substring; "" means stdout must be empty
		stderr     string // substring; "" means stderr must be empty
		jsonStderr bool
	}{
		{"no args shows help", nil, 0, "EXIT STATUS", "", false},
		{"help", []string{"--help"}, 0, "USAGE", "", false},
		{"unknown command", []string{"frobnicate"}, 2, "", `recaudit: unknown command "frobnicate" for "recaudit"`, false},
		{"unknown subcommand", []string{"data", "frobnicate"}, 2, "", `unknown command "frobnicate" for "recaudit data"`, false},
		{"unknown flag", []string{"version", "--frobnicate"}, 2, "", "recaudit: unknown flag: --frobnicate\nRun 'recaudit version --help' for usage.", false},
		{"extra argument", []string{"version", "extra"}, 2, "", `unknown command "extra" for "recaudit version"`, false},
		{"unknown flag json", []string{"version", "--json", "--frobnicate"}, 2, "", `"exit_code": 2`, true},
		{"version", []string{"version"}, 0, "recaudit dev", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, out, errOut := testFactory()
			code := Run(context.Background(), f, tc.args)
			if code != tc.code {
				t.Errorf("exit status %d, want %d; stderr:\n%s", code, tc.code, errOut)
			}
			check := func(stream, got, want string) {
				if want == "" && got != "" {
					t.Errorf("%s = %q, want empty", stream, got)
				}
				if !strings.Contains(got, want) {
					t.Errorf("%s = %q, want it to contain %q", stream, got, want)
				}
			}
			check("stdout", out.String(), tc.stdout)
			check("stderr", errOut.String(), tc.stderr)
			if tc.jsonStderr {
				var v struct {
					Error    string `json:"error"`
					ExitCode int    `json:"exit_code"`
				}
				if err := json.Unmarshal(errOut.Bytes(), &v); err != nil || v.Error == "" || v.ExitCode != tc.code {
					t.Errorf("stderr is not the JSON error object (%v): %s", err, errOut)
				}
			}
		})
	}
}

func TestRunInterrupted(t *testing.T) {
	f, _, errOut := testFactory()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root := NewCmdRoot(f)
	// A command that honours cancellation, as every long-running one does.
	root.AddCommand(&cobra.Command{Use: "sleep", RunE: func(cmd *cobra.Command, _ []string) error {
		<-cmd.Context().Done()
		return cmd.Context().Err()
	}})
	code := run(ctx, f, root, []string{"sleep"})
	if code != ExitInterrupted {
		t.Errorf("exit status %d, want %d", code, ExitInterrupted)
	}
	if got, want := errOut.String(), "recaudit: interrupted\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// TestHelpExitStatus checks that every command's help has the EXIT STATUS
// section with the whole table.
func TestHelpExitStatus(t *testing.T) {
	f, _, _ := testFactory()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		var buf bytes.Buffer
		c.SetOut(&buf)
		if err := c.Help(); err != nil {
			t.Fatalf("%s: %v", c.CommandPath(), err)
		}
		if !strings.Contains(buf.String(), exitStatusHelp) {
			t.Errorf("help of %q lacks the EXIT STATUS table:\n%s", c.CommandPath(), buf.String())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	root := NewCmdRoot(f)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	walk(root)
}

func TestNoPackageLevelState(t *testing.T) {
	// Two trees built from two factories share no commands or flags.
	f1, _, _ := testFactory()
	f2, _, _ := testFactory()
	a, b := NewCmdRoot(f1), NewCmdRoot(f2)
	for i, ca := range a.Commands() {
		if ca == b.Commands()[i] {
			t.Errorf("command %q is shared between trees", ca.Name())
		}
	}
}
