package datasets

import (
	"bytes"
	"errors"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// errMappedReaderPanic marks a panic inside ipc.NewMappedFileReader.
var errMappedReaderPanic = errors.New("mapped reader panicked")

// newMappedIPCReader opens an Arrow IPC file held in memory-mapped data.
//
// arrow-go v18.8.0's ipc.NewMappedFileReader never creates its dictionary
// memo, so it panics ("assignment to entry in nil map") on every file with
// a dictionary-encoded field. Such files are read through ipc.NewFileReader
// instead, which copies the buffers out of the mapping (so their batches
// also stay valid after the mapping is gone). If the fallback panics as
// well, the file is corrupt and the caller's recover reports it.
func newMappedIPCReader(data []byte, opts ...ipc.Option) (*ipc.FileReader, error) {
	r, err := func() (r *ipc.FileReader, err error) {
		defer func() {
			if p := recover(); p != nil {
				r, err = nil, errMappedReaderPanic
			}
		}()
		return ipc.NewMappedFileReader(data, opts...)
	}()
	if errors.Is(err, errMappedReaderPanic) {
		return ipc.NewFileReader(bytes.NewReader(data), opts...)
	}
	return r, err
}

// newIPCStreamReader returns an ipc.Reader for the stream r.
//
// ipc.NewReader (arrow-go v18.8.0) drops the metadata and body size limits
// from its options, so a damaged length in a stream makes it allocate any
// amount of memory, and the process dies. The reader is therefore built on
// ipc.NewMessageReader, which applies them.
func newIPCStreamReader(r io.Reader, opts ...ipc.Option) (*ipc.Reader, error) {
	return ipc.NewReaderFromMessageReader(ipc.NewMessageReader(r, opts...), opts...)
}

// ipcReadOptions returns the reader options for the IPC file or stream f.
// They bound a message body by the size of the file holding it: arrow-go's
// default limit (256 MiB) would reject large but valid record batches, and
// the file size is the true bound, which also keeps a corrupt length from
// causing a huge allocation.
func ipcReadOptions(f *os.File, mem memory.Allocator) []ipc.Option {
	opts := []ipc.Option{ipc.WithAllocator(mem)}
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		opts = append(opts, ipc.WithBodySizeLimit(st.Size()))
	}
	return opts
}

// ipcEndOfStream is the end-of-stream marker every Arrow IPC stream writer
// since format version 0.15 writes: a continuation token and a zero
// metadata length.
var ipcEndOfStream = []byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}

// checkIPCFile checks the Arrow IPC file f before arrow-go reads it: its
// magic number, and its metadata (see checkIPCFileMetadata).
func checkIPCFile(path string, f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var magic [6]byte
	if _, err := f.ReadAt(magic[:], 0); err != nil || string(magic[:]) != "ARROW1" {
		return notArrowFile(path)
	}
	if err := checkIPCFileMetadata(f, st.Size()); err != nil {
		return ipcMetadataError(path, err)
	}
	return nil
}

// checkIPCStream checks the Arrow IPC stream f before arrow-go reads it.
// A stream must end with the end-of-stream marker: ipc.Reader treats the
// end of the file as the end of the stream, so a stream cut short between
// two messages would otherwise read as a complete table with rows
// missing. Its metadata must be sound (see checkIPCStreamMetadata).
func checkIPCStream(path string, f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	var tail [8]byte
	if st.Size() >= 8 {
		if _, err := f.ReadAt(tail[:], st.Size()-8); err != nil {
			return err
		}
	}
	var head [6]byte
	if _, err := f.ReadAt(head[:], 0); err == nil && string(head[:]) == "ARROW1" {
		return &Error{File: path, Msg: "this is an Arrow IPC file, not an Arrow IPC stream",
			Fix: "name the file .arrow", Err: ErrFormat}
	}
	if st.Size() < 8 || !bytes.Equal(tail[:], ipcEndOfStream) {
		return &Error{File: path, Msg: "the Arrow IPC stream is truncated (no end-of-stream marker)",
			Fix: "re-export the file; it may have been cut short while copying, or written by an Arrow release older than 0.15",
			Err: ErrFormat}
	}
	if err := checkIPCStreamMetadata(f, st.Size()); err != nil {
		return ipcMetadataError(path, err)
	}
	return nil
}
