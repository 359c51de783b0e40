package cli

import (
	"context"
	"errors"
	"io/fs"

	"github.com/recaudit/recaudit/audit"
	"github.com/recaudit/recaudit/datasets"
	"github.com/recaudit/recaudit/datasets/demo"
	"github.com/recaudit/recaudit/gate"
	"github.com/recaudit/recaudit/internal/cli/cmdutil"
	"github.com/recaudit/recaudit/recommenders"
	"github.com/recaudit/recaudit/score"
)

// Exit statuses; see the package documentation.
const (
	ExitOK          = 0
	ExitPolicy      = 1
	ExitUsage       = 2
	ExitInternal    = 3
	ExitInterrupted = 130
)

// ErrPolicyViolated marks a failed fairness policy: recaudit gate returns an
// error wrapping it, and the exit status is 1.
var ErrPolicyViolated = cmdutil.ErrPolicyViolated

// ErrInterrupted marks a run stopped by SIGINT; the exit status is 130.
var ErrInterrupted = errors.New("interrupted")

// inputErrors are the sentinels of invalid usage, configuration or input
// data: exit status 2.
var inputErrors = []error{
	cmdutil.ErrUsage,
	datasets.ErrSchema, datasets.ErrValue, datasets.ErrDuplicate,
	datasets.ErrUnknownID, datasets.ErrEmpty, datasets.ErrFormat,
	fs.ErrNotExist,
	demo.ErrConfig,
	recommenders.ErrParam, recommenders.ErrUnknownAlgorithm,
	// An external recommender that fails or breaks the exec protocol is
	// the user's system, not a fault of recaudit.
	recommenders.ErrExternal,
	audit.ErrGroups, audit.ErrInput,
	score.ErrNoQueries,
	gate.ErrPolicy, gate.ErrResult,
	audit.ErrSpec,
}

// ExitCode maps the error that ended a run to the process exit status:
// 0 for nil, 130 for an interruption (ErrInterrupted or context.Canceled),
// 1 for ErrPolicyViolated, 2 for invalid usage, configuration or input data,
// and 3 for anything else.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	if errors.Is(err, ErrInterrupted) || errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	if errors.Is(err, ErrPolicyViolated) {
		return ExitPolicy
	}
	for _, s := range inputErrors {
		if errors.Is(err, s) {
			return ExitUsage
		}
	}
	return ExitInternal
}
