#!/bin/sh
# bench_mf.sh runs the EASE, ALS and BPR benchmarks at the target size
# (6,000 users x 3,700 items, 1,000,000 interactions) once each, in
# separate processes so that /usr/bin/time -v reports each one's peak
# memory, then EASE against NumPy (Debian python3-numpy, OpenBLAS with
# OPENBLAS_NUM_THREADS = GOMAXPROCS) in one process. Usage, from anywhere:
#
#	sh recommenders/testdata/bench_mf.sh [GOMAXPROCS]
#
# The machine should be otherwise idle; `uptime` is printed before and
# after each run so that load can be reported with the numbers.
set -eu
cd "$(dirname "$0")/.."
procs=${1:-2}
bin=$(mktemp -d)/recommenders.test
go test -c -o "$bin" .
for b in '^BenchmarkEASE$/large' '^BenchmarkALS$/large' '^BenchmarkBPR$/large' '^BenchmarkEASEVsNumPy$'; do
	uptime
	/usr/bin/time -v "$bin" -test.run '^$' -test.bench "$b" -test.benchtime 1x -test.cpu "$procs" 2>&1 |
		grep -E '^Benchmark|Maximum resident|Elapsed'
done
uptime
rm -r "$(dirname "$bin")"
