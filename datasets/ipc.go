package datasets

import (
	"bytes"
	"errors"
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
