package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"testing"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/score"
)

func TestExitCode(t *testing.T) {
	_, statErr := os.Stat("testdata/does-not-exist.arrow")
	for _, tc := range []struct {
		name string
		err  error
		want int // DESIGN.md "Command line" exit status table
	}{
		{"nil", nil, 0},
		{"policy", fmt.Errorf("gate: 2 rules failed: %w", ErrPolicyViolated), 1},
		{"usage", cmdutil.UsageErrorf("--users must be positive"), 2},
		{"flag", &cmdutil.FlagError{Err: errors.New("unknown flag: --x")}, 2},
		{"schema", &datasets.Error{File: "i.csv", Msg: "no user_id", Err: datasets.ErrSchema}, 2},
		{"value", fmt.Errorf("load: %w", datasets.ErrValue), 2},
		{"duplicate", fmt.Errorf("load: %w", datasets.ErrDuplicate), 2},
		{"unknown id", fmt.Errorf("load: %w", datasets.ErrUnknownID), 2},
		{"empty", fmt.Errorf("load: %w", datasets.ErrEmpty), 2},
		{"format", &datasets.Error{File: "x.bin", Msg: "bad", Err: fmt.Errorf("%w: %w", datasets.ErrFormat, errors.New("eof"))}, 2},
		{"missing file", statErr, 2},
		{"wrapped missing file", fmt.Errorf("open input: %w", fs.ErrNotExist), 2},
		{"demo config", fmt.Errorf("%w: Config.Items = 10 is too small", demo.ErrConfig), 2},
		{"algorithm parameter", &recommenders.ParamError{Algorithm: "itemknn", Param: "neighbors", Msg: "0 is outside [1, +inf)"}, 2},
		{"unknown algorithm", fmt.Errorf("recommenders: %w %q", recommenders.ErrUnknownAlgorithm, "svd"), 2},
		{"external recommender", &recommenders.ExecError{Msg: "exit status 1"}, 2},
		{"groups", fmt.Errorf("%w: no users column \"gender\"", audit.ErrGroups), 2},
		{"no query to score", fmt.Errorf("run.txt: system s: %w", score.ErrNoQueries), 2},
		{"permission", fs.ErrPermission, 3},
		{"internal", errors.New("disk on fire"), 3},
		{"canceled", fmt.Errorf("generate: %w", context.Canceled), 130},
		{"interrupted", &interruptedError{errors.New("write failed")}, 130},
		{"interrupted beats usage", &interruptedError{datasets.ErrValue}, 130},
	} {
		if got := ExitCode(tc.err); got != tc.want {
			t.Errorf("%s: ExitCode(%v) = %d, want %d", tc.name, tc.err, got, tc.want)
		}
	}
}
