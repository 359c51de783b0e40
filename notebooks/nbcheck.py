#!/usr/bin/python3
"""Checks executed Jupyter notebooks for notebooks/run (Python standard library only).

  nbcheck.py scan EXECUTED.ipynb          exit 1 if any cell failed
  nbcheck.py compare SAVED.ipynb EXECUTED.ipynb
                                          exit 1 if the saved text outputs
                                          differ from the executed ones
  nbcheck.py same SAVED.ipynb EXECUTED.ipynb
                                          exit 1 if any output differs,
                                          images included (for --update)

Why scan: nbconvert --execute --allow-errors exits 0 whatever the cells did,
and without --allow-errors it stops at the first compile error only. GoNB
(v0.11.1) reports the failures of a cell as follows:

  - a compile error, or a failed automatic "go get": an output of type
    "error" (ename "ERROR", the compiler's messages in evalue);
  - a program or shell command (!cmd, !*cmd) that exits non-zero: the line
    "exit status N" on the cell's stderr stream; a panic adds "panic: ..."
    and its goroutine dump before it, log.Fatal its message;
  - a program killed by a signal: "signal: NAME" on stderr;
  - a Go runtime fatal error (concurrent map writes, out of memory):
    "fatal error: ..." on stderr.

Every code cell must also have run (an execution count): a kernel that died
or a cell that was skipped leaves none.

Compare looks at text only: the text of each stream (stdout, stderr), and
text/plain, text/markdown and text/html (unless it holds an image) of display
and result outputs, in order. Streams are compared whole and apart from the
display outputs: GoNB forwards a program's standard output and its display
data through different channels, so their interleaving, like the chunking of
a stream, varies from run to run. Images (image/*, inline <svg> or <img> in HTML) count only as
"<image>": their bytes may differ between machines. Before comparing, ANSI
colour codes are removed and what legitimately varies between runs is
replaced: GoNB's temporary directory and module name, other /tmp paths,
Go durations ("1.234s", "12ms").
"""

import difflib
import hashlib
import json
import re
import sys

FAILURE_LINE = re.compile(r"^(exit status -?\d+|signal: \S.*|panic: .*|fatal error: .*)$", re.M)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
NORMALISE = [
    (re.compile(r"/tmp/gonb_[0-9a-f]+"), "<gonb-tmp>"),
    (re.compile(r"\bgonb_[0-9a-f]{8}\b"), "gonb_<id>"),
    (re.compile(r"/tmp/[^\s\"'`)\]]+"), "<tmp>"),
    (re.compile(r"\b(\d+h)?(\d+m)?\d+(\.\d+)?(ns|µs|us|ms|s)\b"), "<duration>"),
]
TEXT_MIMES = ("text/plain", "text/markdown", "text/html")


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def text(v):
    return "".join(v) if isinstance(v, list) else (v or "")


def code_cells(nb):
    """Yields (number, cell): number counts code cells from 1, as Jupyter's In [n] would."""
    n = 0
    for c in nb.get("cells", []):
        if c.get("cell_type") == "code":
            n += 1
            yield n, c


def where(name, n, cell):
    cid = cell.get("id")
    first = text(cell.get("source")).strip().splitlines()
    head = first[0][:60] if first else ""
    return "%s: code cell %d%s (%s)" % (name, n, " [id %s]" % cid if cid else "", head)


def scan(path):
    nb = load(path)
    name = path.rsplit("/", 1)[-1]
    failures = []
    for n, c in code_cells(nb):
        if not text(c.get("source")).strip():
            continue
        if c.get("execution_count") is None:
            failures.append((where(name, n, c), "did not run"))
        for o in c.get("outputs", []):
            t = o.get("output_type")
            if t == "error":
                msg = (o.get("ename", "") + ": " + o.get("evalue", "")).strip()
                failures.append((where(name, n, c), msg))
            elif t == "stream" and o.get("name") == "stderr":
                s = ANSI.sub("", text(o.get("text")))
                for m in FAILURE_LINE.finditer(s):
                    failures.append((where(name, n, c), m.group(0)))
    for w, msg in failures:
        print("FAIL %s: %s" % (w, msg.replace("\n", "\n    ")))
    return 1 if failures else 0


def normalise(s):
    s = ANSI.sub("", s)
    for pat, repl in NORMALISE:
        s = pat.sub(repl, s)
    return s


def image(data, exact):
    """What an image output compares as: "<image>", or with exact its digest."""
    if not exact:
        return "<image>"
    return "<image %s>" % hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def outputs(nb, exact=False):
    """The comparable text of every code cell, one list of lines per cell;
    with exact, images compare by content."""
    cells = []
    for n, c in code_cells(nb):
        streams = {}  # name -> text
        parts = []  # (kind, text) of the other outputs, in order
        for o in c.get("outputs", []):
            t = o.get("output_type")
            if t == "stream":
                name = o.get("name", "")
                streams[name] = streams.get(name, "") + text(o.get("text"))
            elif t in ("display_data", "execute_result"):
                data = o.get("data", {})
                shown = False
                for mime in TEXT_MIMES:
                    if mime in data:
                        s = text(data[mime])
                        if mime == "text/html" and re.search(r"<(svg|img)\b", s):
                            parts.append((t + " " + mime, image(s, exact)))
                        else:
                            parts.append((t + " " + mime, s))
                        shown = True
                        break
                if not shown and any(k.startswith("image/") for k in data):
                    parts.append((t + " image", image(data, exact)))
            elif t == "error":
                parts.append(("error", o.get("ename", "") + ": " + o.get("evalue", "")))
        parts = [("stream " + k, streams[k]) for k in sorted(streams)] + parts
        lines = []
        for kind, s in parts:
            lines.append("--- %s" % kind)
            lines.extend(normalise(s).splitlines())
        cells.append((n, lines))
    return cells


def compare(saved_path, executed_path):
    saved, executed = load(saved_path), load(executed_path)
    name = saved_path.rsplit("/", 1)[-1]
    a, b = outputs(saved), outputs(executed)
    if len(a) != len(b):
        print("STALE %s: %d code cells saved, %d executed" % (name, len(a), len(b)))
        return 1
    stale = False
    for (n, la), (_, lb) in zip(a, b):
        if la == lb:
            continue
        stale = True
        print("STALE %s: code cell %d: saved outputs differ from a fresh run (-saved +fresh):" % (name, n))
        for line in list(difflib.unified_diff(la, lb, lineterm="", n=2))[2:]:
            print("    " + line)
    return 1 if stale else 0


def same(saved_path, executed_path):
    """Reports (exit 0) whether the executed outputs equal the saved ones,
    images included, up to the interleaving of streams and displays: then
    notebooks/run --update leaves the saved notebook as it is."""
    return 0 if outputs(load(saved_path), True) == outputs(load(executed_path), True) else 1


def main(argv):
    if len(argv) == 3 and argv[1] == "scan":
        return scan(argv[2])
    if len(argv) == 4 and argv[1] == "compare":
        return compare(argv[2], argv[3])
    if len(argv) == 4 and argv[1] == "same":
        return same(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
