package datasets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Arrow IPC metadata is stored as FlatBuffers, which arrow-go reads
// without verifying them. Most damage then makes it index out of range,
// a panic that OpenTable recovers from; but a damaged vector length makes
// it allocate a slice of that length first (make([]arrow.Field, n) for a
// field's children, make([]string, n) for key-value metadata), and a
// length of a few billion kills the process with an out-of-memory error
// that cannot be recovered. The functions below check, before arrow-go
// sees a file, that every vector arrow-go sizes an allocation by lies
// inside its buffer. They mirror the FlatBuffers library's own (wrapping
// uint32) offset arithmetic, so they check exactly the bytes it will read.

// fbuf is one FlatBuffers buffer.
type fbuf []byte

var errFlatbuffer = errors.New("malformed IPC metadata")

func (b fbuf) u32(pos uint32) (uint32, error) {
	if uint64(pos)+4 > uint64(len(b)) {
		return 0, errFlatbuffer
	}
	return binary.LittleEndian.Uint32(b[pos:]), nil
}

func (b fbuf) u16(pos uint32) (uint16, error) {
	if uint64(pos)+2 > uint64(len(b)) {
		return 0, errFlatbuffer
	}
	return binary.LittleEndian.Uint16(b[pos:]), nil
}

// fbTable is a table at position pos of buffer b.
type fbTable struct {
	b   fbuf
	pos uint32
}

// root returns the root table of b.
func (b fbuf) root() (fbTable, error) {
	off, err := b.u32(0)
	return fbTable{b, off}, err
}

// field returns the absolute position of field i (0-based, in schema
// order; a union takes two slots), or 0 when the field is absent.
func (t fbTable) field(i int) (uint32, error) {
	so, err := t.b.u32(t.pos)
	if err != nil {
		return 0, err
	}
	vtable := uint32(int32(t.pos) - int32(so))
	vsize, err := t.b.u16(vtable)
	if err != nil {
		return 0, err
	}
	vo := uint32(4 + 2*i)
	if vo >= uint32(vsize) {
		return 0, nil
	}
	o, err := t.b.u16(vtable + vo)
	if err != nil || o == 0 {
		return 0, err
	}
	return uint32(o) + t.pos, nil
}

// table returns the sub-table in field i, if present.
func (t fbTable) table(i int) (fbTable, bool, error) {
	p, err := t.field(i)
	if err != nil || p == 0 {
		return fbTable{}, false, err
	}
	off, err := t.b.u32(p)
	if err != nil {
		return fbTable{}, false, err
	}
	sub := fbTable{t.b, p + off}
	if _, err := sub.b.u32(sub.pos); err != nil {
		return fbTable{}, false, err
	}
	return sub, true, nil
}

// vector returns the position of the first element of the vector in
// field i and its length, checking that length×elem bytes fit in the
// buffer. An absent field is an empty vector.
func (t fbTable) vector(i int, elem uint32) (start uint32, n uint32, err error) {
	p, err := t.field(i)
	if err != nil || p == 0 {
		return 0, 0, err
	}
	off, err := t.b.u32(p)
	if err != nil {
		return 0, 0, err
	}
	lenPos := p + off
	n, err = t.b.u32(lenPos)
	if err != nil {
		return 0, 0, err
	}
	start = lenPos + 4
	if uint64(start)+uint64(n)*uint64(elem) > uint64(len(t.b)) {
		return 0, 0, errFlatbuffer
	}
	return start, n, nil
}

// tables calls fn on each table of the vector of tables in field i.
func (t fbTable) tables(i int, fn func(fbTable) error) error {
	start, n, err := t.vector(i, 4)
	if err != nil {
		return err
	}
	for j := range n {
		p := start + 4*j
		off, err := t.b.u32(p)
		if err != nil {
			return err
		}
		sub := fbTable{t.b, p + off}
		if _, err := sub.b.u32(sub.pos); err != nil {
			return err
		}
		if err := fn(sub); err != nil {
			return err
		}
	}
	return nil
}

// checkKeyValues checks a vector of KeyValue {key: string; value: string}.
func (t fbTable) checkKeyValues(i int) error {
	return t.tables(i, func(kv fbTable) error {
		if _, _, err := kv.vector(0, 1); err != nil {
			return err
		}
		_, _, err := kv.vector(1, 1)
		return err
	})
}

// checkField checks a Field {name; nullable; type (union, 2 slots);
// dictionary; children: [Field]; custom_metadata: [KeyValue]}.
func checkField(f fbTable, depth int) error {
	if depth > maxNesting {
		return errFlatbuffer
	}
	if _, _, err := f.vector(0, 1); err != nil {
		return err
	}
	if _, _, err := f.table(3); err != nil {
		return err
	}
	if _, _, err := f.table(4); err != nil {
		return err
	}
	if err := f.tables(5, func(c fbTable) error { return checkField(c, depth+1) }); err != nil {
		return err
	}
	return f.checkKeyValues(6)
}

// checkSchema checks a Schema {endianness; fields: [Field];
// custom_metadata: [KeyValue]; features: [long]}.
func checkSchema(s fbTable) error {
	if err := s.tables(1, func(f fbTable) error { return checkField(f, 0) }); err != nil {
		return err
	}
	if err := s.checkKeyValues(2); err != nil {
		return err
	}
	_, _, err := s.vector(3, 8)
	return err
}

// checkMessage checks the metadata of one IPC message: Message {version;
// header (union, 2 slots); bodyLength; custom_metadata}. It returns the
// body length.
func checkMessage(meta []byte) (int64, error) {
	m, err := fbuf(meta).root()
	if err != nil {
		return 0, err
	}
	if err := m.checkKeyValues(4); err != nil {
		return 0, err
	}
	hp, err := m.field(1)
	if err != nil {
		return 0, err
	}
	if hp != 0 {
		if int(hp) >= len(meta) {
			return 0, errFlatbuffer
		}
		if meta[hp] == 1 { // MessageHeader.Schema
			h, ok, err := m.table(2)
			if err != nil {
				return 0, err
			}
			if ok {
				if err := checkSchema(h); err != nil {
					return 0, err
				}
			}
		}
	}
	bp, err := m.field(3)
	if err != nil || bp == 0 {
		return 0, err
	}
	if uint64(bp)+8 > uint64(len(meta)) {
		return 0, errFlatbuffer
	}
	return int64(binary.LittleEndian.Uint64(meta[bp:])), nil
}

// maxIPCMetadata bounds one message's metadata, as arrow-go's default does.
const maxIPCMetadata = 64 << 20

// readAtMost reads n bytes at off from r, or fails.
func readAtMost(r io.ReaderAt, off int64, n int64) ([]byte, error) {
	if n < 0 || n > maxIPCMetadata || off < 0 {
		return nil, errFlatbuffer
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, off); err != nil {
		return nil, err
	}
	return buf, nil
}

// checkIPCFileMetadata checks the footer, the schema and the metadata of
// every message of the Arrow IPC file in r (of the given size).
func checkIPCFileMetadata(r io.ReaderAt, size int64) error {
	const trailer = 10 // int32 footer length, "ARROW1"
	if size < 8+trailer {
		return errFlatbuffer
	}
	t, err := readAtMost(r, size-trailer, trailer)
	if err != nil {
		return err
	}
	flen := int64(binary.LittleEndian.Uint32(t))
	if flen <= 0 || flen+8+trailer > size {
		return errFlatbuffer
	}
	footer, err := readAtMost(r, size-trailer-flen, flen)
	if err != nil {
		return err
	}
	// Footer {version; schema: Schema; dictionaries: [Block];
	// recordBatches: [Block]; custom_metadata}.
	f, err := fbuf(footer).root()
	if err != nil {
		return err
	}
	if s, ok, err := f.table(1); err != nil {
		return err
	} else if ok {
		if err := checkSchema(s); err != nil {
			return err
		}
	}
	if err := f.checkKeyValues(4); err != nil {
		return err
	}
	for _, field := range []int{2, 3} {
		// Block {offset: long; metaDataLength: int; bodyLength: long}, 24 bytes.
		start, n, err := f.vector(field, 24)
		if err != nil {
			return err
		}
		for j := range n {
			b := footer[start+24*j:]
			off := int64(binary.LittleEndian.Uint64(b))
			metaLen := int64(int32(binary.LittleEndian.Uint32(b[8:])))
			if metaLen < 8 || off < 0 || off > size-metaLen {
				return errFlatbuffer
			}
			meta, err := readAtMost(r, off, metaLen)
			if err != nil {
				return err
			}
			prefix := 4
			if binary.LittleEndian.Uint32(meta) == 0xffffffff {
				prefix = 8
			}
			if _, err := checkMessage(meta[prefix:]); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkIPCStreamMetadata walks the messages of the Arrow IPC stream in r
// (of the given size) as ipc.Reader will, checking each one's metadata.
func checkIPCStreamMetadata(r io.ReaderAt, size int64) error {
	var pos int64
	var word [4]byte
	for pos+4 <= size {
		if _, err := r.ReadAt(word[:], pos); err != nil {
			return err
		}
		pos += 4
		n := binary.LittleEndian.Uint32(word[:])
		if n == 0xffffffff {
			if pos+4 > size {
				return errors.New("message length cut short")
			}
			if _, err := r.ReadAt(word[:], pos); err != nil {
				return err
			}
			pos += 4
			n = binary.LittleEndian.Uint32(word[:])
		}
		if n == 0 {
			return nil // end of stream
		}
		if int64(int32(n)) < 4 || int64(n) > size-pos {
			return fmt.Errorf("message metadata length %d at offset %d exceeds the file", int32(n), pos)
		}
		meta, err := readAtMost(r, pos, int64(n))
		if err != nil {
			return err
		}
		body, err := checkMessage(meta)
		if err != nil {
			return err
		}
		pos += int64(n)
		if body < 0 || body > size-pos {
			return fmt.Errorf("message body length %d at offset %d exceeds the file", body, pos)
		}
		pos += body
	}
	return nil
}

// ipcMetadataError describes metadata that checkIPC*Metadata rejected.
func ipcMetadataError(path string, err error) error {
	return &Error{File: path, Msg: fmt.Sprintf("corrupt Arrow IPC metadata (%v)", err),
		Fix: "re-export the file; it may have been damaged or cut short while copying",
		Err: fmt.Errorf("%w: %w", ErrFormat, err)}
}
