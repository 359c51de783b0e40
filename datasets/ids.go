package datasets

import (
	"slices"
	"strconv"
)

// IDKind is the type of a table's external IDs.
type IDKind int

const (
	IntIDs    IDKind = iota // 64-bit integers
	StringIDs               // strings (plain or dictionary-encoded in the file)
)

func (k IDKind) String() string {
	if k == StringIDs {
		return "string"
	}
	return "int64"
}

// IDs maps external IDs to dense int32 indices 0..Len()-1 and back.
//
// An IDs is immutable after construction and safe for concurrent use.
type IDs struct {
	kind IDKind
	strs []string
	ints []int64

	smap map[string]int32
	// Integer lookup: a dense table when the IDs fill a small range,
	// otherwise a map.
	base  int64
	table []int32 // index+1; 0 = absent
	imap  map[int64]int32
}

// NewIntIDs indexes ids in the given order: ids[i] gets index i. It returns
// the position of the first repeated ID, or -1 when all are distinct. The
// slice is retained; the caller must not modify it afterwards.
func NewIntIDs(ids []int64) (*IDs, int) {
	x := &IDs{kind: IntIDs, ints: ids}
	if len(ids) == 0 {
		return x, -1
	}
	lo, hi := ids[0], ids[0]
	for _, v := range ids {
		lo = min(lo, v)
		hi = max(hi, v)
	}
	// A dense table costs 4 bytes per value of the range; use it while the
	// range is at most 4 times the count (plus slack for tiny tables).
	if span := uint64(hi - lo); span < uint64(4*len(ids)+1024) && span < 1<<31 {
		x.base = lo
		x.table = make([]int32, span+1)
		for i, v := range ids {
			slot := &x.table[v-lo]
			if *slot != 0 {
				return x, i
			}
			*slot = int32(i) + 1
		}
		return x, -1
	}
	x.imap = make(map[int64]int32, len(ids))
	for i, v := range ids {
		if _, dup := x.imap[v]; dup {
			return x, i
		}
		x.imap[v] = int32(i)
	}
	return x, -1
}

// NewStringIDs indexes ids in the given order: ids[i] gets index i. It
// returns the position of the first repeated ID, or -1 when all are
// distinct. The slice is retained; the caller must not modify it afterwards.
func NewStringIDs(ids []string) (*IDs, int) {
	x := &IDs{kind: StringIDs, strs: ids, smap: make(map[string]int32, len(ids))}
	for i, s := range ids {
		if _, dup := x.smap[s]; dup {
			return x, i
		}
		x.smap[s] = int32(i)
	}
	return x, -1
}

// Kind reports whether the IDs are integers or strings.
func (x *IDs) Kind() IDKind { return x.kind }

// Len returns the number of IDs.
func (x *IDs) Len() int {
	if x.kind == StringIDs {
		return len(x.strs)
	}
	return len(x.ints)
}

// Int returns the integer ID of index i. It panics if the IDs are strings.
func (x *IDs) Int(i int32) int64 {
	if x.kind != IntIDs {
		panic("datasets: Int on string IDs")
	}
	return x.ints[i]
}

// Str returns the string ID of index i. It panics if the IDs are integers.
func (x *IDs) Str(i int32) string {
	if x.kind != StringIDs {
		panic("datasets: Str on integer IDs")
	}
	return x.strs[i]
}

// String returns the ID of index i as text, whatever its kind.
func (x *IDs) String(i int32) string {
	if x.kind == StringIDs {
		return x.strs[i]
	}
	return strconv.FormatInt(x.ints[i], 10)
}

// Ints returns the integer IDs in index order (nil for string IDs). The
// caller must not modify the result.
func (x *IDs) Ints() []int64 { return x.ints }

// Strs returns the string IDs in index order (nil for integer IDs). The
// caller must not modify the result.
func (x *IDs) Strs() []string { return x.strs }

// LookupInt returns the index of integer ID v.
func (x *IDs) LookupInt(v int64) (int32, bool) {
	if x.table != nil {
		d := uint64(v - x.base)
		if d >= uint64(len(x.table)) || v < x.base {
			return -1, false
		}
		j := x.table[d]
		return j - 1, j != 0
	}
	j, ok := x.imap[v]
	if !ok {
		return -1, false
	}
	return j, true
}

// LookupStr returns the index of string ID s.
func (x *IDs) LookupStr(s string) (int32, bool) {
	j, ok := x.smap[s]
	if !ok {
		return -1, false
	}
	return j, true
}

// Equal reports whether x and y hold the same IDs in the same order.
func (x *IDs) Equal(y *IDs) bool {
	return x.kind == y.kind && slices.Equal(x.ints, y.ints) && slices.Equal(x.strs, y.strs)
}
