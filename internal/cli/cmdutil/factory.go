package cmdutil

import (
	"io"
	"os"
	"time"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// IOStreams are the standard streams of one run of recaudit.
//
// Out carries data only: JSON documents and the reports a command exists to
// produce. ErrOut carries diagnostics, summaries and progress.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	// ErrTTY reports whether ErrOut is a terminal; progress bars are drawn
	// only then.
	ErrTTY bool
}

// System returns IOStreams over the given streams, detecting whether stderr
// is a terminal.
func System(stdin io.Reader, stdout, stderr io.Writer) *IOStreams {
	return &IOStreams{In: stdin, Out: stdout, ErrOut: stderr, ErrTTY: isTerminal(stderr)}
}

// isTerminal reports whether w is an *os.File open on a character device.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	return fi.Mode()&os.ModeCharDevice != 0
}

// Factory supplies the dependencies every command shares. Commands take it
// in NewCmdX and copy what they need into their options struct, so that
// tests can replace any of it.
type Factory struct {
	IO *IOStreams
	// Now is the clock (time.Now in production); used for elapsed times.
	Now func() time.Time
	// Allocator is the Arrow allocator for reading and writing tables; nil
	// means memory.DefaultAllocator. Tests install a checked allocator.
	Allocator memory.Allocator
}

// NewFactory returns a Factory over the given streams with the real clock
// and the default Arrow allocator.
func NewFactory(stdin io.Reader, stdout, stderr io.Writer) *Factory {
	return &Factory{IO: System(stdin, stdout, stderr), Now: time.Now}
}
