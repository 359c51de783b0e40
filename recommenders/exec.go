package recommenders

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/recaudit/recaudit/datasets"
)

// DefaultStderrLimit is how many trailing bytes of an external command's
// standard error [Exec] keeps for its error messages when StderrLimit is
// zero.
const DefaultStderrLimit = 4 << 10

// ErrExternal is wrapped by every error about an external recommender
// command: it failed to start, exited with a non-zero status, timed out,
// or wrote a missing or invalid output.
var ErrExternal = errors.New("external recommender failed")

// Exec is the adapter for a recommender system that runs as a program,
// written in any language: recaudit writes the training data to a
// temporary directory, runs the command, and reads the lists it writes.
//
// For each Recommend call, Exec writes, as Arrow IPC files:
//
//	{train}  train.arrow  user_id, item_id (the dataset's external IDs),
//	                      value and timestamp when the training data has them
//	{items}  items.arrow  item_id and the item attribute columns
//	{users}  users.arrow  user_id of the users to recommend for, and
//	                      consent_personalization after SetConsent
//
// then runs Command with these placeholders replaced in every argument,
// and {k} (the list length), {out} (the output file, recs.arrow, .csv or
// .parquet after Format) and {dir} (the temporary directory). The same
// values are in the environment as RECAUDIT_TRAIN, RECAUDIT_ITEMS,
// RECAUDIT_USERS, RECAUDIT_K, RECAUDIT_OUT and RECAUDIT_DIR. No user
// attribute is written; consent to personalisation, an instruction rather
// than an attribute, is written only when [Exec.SetConsent] asks for it. The command runs without a shell (write
// "sh -c ..." to use one), in the current working directory, with the
// parent's environment.
//
// The command must exit with status 0 and write a recommendation file at
// {out} (user_id, item_id, rank or score; see
// [datasets.ReadRecommendations]) with at most k items for each asked
// user and no other user; a file without rows means empty lists. When k
// is 0 or no user is asked for, the command is not run. Any failure (the command does not start, exits
// non-zero, outlives Timeout, writes nothing, or writes a file that does
// not validate) is an [*ExecError] that quotes the command and the end of
// its standard error. The temporary directory is removed in every case,
// and nothing of a failed run is kept. When ctx is cancelled the command
// is killed, with its process group where the platform has them, and
// Recommend returns ctx.Err().
//
// As with [File], the lists are the system's: training items are kept
// unless ExcludeTraining is set. Exec needs the dataset's external IDs:
// call [Exec.SetIDs] before Fit.
type Exec struct {
	// Command is the program and its arguments, with placeholders.
	Command []string
	// Timeout bounds each run of the command; 0 means no bound but ctx.
	Timeout time.Duration
	// Format is the format asked for at {out}: FormatArrow (the default,
	// also for FormatUnknown), FormatArrowStream, FormatParquet or
	// FormatCSV.
	Format datasets.Format
	// System selects the system when the output has a system column with
	// several.
	System string
	// ExcludeTraining drops the user's training items from the lists.
	ExcludeTraining bool
	// StderrLimit is how many trailing bytes of standard error are kept
	// for error messages; 0 means DefaultStderrLimit.
	StderrLimit int
	// Dir is where temporary directories are made; "" means os.TempDir().
	Dir string

	users, items *datasets.IDs
	train        *TrainView
	consent      []bool // see SetConsent
}

// ExecError is a failure of an external recommender command.
type ExecError struct {
	Command []string // the command as run, placeholders replaced
	Msg     string   // what went wrong
	Stderr  string   // the end of the command's standard error
	Err     error    // the underlying error, if any
}

func (e *ExecError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "recommenders: exec: command %s: %s", joinWords(e.Command), e.Msg)
	if s := strings.TrimSpace(e.Stderr); s != "" {
		fmt.Fprintf(&b, "; its stderr ends with:\n%s", s)
	} else {
		b.WriteString(" (its stderr is empty)")
	}
	return b.String()
}

// Unwrap returns ErrExternal and the underlying error.
func (e *ExecError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrExternal}
	}
	return []error{ErrExternal, e.Err}
}

// SetIDs gives the dataset's user and item IDs, in which the files are
// written and the output is read.
func (e *Exec) SetIDs(users, items *datasets.IDs) { e.users, e.items = users, items }

// Fit checks the command and the IDs and keeps the training view for
// Recommend (the command learns and recommends in one run). It returns an
// [*ExecError] when the program is not found. It retains train until the
// next Fit; the caller must not modify it. Fit panics if SetIDs was not
// called.
func (e *Exec) Fit(ctx context.Context, train *TrainView) error {
	if e.users == nil || e.items == nil {
		panic(errNoIDs)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if len(e.Command) == 0 || e.Command[0] == "" {
		return &ParamError{Algorithm: "exec", Param: "command", Msg: "empty command"}
	}
	if err := checkIDs(e.users, e.items, train); err != nil {
		return err
	}
	if _, err := exec.LookPath(e.Command[0]); err != nil {
		return &ExecError{Command: e.Command, Msg: "cannot run the program", Err: err}
	}
	e.train = train
	return nil
}

// Recommend writes the files, runs the command and reads its lists (see
// [Exec]). It panics if k < 0, a user is out of range, or Exec is not
// fitted.
func (e *Exec) Recommend(ctx context.Context, users []int32, k int) (lists datasets.Rankings, err error) {
	if e.train == nil {
		panic(errNotFitted)
	}
	m := &e.train.Interactions
	users = checkRecommend(users, m.Rows, k)
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	if k == 0 || len(users) == 0 { // nothing to ask the command
		r := newRankBuilder(m.Rows, 1, false).build()
		r.System = e.System
		return r, nil
	}
	dir, err := os.MkdirTemp(e.Dir, "recaudit-exec-")
	if err != nil {
		return datasets.Rankings{}, err
	}
	defer func() {
		if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
			err = rerr
		}
	}()
	paths, err := e.writeInputs(dir, users)
	if err != nil {
		return datasets.Rankings{}, err
	}
	paths["k"] = strconv.Itoa(k)
	paths["dir"] = dir
	paths["out"] = filepath.Join(dir, "recs"+outExt(e.Format))
	args := expand(e.Command, paths)
	stderr, runErr := e.run(ctx, args, paths)
	if err := ctx.Err(); err != nil {
		return datasets.Rankings{}, err
	}
	fail := func(msg string, err error) (datasets.Rankings, error) {
		return datasets.Rankings{}, &ExecError{Command: args, Msg: msg, Stderr: stderr, Err: err}
	}
	if runErr != nil {
		if errors.Is(runErr, context.DeadlineExceeded) {
			return fail(fmt.Sprintf("timed out after %v (the timeout parameter)", e.Timeout), nil)
		}
		return fail(runErr.Error(), runErr)
	}
	out := paths["out"]
	if _, err := os.Stat(out); err != nil {
		return fail("exited successfully but wrote nothing at {out} ("+out+")", err)
	}
	system := e.System
	if system == "" {
		system = "exec"
	}
	runs, err := datasets.ReadRecommendations(out, e.users, e.items, datasets.WithSystem(system))
	if errors.Is(err, datasets.ErrEmpty) { // no recommendation for anyone
		r := newRankBuilder(m.Rows, 1, false).build()
		r.System = e.System
		return r, nil
	}
	if err != nil {
		return fail("its output is not a valid recommendation file: "+err.Error(), err)
	}
	r, err := selectRun(out, runs, e.System)
	if err != nil {
		return fail("its output is not usable: "+err.Error(), err)
	}
	asked := make([]bool, m.Rows)
	for _, u := range users {
		asked[u] = true
	}
	for u := 0; u < r.Users(); u++ {
		if n := len(r.List(u)); n > 0 && !asked[u] {
			return fail(fmt.Sprintf("it recommended items to user %s, who was not asked for", e.users.String(int32(u))), nil)
		} else if n > k {
			return fail(fmt.Sprintf("it recommended %d items to user %s, more than k = %d", n, e.users.String(int32(u)), k), nil)
		}
	}
	lists = cutLists(r, m, users, k, e.ExcludeTraining)
	lists.System = e.System
	return lists, nil
}

func outExt(f datasets.Format) string {
	switch f {
	case datasets.FormatCSV:
		return ".csv"
	case datasets.FormatParquet:
		return ".parquet"
	case datasets.FormatArrowStream:
		return ".arrows"
	}
	return ".arrow"
}

// one returns a slice holding x (a record batch, whose type this package
// does not name: only datasets deals in Arrow types).
func one[T any](x T) []T { return []T{x} }

// writeInputs writes the training interactions, the item attributes and
// the users to recommend for, and returns their paths by placeholder.
func (e *Exec) writeInputs(dir string, users []int32) (map[string]string, error) {
	d := &datasets.Dataset{Users: e.users, Items: e.items, Interactions: e.train.Interactions, ItemColumns: e.train.ItemColumns}
	paths := map[string]string{
		"train": filepath.Join(dir, "train.arrow"),
		"items": filepath.Join(dir, "items.arrow"),
		"users": filepath.Join(dir, "users.arrow"),
	}
	batches := d.InteractionBatches(nil)
	err := datasets.WriteTable(paths["train"], d.InteractionsSchema(), batches)
	for _, b := range batches {
		b.Release()
	}
	if err != nil {
		return nil, err
	}
	items := d.ItemsBatch(nil)
	err = datasets.WriteTable(paths["items"], items.Schema(), one(items))
	items.Release()
	if err != nil {
		return nil, err
	}
	asked := &datasets.Dataset{Users: subsetIDs(e.users, users), UserColumns: e.consentColumns(users)}
	ub := asked.UsersBatch(nil)
	err = datasets.WriteTable(paths["users"], ub.Schema(), one(ub))
	ub.Release()
	if err != nil {
		return nil, err
	}
	return paths, nil
}

// subsetIDs returns the IDs of the given indices, in that order.
func subsetIDs(ids *datasets.IDs, idx []int32) *datasets.IDs {
	if ids.Kind() == datasets.StringIDs {
		s := make([]string, len(idx))
		for i, j := range idx {
			s[i] = ids.Str(j)
		}
		out, _ := datasets.NewStringIDs(s)
		return out
	}
	n := make([]int64, len(idx))
	for i, j := range idx {
		n[i] = ids.Int(j)
	}
	out, _ := datasets.NewIntIDs(n)
	return out
}

// expand replaces {name} in every argument by vals[name]; other braces
// are left alone.
func expand(command []string, vals map[string]string) []string {
	pairs := make([]string, 0, 2*len(vals))
	for _, name := range []string{"train", "items", "users", "k", "out", "dir"} {
		pairs = append(pairs, "{"+name+"}", vals[name])
	}
	r := strings.NewReplacer(pairs...)
	out := make([]string, len(command))
	for i, a := range command {
		out[i] = r.Replace(a)
	}
	return out
}

// run runs the command and returns the end of its standard error. The
// error is context.DeadlineExceeded when the timeout struck.
func (e *Exec) run(ctx context.Context, args []string, vals map[string]string) (string, error) {
	runCtx := ctx
	if e.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, e.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(runCtx, args[0], args[1:]...)
	cmd.Env = os.Environ()
	for _, name := range []string{"train", "items", "users", "k", "out", "dir"} {
		cmd.Env = append(cmd.Env, "RECAUDIT_"+strings.ToUpper(name)+"="+vals[name])
	}
	limit := e.StderrLimit
	if limit <= 0 {
		limit = DefaultStderrLimit
	}
	stderr := &tailBuffer{limit: limit}
	cmd.Stderr = stderr
	killGroup(cmd)
	// Give the command's children a moment to release the pipes once it
	// is killed, then stop waiting for them.
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if err != nil && runCtx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
		err = context.DeadlineExceeded
	}
	return stderr.String(), err
}

// tailBuffer keeps the last limit bytes written to it.
type tailBuffer struct {
	limit   int
	buf     []byte
	dropped bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > 2*t.limit {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.limit:]...)
		t.dropped = true
	}
	return len(p), nil
}

// String returns the kept bytes, starting at a character boundary, with
// "..." in front when earlier output was dropped.
func (t *tailBuffer) String() string {
	b, dropped := t.buf, t.dropped
	if len(b) > t.limit {
		b, dropped = b[len(b)-t.limit:], true
	}
	for len(b) > 0 && !utf8.RuneStart(b[0]) {
		b = b[1:]
	}
	if dropped {
		return "..." + string(b)
	}
	return string(b)
}

// ExecFactory returns the registry entry of [Exec]. The recommender it
// makes needs SetIDs before Fit.
func ExecFactory() Factory {
	return Factory{
		Doc: "An external program, in any language, run on the training split written as Arrow; it writes its top-k lists to {out} (see examples/exec-recommender).",
		Params: []Param{
			StringsParam("command", nil, "the program and its arguments, with placeholders {train} {items} {users} {k} {out} {dir}; no shell").Required(),
			DurationParam("timeout", 30*time.Minute, "how long one run may take; 0 means no limit").AtLeast(0),
			StringParam("format", "arrow", "the output format asked for at {out}").OneOf("arrow", "arrows", "parquet", "csv"),
			StringParam("system", "", "the system to read when the output has a system column with several"),
			BoolParam("exclude-train", false, "drop the user's training items from the lists (default: the lists as written)"),
		},
		New: func(v Values) (Recommender, error) {
			formats := map[string]datasets.Format{"arrow": datasets.FormatArrow, "arrows": datasets.FormatArrowStream,
				"parquet": datasets.FormatParquet, "csv": datasets.FormatCSV}
			cmd := v.Strs("command")
			if len(cmd) == 0 || cmd[0] == "" {
				return nil, &ParamError{Algorithm: v.Algorithm(), Param: "command", Msg: "empty command"}
			}
			return &Exec{Command: cmd, Timeout: v.Duration("timeout"), Format: formats[v.Str("format")],
				System: v.Str("system"), ExcludeTraining: v.Bool("exclude-train")}, nil
		},
	}
}
