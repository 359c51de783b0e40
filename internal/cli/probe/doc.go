// Package probe implements "recaudit probe", the behavioural probes of a
// recommender system, and its subcommand "recaudit probe consent": does a
// system personalise the lists of users who did not consent to
// personalisation? (see package github.com/recaudit/recaudit/probe).
//
// # Consent
//
// A built-in algorithm (--algo) is run as recaudit runs it, with the
// non-personalised fallback for non-consenting users, unless --direct asks
// it for every user; an external program (--exec) is always asked for
// every user and told their consent in a column of its users file; a
// recommendation file (--recs) is probed by its lists alone. The dataset
// is --data (or the table flags), and the built-in demo shop without
// them. The result is a table on stdout, or one JSON document with --json;
// the exit status is 1 when the system is flagged.
//
// # Invariants
//
// The command writes nothing but stdout and stderr; the dataset is not
// modified. The same flags and --seed give the same result.
package probe
