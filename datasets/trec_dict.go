package datasets

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"
	"slices"
)

// trecDict interns the ID texts of one chunk of a TREC file, giving codes
// 0, 1, 2, ... Texts are kept back to back in one arena and found through
// open-addressing tables of 16-byte slots. A text of up to 11 bytes
// (numeric docnos and qids, MS MARCO IDs) is stored in its slot, so that
// a lookup costs one memory access; a longer one is stored as its 64-bit
// hash and checked against the arena. Only the growth of the arena and of
// the tables allocates.
//
// The table is split into dictParts partitions by the top bits of the
// hash. code looks texts up one at a time; codes looks up a large block
// partition by partition, so that each partition's table stays in cache
// while its lookups run: a lookup in a table larger than the caches
// otherwise costs a memory latency. The codes depend only on the sequence
// of calls and texts.
//
// Slot layout, little-endian: bytes 0-10 the text (zero-padded) or, for a
// long text, bytes 0-7 its hash; byte 11 the length, 0xFF for a long text,
// 0 for an empty slot; bytes 12-15 the code.
type trecDict struct {
	parts    [dictParts][]dictSlot
	used     [dictParts]int
	arena    []byte // the texts, back to back
	offs     []int  // text c is arena[offs[c]:offs[c+1]]
	last     []byte // the previous text looked up (aliases the file)
	lastCode int32

	// Scratch of codes.
	keys []dictKey
	pend []pendingKey
}

type dictSlot struct{ lo, hi uint64 }

type dictKey struct{ lo, hi, h uint64 }

const (
	shortText = 11
	longMark  = 0xFF
	dictParts = 256
	partShift = 56 // part = hash >> partShift
)

var trecSeed = maphash.MakeSeed()

func newTrecDict(hint int) trecDict {
	n := 4
	for n*dictParts < 2*hint {
		n *= 2
	}
	d := trecDict{offs: make([]int, 1, hint+1), arena: make([]byte, 0, 8*hint), lastCode: -1}
	for p := range d.parts {
		d.parts[p] = make([]dictSlot, n)
	}
	return d
}

// len returns the number of texts.
func (d *trecDict) len() int { return len(d.offs) - 1 }

// text returns text c; it aliases the arena.
func (d *trecDict) text(c int32) []byte { return d.arena[d.offs[c]:d.offs[c+1]] }

// slotKey returns the slot key of b (the slot without its code) and its
// hash.
func slotKey(b []byte) (lo, hi, h uint64) {
	if len(b) <= shortText {
		var k [16]byte
		copy(k[:], b)
		k[shortText] = byte(len(b))
		lo = binary.LittleEndian.Uint64(k[:8])
		hi = uint64(binary.LittleEndian.Uint32(k[8:12]))
		h = lo ^ hi*0x9E3779B97F4A7C15 // a full 64-bit mix (splitmix64's finaliser)
		h = (h ^ h>>30) * 0xBF58476D1CE4E5B9
		h = (h ^ h>>27) * 0x94D049BB133111EB
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
	c := d.codeKey(b, lo, hi, h)
	d.last, d.lastCode = b, c
	return c
}

// lookupBlock is the number of texts that parsers hand to codes at once:
// enough for each partition's table to serve many lookups per visit.
const lookupBlock = 1 << 19

// codes writes the codes of texts to dst, adding new texts. New texts get
// codes in partition order, then text order. The keys are scattered into
// partition order first, so that the lookups read them sequentially and
// each partition's table stays in cache while its lookups run; the texts
// themselves are read again only for new texts and long texts.
func (d *trecDict) codes(dst []int32, texts [][]byte) {
	n := len(texts)
	d.keys = grow(d.keys, n)
	d.pend = grow(d.pend, n)
	var count [dictParts + 1]int
	for k, b := range texts {
		lo, hi, h := slotKey(b)
		d.keys[k] = dictKey{lo, hi, h}
		count[h>>partShift+1]++
	}
	for p := 1; p <= dictParts; p++ {
		count[p] += count[p-1]
	}
	for k, key := range d.keys[:n] {
		p := key.h >> partShift
		d.pend[count[p]] = pendingKey{key, int32(k)}
		count[p]++
	}
	for _, e := range d.pend[:n] {
		dst[e.k] = d.codeAt(texts, e)
	}
	d.last, d.lastCode = nil, -1
}

// pendingKey is a key waiting in codes, with the index of its text.
type pendingKey struct {
	dictKey
	k int32
}

// codeAt is codeKey for texts[e.k], reading the text only when needed.
func (d *trecDict) codeAt(texts [][]byte, e pendingKey) int32 {
	lo, hi, h := e.lo, e.hi, e.h
	p := h >> partShift
	slots := d.parts[p]
	mask := uint64(len(slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &slots[i]
		if s.hi&0xFF000000 == 0 {
			return d.insert(texts[e.k], s, lo, hi, p)
		}
		if s.lo == lo && uint32(s.hi) == uint32(hi) {
			c := int32(s.hi >> 32)
			if hi>>24 != longMark || bytes.Equal(d.text(c), texts[e.k]) {
				return c
			}
		}
	}
}

// insert adds text b in the empty slot s of partition p.
func (d *trecDict) insert(b []byte, s *dictSlot, lo, hi, p uint64) int32 {
	c := int32(d.len())
	d.arena = append(d.arena, b...)
	d.offs = append(d.offs, len(d.arena))
	s.lo, s.hi = lo, hi|uint64(c)<<32
	if d.used[p]++; 2*d.used[p] > len(d.parts[p]) {
		d.grow(p)
	}
	return c
}

// codeKey returns the code of text b with slot key (lo, hi) and hash h,
// adding it when new.
func (d *trecDict) codeKey(b []byte, lo, hi, h uint64) int32 {
	p := h >> partShift
	slots := d.parts[p]
	mask := uint64(len(slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := &slots[i]
		if s.hi&0xFF000000 == 0 { // empty
			return d.insert(b, s, lo, hi, p)
		}
		if s.lo == lo && uint32(s.hi) == uint32(hi) {
			c := int32(s.hi >> 32)
			if len(b) <= shortText || bytes.Equal(d.text(c), b) {
				return c
			}
		}
	}
}

// grow doubles the table of partition p.
func (d *trecDict) grow(p uint64) {
	old := d.parts[p]
	slots := make([]dictSlot, 2*len(old))
	mask := uint64(len(slots) - 1)
	for _, s := range old {
		if s.hi&0xFF000000 == 0 {
			continue
		}
		_, _, h := slotKey(d.text(int32(s.hi >> 32)))
		i := h & mask
		for slots[i].hi&0xFF000000 != 0 {
			i = (i + 1) & mask
		}
		slots[i] = s
	}
	d.parts[p] = slots
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
