// Package cli is recaudit's command line: it builds the cobra command tree
// from one package per command, runs it, and maps the outcome to the
// process exit status.
//
// # Exit status
//
// [ExitCode] is the one place that maps errors to exit codes, with
// errors.Is and errors.As:
//
//	0    success; for gate, every rule passed
//	1    the policy was violated (gate failed): ErrPolicyViolated
//	2    invalid usage, configuration or input data: flag and argument
//	     errors, unknown commands, cmdutil.ErrUsage, the datasets sentinels
//	     (ErrSchema, ErrValue, ErrDuplicate, ErrUnknownID, ErrEmpty,
//	     ErrFormat), an invalid demo configuration (demo.ErrConfig), an
//	     unknown algorithm or invalid algorithm parameter
//	     (recommenders.ErrUnknownAlgorithm, recommenders.ErrParam), no
//	     user to score in trec_eval's layout (score.ErrNoQueries), an
//	     invalid audit spec (audit.ErrSpec) and a missing input file
//	     (fs.ErrNotExist)
//	3    internal error: anything else
//	130  interrupted (SIGINT cancels the context every command runs under)
//
// Any other code also means failure. Every command's help repeats the table.
//
// # Output
//
// Stdout carries data only. Commands whose product is a report (version,
// data validate, data inspect, score, probe consent) print it on stdout, as readable text
// or, with --json, as one JSON document whose fields may be added but never
// renamed. Commands whose product is files (data generate, convert, import,
// recommend) print a one-line summary on stderr, and with --json a summary
// document on stdout. Long-running commands show their stages on stderr
// when it is a terminal and --json is not given.
// Errors go to stderr as "recaudit: <message>", or with --json as a JSON
// object {"error": "<message>", "exit_code": <n>}.
//
// # Commands
//
// Each command lives in its own package under internal/cli with an Options
// struct, a NewCmdX(f *Factory, runF func(*Options) error) constructor and a
// run function; RunE only fills in the options. There are no package-level
// cobra variables and no init functions.
//
// # Invariants
//
// Main never panics on bad input, never calls os.Exit (cmd/recaudit does),
// and writes nothing to stdout except data. The streams passed to Main are
// owned by the caller.
package cli
