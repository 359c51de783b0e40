package datasets

import (
	"os"
	"runtime"
	"strconv"
)

// TrecOrder selects the order of the lists read from a TREC run file.
type TrecOrder int

const (
	// TrecOrderScore orders each list as trec_eval does: by score
	// descending, ties broken by docno descending, comparing the docno
	// texts as byte strings (strcmp; so "9" ranks before "10" on a tie).
	// The rank column is not read: trec_eval ignores it
	// (get_trec_results.c, form_res_rels.c comp_sim_docno).
	TrecOrderScore TrecOrder = iota
	// TrecOrderRank orders each list by the rank column, ascending. Ranks
	// must be integers, distinct within a list; they may start anywhere
	// and have gaps (TREC tools number from 0 or 1), since only their
	// order is used.
	TrecOrderRank
)

// String returns "score" or "rank".
func (o TrecOrder) String() string {
	switch o {
	case TrecOrderScore:
		return "score"
	case TrecOrderRank:
		return "rank"
	}
	return "TrecOrder(" + strconv.Itoa(int(o)) + ")"
}

// TrecOption configures the TREC readers.
type TrecOption func(*trecConfig)

type trecConfig struct {
	users, items *IDs
	order        TrecOrder
	workers      int
}

// WithTrecIDs makes the TREC readers look query IDs up in users and docnos
// in items (a dataset's indices) instead of building a string ID space
// from the files. When an index holds integer IDs, the text of the file is
// parsed as a base-10 int64. An ID absent from the index is an error
// wrapping ErrUnknownID. Either may be nil, which keeps the string ID
// space built from the files for that side.
func WithTrecIDs(users, items *IDs) TrecOption {
	return func(c *trecConfig) { c.users, c.items = users, items }
}

// WithTrecOrder sets the order of run lists (default TrecOrderScore, the
// order of trec_eval). It panics if o is not a TrecOrder constant.
func WithTrecOrder(o TrecOrder) TrecOption {
	if o != TrecOrderScore && o != TrecOrderRank {
		panic(panicTrecOrder)
	}
	return func(c *trecConfig) { c.order = o }
}

// WithTrecWorkers sets the number of goroutines that parse and sort
// (default GOMAXPROCS). The result does not depend on it.
func WithTrecWorkers(n int) TrecOption {
	return func(c *trecConfig) { c.workers = n }
}

const panicTrecOrder = "datasets: bad TrecOrder"

func newTrecConfig(opts []TrecOption) trecConfig {
	var c trecConfig
	for _, o := range opts {
		o(&c)
	}
	if c.workers <= 0 {
		c.workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// TrecRun is a TREC run file read into dense indices.
type TrecRun struct {
	// Users indexes the query IDs (qid) and Items the docnos. Without
	// WithTrecIDs they are string IDs sorted ascending as byte strings,
	// so index order is strcmp order; ReadTrec shares them between files.
	Users, Items *IDs
	// Rankings holds one Rankings per run tag (the sixth column), sorted
	// by tag, each with one row per user of Users (an empty row for a
	// user without a list for that tag), in the order chosen by
	// WithTrecOrder. Scores holds the scores in list order.
	Rankings []Rankings
}

// TrecQrels is a TREC qrels file read into dense indices.
type TrecQrels struct {
	// Users and Items are as for TrecRun.
	Users, Items *IDs
	// Judgments has one row per user of Users and one column per item of
	// Items: row u holds the judged docnos of query u, sorted ascending
	// by index and distinct, with their relevance grades in Values (never
	// nil). A user with an empty row has no judgment.
	Judgments CSR
}

// ReadTrecRun reads a TREC run file: one line per retrieved document,
//
//	qid Q0 docno rank score tag
//
// with fields separated by spaces or tabs (any C isspace byte). The second
// field (iter, usually "Q0") is not read; fields after the tag are
// ignored; blank lines and lines whose first non-blank byte is '#' are
// skipped (trec_eval 10). Each distinct tag is one system: one Rankings,
// named by the tag. trec_eval instead evaluates a whole file as one run
// named by its last tag, so give it one file per tag.
//
// Lists are in trec_eval order (WithTrecOrder: TrecOrderScore) or in rank
// order (TrecOrderRank). Scores are parsed as float64, correctly rounded
// like C's atof; unlike trec_eval, a score that is not a finite number is
// an error, as is a docno repeated in one list (trec_eval stops on it too)
// and a rank that is not an integer or is repeated in a list in rank
// order. Errors are *Error values naming the file and the line, wrapping
// ErrFormat (a malformed line), ErrValue, ErrDuplicate, ErrUnknownID (with
// WithTrecIDs) or ErrEmpty (no data line).
//
// The file is memory-mapped where possible and parsed in parallel:
// WithTrecWorkers chunks split at line boundaries, interned in a
// deterministic merge, so the result does not depend on the number of
// workers. References: trec_eval (https://github.com/usnistgov/trec_eval),
// get_trec_results.c and form_res_rels.c.
func ReadTrecRun(path string, opts ...TrecOption) (*TrecRun, error) {
	_, runs, err := readTrec("", []string{path}, newTrecConfig(opts))
	if err != nil {
		return nil, err
	}
	return runs[0], nil
}

// ReadTrecQrels reads a TREC qrels (relevance judgments) file: one line
// per judged document,
//
//	qid iter docno rel
//
// with fields separated by spaces or tabs; iter is not read. rel is the
// relevance grade, a number (trec_eval reads it with atol, truncating
// "1.5" to 1, so give integers where trec_eval must agree). Negative
// grades mark documents in the pool but not judged (trec_eval); they are
// kept, as non-relevant judgments. Blank lines and '#' comment lines are
// skipped. A line without exactly four fields, a grade that is not a
// finite number and a docno judged twice for one query are errors naming
// the line, as for ReadTrecRun.
func ReadTrecQrels(path string, opts ...TrecOption) (*TrecQrels, error) {
	q, _, err := readTrec(path, nil, newTrecConfig(opts))
	return q, err
}

// ReadTrec reads a qrels file and any number of run files into one shared
// ID space: the TrecQrels and every TrecRun have the same Users and Items
// (the union of the files' query IDs and docnos, unless WithTrecIDs gives
// a dataset's), so the runs' rows line up with the judgments' rows. Either
// may be omitted: with qrels == "" the returned *TrecQrels is nil.
//
// Each file is read as by ReadTrecQrels and ReadTrecRun.
func ReadTrec(qrels string, runs []string, opts ...TrecOption) (*TrecQrels, []*TrecRun, error) {
	return readTrec(qrels, runs, newTrecConfig(opts))
}

// readFileData returns the bytes of path, memory-mapped when possible,
// and a function that releases them.
func readFileData(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: err.Error(), Fix: "check the path and its permissions", Err: err}
	}
	defer f.Close()
	if data, unmap, err := mmapFile(f); err == nil {
		return data, func() { _ = unmap() }, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, &Error{File: path, Msg: err.Error(), Fix: "check the path and its permissions", Err: err}
	}
	return data, func() {}, nil
}
