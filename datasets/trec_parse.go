package datasets

import (
	"bytes"
	"math"
	"strconv"
	"unsafe"
)

// This file holds the byte scanner of the TREC readers: a file is split
// into chunks at line boundaries, each chunk is parsed by one goroutine
// into columns of local codes (one dictionary of ID texts per chunk), and
// trec_intern.go merges the dictionaries.

// trecFileKind is the kind of a TREC file.
type trecFileKind int

const (
	trecRunFile trecFileKind = iota
	trecQrelsFile
)

// isSpace is C's isspace for the bytes that can occur inside a line.
var isSpace = [256]bool{' ': true, '\t': true, '\r': true, '\v': true, '\f': true}

// trecChunk is the parsed content of one chunk of a file.
type trecChunk struct {
	start, end int // byte range, starting at a line start

	qid, doc, tag trecDict
	q, d, t       []int32   // local codes per row (t only for runs)
	score         []float64 // runs: score per row
	rank          []int64   // runs in rank order: rank per row
	rel           []float32 // qrels: grade per row

	err *Error // first problem; Line relative to the chunk
}

// trecMinChunk is the smallest chunk worth a goroutine (a variable so
// that tests can exercise chunking on small inputs).
var trecMinChunk = 1 << 20

// trecChunks splits data into about n chunks at line boundaries.
func trecChunks(data []byte, n int) []*trecChunk {
	n = max(1, min(n, len(data)/trecMinChunk))
	var out []*trecChunk
	start := 0
	for i := 1; i <= n && start < len(data); i++ {
		end := len(data)
		if i < n {
			end = max(start, len(data)*i/n)
			if j := bytes.IndexByte(data[end:], '\n'); j >= 0 {
				end += j + 1
			} else {
				end = len(data)
			}
		}
		if end > start {
			out = append(out, &trecChunk{start: start, end: end})
		}
		start = end
	}
	return out
}

// estimateRows guesses the number of lines of the chunk from its first
// 64 KiB.
func (c *trecChunk) estimateRows(data []byte) int {
	sample := data[c.start:min(c.end, c.start+64<<10)]
	nl := bytes.Count(sample, []byte{'\n'})
	if nl == 0 {
		return 1
	}
	return int(float64(c.end-c.start)/float64(len(sample))*float64(nl)*1.02) + 16
}

// field returns the bounds of the field of line that starts at or after i,
// skipping blanks: line[s:e], with s == e == len(line) when there is none.
func field(line []byte, i int) (s, e int) {
	for i < len(line) && isSpace[line[i]] {
		i++
	}
	s = i
	for i < len(line) && !isSpace[line[i]] {
		i++
	}
	return s, i
}

// nextLine returns the line at p (without its '\n') and the start of the
// following one.
func nextLine(data []byte, p, end int) ([]byte, int) {
	if j := bytes.IndexByte(data[p:end], '\n'); j >= 0 {
		return data[p : p+j], p + j + 1
	}
	return data[p:end], end
}

// skipLine reports whether a line is blank or a comment.
func skipLine(line []byte) bool {
	s, _ := field(line, 0)
	return s == len(line) || line[s] == '#'
}

const (
	runFix   = "a run line has six fields: qid Q0 docno rank score tag"
	qrelsFix = "a qrels line has four fields: qid iter docno rel"
)

func (c *trecChunk) fail(line int64, column, msg, fix string, sentinel error) {
	c.err = &Error{Column: column, Line: line, Msg: msg, Fix: fix, Err: sentinel}
}

// parseRun parses the lines of a run chunk.
func (c *trecChunk) parseRun(data []byte, rankOrder bool) {
	rows := c.estimateRows(data)
	c.qid, c.doc, c.tag = newTrecDict(min(rows/64, 1<<14)), newTrecDict(min(rows/4, 1<<14)), newTrecDict(4)
	c.q = make([]int32, 0, rows)
	c.d = make([]int32, 0, rows)
	c.t = make([]int32, 0, rows)
	c.score = make([]float64, 0, rows)
	if rankOrder {
		c.rank = make([]int64, 0, rows)
	}
	var lineNo int64
	docs := make([][]byte, 0, min(rows, lookupBlock)) // docnos looked up in a block
	defer func() {
		if c.err == nil {
			c.doc.codes(c.d[len(c.d)-len(docs):], docs)
		}
		c.doc.keys, c.doc.pend = nil, nil
	}()
	for p := c.start; p < c.end; {
		var line []byte
		line, p = nextLine(data, p, c.end)
		lineNo++
		qs, qe := field(line, 0)
		if qs == len(line) || line[qs] == '#' {
			continue
		}
		_, ie := field(line, qe)
		ds, de := field(line, ie)
		rs, re := field(line, de)
		ss, se := field(line, re)
		ts, te := field(line, se)
		if ts == te {
			c.fail(lineNo, "", "a run line needs six fields, this one has "+strconv.Itoa(countFields(line)), runFix, ErrFormat)
			return
		}
		score, ok := parseScore(line[ss:se])
		if !ok {
			c.fail(lineNo, "score", "score "+strconv.Quote(string(line[ss:se]))+" is not a finite number", "write scores as decimal numbers, higher = better", ErrValue)
			return
		}
		if rankOrder {
			r, ok := parseInt(line[rs:re])
			if !ok {
				c.fail(lineNo, "rank", "rank "+strconv.Quote(string(line[rs:re]))+" is not an integer", "number each list 1, 2, 3, ..., or order lists by score", ErrValue)
				return
			}
			c.rank = append(c.rank, r)
		}
		c.q = append(c.q, c.qid.code(line[qs:qe]))
		c.d = append(c.d, 0)
		if docs = append(docs, line[ds:de]); len(docs) == lookupBlock {
			c.doc.codes(c.d[len(c.d)-len(docs):], docs)
			docs = docs[:0]
		}
		c.t = append(c.t, c.tag.code(line[ts:te]))
		c.score = append(c.score, score)
	}
}

// parseQrels parses the lines of a qrels chunk.
func (c *trecChunk) parseQrels(data []byte) {
	rows := c.estimateRows(data)
	c.qid, c.doc = newTrecDict(min(rows/16, 1<<14)), newTrecDict(min(rows/4, 1<<14))
	c.q = make([]int32, 0, rows)
	c.d = make([]int32, 0, rows)
	c.rel = make([]float32, 0, rows)
	var lineNo int64
	docs := make([][]byte, 0, min(rows, lookupBlock)) // docnos looked up in a block
	defer func() {
		if c.err == nil {
			c.doc.codes(c.d[len(c.d)-len(docs):], docs)
		}
		c.doc.keys, c.doc.pend = nil, nil
	}()
	for p := c.start; p < c.end; {
		var line []byte
		line, p = nextLine(data, p, c.end)
		lineNo++
		qs, qe := field(line, 0)
		if qs == len(line) || line[qs] == '#' {
			continue
		}
		_, ie := field(line, qe)
		ds, de := field(line, ie)
		rs, re := field(line, de)
		if xs, _ := field(line, re); rs == re || xs != len(line) {
			c.fail(lineNo, "", "a qrels line needs four fields, this one has "+strconv.Itoa(countFields(line)), qrelsFix, ErrFormat)
			return
		}
		rel, ok := parseScore(line[rs:re])
		if !ok || math.Abs(rel) > math.MaxFloat32 {
			c.fail(lineNo, "rel", "relevance "+strconv.Quote(string(line[rs:re]))+" is not a finite number", "write grades as integers: 0 non-relevant, 1 relevant, 2 highly relevant, ...", ErrValue)
			return
		}
		c.q = append(c.q, c.qid.code(line[qs:qe]))
		c.d = append(c.d, 0)
		if docs = append(docs, line[ds:de]); len(docs) == lookupBlock {
			c.doc.codes(c.d[len(c.d)-len(docs):], docs)
			docs = docs[:0]
		}
		c.rel = append(c.rel, float32(rel))
	}
}

func countFields(line []byte) int {
	n := 0
	for i := 0; ; {
		s, e := field(line, i)
		if s == e {
			return n
		}
		n++
		i = e
	}
}

// pow10 holds the powers of ten that are exact in float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseScore parses a decimal number, correctly rounded to float64 (as C's
// strtod and atof), and reports whether b is a finite number. Plain
// decimals of up to 15 significant digits take an exact fast path
// (Clinger 1990: an integer below 2^53 times or divided by an exact power
// of ten rounds once); anything else goes to strconv.ParseFloat.
func parseScore(b []byte) (float64, bool) {
	i := 0
	neg := false
	if i < len(b) && (b[i] == '-' || b[i] == '+') {
		neg = b[i] == '-'
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	sawDigit, sawDot := false, false
	for ; i < len(b); i++ {
		ch := b[i]
		if ch >= '0' && ch <= '9' {
			sawDigit = true
			if mant == 0 && ch == '0' {
				if sawDot {
					frac++
				}
				continue
			}
			if digits >= 15 {
				return parseScoreSlow(b)
			}
			mant = mant*10 + uint64(ch-'0')
			digits++
			if sawDot {
				frac++
			}
			continue
		}
		if ch == '.' && !sawDot {
			sawDot = true
			continue
		}
		return parseScoreSlow(b)
	}
	if !sawDigit {
		return 0, false
	}
	f := float64(mant)
	if frac > 0 {
		if frac > 22 {
			return parseScoreSlow(b)
		}
		f /= pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

func parseScoreSlow(b []byte) (float64, bool) {
	f, err := strconv.ParseFloat(unsafe.String(unsafe.SliceData(b), len(b)), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// parseInt parses a base-10 int64 with an optional sign.
func parseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		v, err := strconv.ParseInt(string(b), 10, 64)
		return v, err == nil
	}
	i := 0
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i++
		if i == len(b) {
			return 0, false
		}
	}
	var v int64
	for ; i < len(b); i++ {
		ch := b[i]
		if ch < '0' || ch > '9' {
			return 0, false
		}
		v = v*10 + int64(ch-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}
