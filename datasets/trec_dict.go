package datasets

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"slices"
)

// trecDict interns the ID texts of one chunk of a TREC file, giving codes
// 0, 1, 2, ... in order of first appearance. Texts are kept back to back
// in one arena and found through an open-addressing table of 16-byte
// slots. A text of up to 11 bytes (numeric docnos and qids, MS MARCO IDs)
// is stored in its slot, so that a lookup costs one memory access; a
// longer one is stored as its 64-bit hash and checked against the arena.
// Only the growth of the arena and the table allocates.
//
// Slot layout, little-endian: bytes 0-10 the text (zero-padded) or, for a
// long text, bytes 0-7 its hash; byte 11 the length, 0xFF for a long text,
// 0 for an empty slot; bytes 12-15 the code.
type trecDict struct {
	slots    []dictSlot
	arena    []byte // the texts, back to back
	offs     []int  // text c is arena[offs[c]:offs[c+1]]
	last     []byte // the previous text looked up (aliases the file)
	lastCode int32
	sink     uint64 // keeps the touches of codes from being optimised away
}

type dictSlot struct{ lo, hi uint64 }

const (
	shortText = 11
	longMark  = 0xFF
)

var trecSeed = maphash.MakeSeed()

func newTrecDict(hint int) trecDict {
	n := 16
	for n < 2*hint {
		n *= 2
	}
	return trecDict{slots: make([]dictSlot, n), offs: make([]int, 1, hint+1), arena: make([]byte, 0, 8*hint), lastCode: -1}
}

// len returns the number of texts.
func (d *trecDict) len() int { return len(d.offs) - 1 }

// text returns text c; it aliases the arena.
func (d *trecDict) text(c int32) []byte { return d.arena[d.offs[c]:d.offs[c+1]] }

// key returns the slot key of b (the slot without its code) and its hash.
func slotKey(b []byte) (lo, hi, h uint64) {
	if len(b) <= shortText {
		var k [16]byte
		copy(k[:], b)
		k[shortText] = byte(len(b))
		lo = binary.LittleEndian.Uint64(k[:8])
		hi = uint64(binary.LittleEndian.Uint32(k[8:12]))
		h = (lo ^ hi*0x9E3779B97F4A7C15) * 0xBF58476D1CE4E5B9
		return lo, hi, h ^ h>>31
	}
	h = maphash.Bytes(trecSeed, b)
	return h, longMark << 24, h
}

// code returns the code of text b, adding it when new.
func (d *trecDict) code(b []byte) int32 {
	if d.lastCode >= 0 && bytes.Equal(b, d.last) {
		return d.lastCode
	}
	lo, hi, h := slotKey(b)
	return d.codeKey(b, lo, hi, h)
}

// lookupBlock is the number of texts looked up together by codes.
const lookupBlock = 256

// codes writes the codes of texts to dst, adding new texts in order. It
// gives the codes of calling code on each text in turn, faster: it first
// computes every key and touches every first slot, so that the memory
// accesses of the block overlap instead of waiting for each other (a
// lookup in a table larger than the caches is one memory latency).
func (d *trecDict) codes(dst []int32, texts [][]byte) {
	var keys [lookupBlock][3]uint64
	for len(texts) > 0 {
		n := min(len(texts), lookupBlock)
		mask := uint64(len(d.slots) - 1)
		var sink uint64
		for k, b := range texts[:n] {
			lo, hi, h := slotKey(b)
			keys[k] = [3]uint64{lo, hi, h}
			sink += d.slots[h&mask].hi
		}
		d.sink += sink
		for k, b := range texts[:n] {
			dst[k] = d.codeKey(b, keys[k][0], keys[k][1], keys[k][2])
		}
		texts, dst = texts[n:], dst[n:]
	}
	d.last, d.lastCode = nil, -1
}

// codeKey returns the code of text b with slot key (lo, hi) and hash h,
// adding it when new.
func (d *trecDict) codeKey(b []byte, lo, hi, h uint64) int32 {
	mask := uint64(len(d.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &d.slots[i]
		if s.hi&0xFF000000 == 0 { // empty
			c := int32(d.len())
			d.arena = append(d.arena, b...)
			d.offs = append(d.offs, len(d.arena))
			s.lo, s.hi = lo, hi|uint64(c)<<32
			if 2*d.len() > len(d.slots) {
				d.grow()
			}
			d.last, d.lastCode = b, c
			return c
		}
		if s.lo == lo && uint32(s.hi) == uint32(hi) {
			c := int32(s.hi >> 32)
			if len(b) <= shortText || bytes.Equal(d.text(c), b) {
				d.last, d.lastCode = b, c
				return c
			}
		}
	}
}

// grow doubles the table.
func (d *trecDict) grow() {
	old := d.slots
	d.slots = make([]dictSlot, 2*len(old))
	mask := uint64(len(d.slots) - 1)
	for _, s := range old {
		if s.hi&0xFF000000 == 0 {
			continue
		}
		_, _, h := slotKey(d.text(int32(s.hi >> 32)))
		i := h & mask
		for d.slots[i].hi&0xFF000000 != 0 {
			i = (i + 1) & mask
		}
		d.slots[i] = s
	}
}

// prefix returns the first 8 bytes of b as a big-endian integer, padded
// with zeros: comparing prefixes orders texts as bytes.Compare does,
// except that equal prefixes need a full comparison.
func prefix(b []byte) uint64 {
	if len(b) >= 8 {
		return binary.BigEndian.Uint64(b)
	}
	var p [8]byte
	copy(p[:], b)
	return binary.BigEndian.Uint64(p[:])
}

// sortedText is a text of a dict in sorted order: its prefix and code.
type sortedText struct {
	prefix uint64
	code   int32
}

// sorted returns the dict's texts in byte order.
func (d *trecDict) sorted() []sortedText {
	out := make([]sortedText, d.len())
	for c := range out {
		out[c] = sortedText{prefix(d.text(int32(c))), int32(c)}
	}
	slices.SortFunc(out, func(a, b sortedText) int {
		if a.prefix != b.prefix {
			if a.prefix < b.prefix {
				return -1
			}
			return 1
		}
		return bytes.Compare(d.text(a.code), d.text(b.code))
	})
	return out
}
