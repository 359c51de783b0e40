package datasets

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// These tests damage the length of a FlatBuffers vector that arrow-go
// sizes an allocation by. Without the checks in ipcverify.go, arrow-go
// v18.8.0 allocates tens of gigabytes for them and the process dies with
// an out-of-memory error that no recover can catch.

// patchFirstFieldMetadataLength sets the length of the custom_metadata
// vector of the first field of the schema table s to n, in place.
func patchFirstFieldMetadataLength(t *testing.T, s fbTable, n uint32) {
	t.Helper()
	start, count, err := s.vector(1, 4)
	if err != nil || count == 0 {
		t.Fatalf("schema has no fields (%v)", err)
	}
	off, _ := s.b.u32(start)
	field := fbTable{s.b, start + off}
	p, err := field.field(6)
	if err != nil || p == 0 {
		t.Fatalf("first field has no custom metadata (%v)", err)
	}
	voff, _ := s.b.u32(p)
	binary.LittleEndian.PutUint32(s.b[p+voff:], n)
}

// hugeArrowFile returns the round-trip table as an Arrow IPC file whose
// footer schema claims 2^31-1 metadata entries on its first field.
func hugeArrowFile(t *testing.T) []byte {
	data := validFile(t, ".arrow")
	size := len(data)
	flen := int(binary.LittleEndian.Uint32(data[size-10:]))
	footer := fbuf(data[size-10-flen : size-10])
	f, err := footer.root()
	if err != nil {
		t.Fatal(err)
	}
	s, ok, err := f.table(1)
	if err != nil || !ok {
		t.Fatalf("footer has no schema (%v)", err)
	}
	patchFirstFieldMetadataLength(t, s, 1<<31-1)
	return data
}

// schemaMessage returns the schema table of the first message of the
// IPC stream data (which it points into).
func schemaMessage(t *testing.T, data []byte) fbTable {
	t.Helper()
	if binary.LittleEndian.Uint32(data) != 0xffffffff {
		t.Fatal("stream does not start with a continuation token")
	}
	n := binary.LittleEndian.Uint32(data[4:])
	m, err := fbuf(data[8 : 8+n]).root()
	if err != nil {
		t.Fatal(err)
	}
	s, ok, err := m.table(2)
	if err != nil || !ok {
		t.Fatalf("no schema in the first message (%v)", err)
	}
	return s
}

func hugeArrowStream(t *testing.T) []byte {
	data := validFile(t, ".arrows")
	patchFirstFieldMetadataLength(t, schemaMessage(t, data), 1<<31-1)
	return data
}

// hugeBodyStream returns a stream whose second message (the first record
// batch) claims a body of 2^40 bytes.
func hugeBodyStream(t *testing.T) []byte {
	data := validFile(t, ".arrows")
	n := binary.LittleEndian.Uint32(data[4:])
	m, _ := fbuf(data[8 : 8+n]).root()
	bp, _ := m.field(3)
	pos := 8 + int(n)
	if bp != 0 {
		pos += int(binary.LittleEndian.Uint64(data[8+bp:]))
	}
	n2 := binary.LittleEndian.Uint32(data[pos+4:])
	meta := fbuf(data[pos+8 : pos+8+int(n2)])
	m2, _ := meta.root()
	bp2, err := m2.field(3)
	if err != nil || bp2 == 0 {
		t.Fatalf("second message has no body length (%v)", err)
	}
	binary.LittleEndian.PutUint64(meta[bp2:], 1<<40)
	return data
}

// hugeParquet returns a Parquet file whose stored Arrow schema claims
// 2^31-1 metadata entries on its first field.
func hugeParquet(t *testing.T) []byte {
	data := validFile(t, ".parquet")
	// The stored schema is the only long base64 run; find it by decoding
	// the ARROW:schema value the way pqarrow does.
	key := []byte(parquetArrowSchema)
	i := bytes.Index(data, key)
	if i < 0 {
		t.Fatal("no ARROW:schema in the file")
	}
	// Thrift compact binary: after the key comes the value's field header
	// (one byte) and its varint length.
	j := i + len(key) + 1
	n, k := binary.Uvarint(data[j:])
	start := j + k
	encoded := string(data[start : start+int(n)])
	decoded, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		t.Fatalf("stored schema: %v", err)
	}
	patchFirstFieldMetadataLength(t, schemaMessage(t, decoded), 1<<31-1)
	reencoded := base64.StdEncoding.EncodeToString(decoded)
	if len(reencoded) != len(encoded) {
		t.Fatal("re-encoded schema changed length")
	}
	copy(data[start:], reencoded)
	return data
}

func TestHugeMetadataLengths(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func(*testing.T) []byte
		want string
	}{
		{"file.arrow", hugeArrowFile, "corrupt Arrow IPC metadata (malformed IPC metadata)"},
		{"stream.arrows", hugeArrowStream, "corrupt Arrow IPC metadata (malformed IPC metadata)"},
		{"body.arrows", hugeBodyStream, "corrupt Arrow IPC metadata (message body length 1099511627776 at offset"},
		{"schema.parquet", hugeParquet, "the Arrow schema stored in the Parquet file is corrupt (malformed IPC metadata)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.name)
			if err := os.WriteFile(path, tc.make(t), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, opts := range [][]Option{nil, {WithoutMmap()}} {
				err := drain(path, opts...)
				if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("err = %v, want ErrFormat containing %q", err, tc.want)
				}
			}
		})
	}
}

func TestIPCMetadataChecksAcceptValid(t *testing.T) {
	// The checks pass every valid file the writers produce, including
	// empty tables and several batches with dictionaries.
	for _, ext := range []string{".arrow", ".arrows"} {
		for i, data := range seedTables(t, ext) {
			var err error
			if ext == ".arrow" {
				err = checkIPCFileMetadata(bytes.NewReader(data), int64(len(data)))
			} else {
				err = checkIPCStreamMetadata(bytes.NewReader(data), int64(len(data)))
			}
			if err != nil {
				t.Errorf("%s seed %d: %v", ext, i, err)
			}
		}
	}
}
