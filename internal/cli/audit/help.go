package audit

// longHelp is the command's documentation.
const longHelp = `Run a whole fairness audit: load (or generate) the data, split it, fit and
run each recommender or read its recommendation file, score every system's
lists, compare user groups and item groups with intervals and tests, and
write the results into a report directory.

With no flags, recaudit audit runs the demo audit: the built-in demo shop
(10,000 customers, 2,000 products, about 300,000 clicks, with planted group
differences), a random 80/20 split per user, six recommenders in their
standard configurations (random, popular, itemknn, userknn, ease, als),
every accuracy metric at cutoffs 10 and 20, user groups by gender and age
band, item groups by provider, provider type and category, the targeting of
high-cost credit offers, the consent and attribute-inference probes, 1,000
bootstrap resamples and seed 1.

THE SPEC
An audit is described by a YAML spec (--spec FILE) that starts with
"version: 1" and may set:

  dataset     dir: DIR, or interactions/users/items: FILE; roles: {column:
              role}; duplicates: error|sum|max; or demo: {users, items,
              interactions, seed, effects} for the generator
  split       kind (random, leave-n-out, last-n, temporal-cutoff,
              temporal-fraction), fraction, n, cutoff, min_interactions, seed
  systems     a list; each is {algo: NAME, params: {...}, name: ...}, or
              {file: RECS, system: NAME} for lists produced elsewhere (a file
              with a system column gives one system per value), or
              {exec: "COMMAND {train} {out} ...", params: {timeout: 10m}}
              for an external program (see examples/exec-recommender)
  cutoffs     the list lengths every metric is computed at; k, the length
              of the lists asked for (default: the largest cutoff)
  metrics     measures (all, or precision, recall, hit_rate, rr, ap, dcg,
              ndcg, rbp), group_measures, profile (default, trec_eval, ranx,
              recbole, lenskit, elliot, rectools), conventions
              (relevance_threshold, precision, recall, ap, gain, discount,
              ideal, no_relevant, no_list, patience), calibration_alpha,
              head_share
  groups      sensitive columns, bins of numeric ones, intersections,
              item_groups, flags, category, min_group_size
  exposure    model (log, clipped-log, geometric, cascade, attention) and
              its patience, stop, top_share; max_groups
  statistics  resamples, alpha, permutations, aggregators, unstratified
  probes      consent: {enabled, cutoffs, perturbations (drop, shuffle,
              random), tolerance, permutations, rerun_builtins} and
              inference: {enabled, attributes, k, folds, shuffles,
              min_lift}; "consent: false" or "inference: false" turns one
              off
  seed        the seed of every random stream

examples/audit.yaml shows every field with its default. Fields left out keep
the demo audit's values; relative paths in the spec are relative to its
directory, those of flags to the current directory. Flags override the
spec: --data (or --interactions, --users, --items), --role, --algo and
--recs (which together replace the systems, algorithms first),
--k, --seed, --resamples, --permutations, --min-group-size, --sensitive and
the split flags. Parameters are those of recaudit recommend --list; --algo
takes [NAME=]ALGO[:PARAM=VALUE,...].

A spec is checked before anything runs: an unknown key (with the closest
valid one), an unknown metric, algorithm or column, a parameter out of range
or a missing file is an error that names the spec file, line, column and
field (or the flag), and exits with status 2.

WHAT RUNS
Recommenders learn from the training split only, and never see user
attributes; users who did not consent to personalisation get the
non-personalised fallback. Each system is asked for the top-k lists of the
users with a held-out interaction. Each system's lists are then probed:
do the users who did not consent get lists that depend on their own history
(exec systems are also run again, asked for every user and told their
consent, with those users' histories perturbed), and how well can a user's
sensitive attributes be predicted from their list alone. Systems run two at
a time on machines with two or more cores; the results do not depend on it.

OUTPUTS
The report directory (--out, default audit-report) is written atomically:
a temporary sibling directory renamed into place, so that no half-written
report is ever left; an existing, non-empty directory is replaced only with
--force. It holds:

  results.json       the result document (schema: audit/schema.json):
                     provenance with SHA-256 of the input files, tool
                     version, the effective spec (every default filled in),
                     the split, per system its parameters and every metric
                     with its interval, per group its value, interval and
                     size, every disparity with its test, p and
                     Benjamini-Hochberg q value, suppressed groups, plain-
                     language findings, and the data-minimisation record
                     (which columns of which table each stage was given)
  per-user.arrow     one row per (system, user): system, user_id, fallback
  (or .parquet)      (the user got the consent fallback; null for file
                     systems), then every per-user metric column
                     ("ndcg@10", "calibration_kl@20",
                     "high_cost_credit_share@10", ...; null where
                     undefined). With --pseudonymize-key, or the
                     environment variable RECAUDIT_PSEUDONYMIZE_KEY,
                     user_id is the hex HMAC-SHA-256 of the ID under the
                     key (the same key gives the same pseudonyms), and
                     the rows are in pseudonym order, not the users'
  report.html        the audit report: one self-contained page (charts
                     inline, no scripts, nothing fetched); report.md holds
                     the same text and tables (see recaudit report)
  plots/             every chart of the report as SVG and PNG
  timings.json       seconds per stage (dataset, split, groups, systems,
                     finalize, write, and report when a report is
                     rendered) and per system (making the lists,
                     scoring them, probing them): the one output that
                     differs between runs of the same audit

The same spec, data and seed give byte-identical outputs (all but
timings.json), whatever the number of cores. Stderr shows a progress line per stage
when it is a terminal, and a one-line summary; --quiet prints only errors.`
