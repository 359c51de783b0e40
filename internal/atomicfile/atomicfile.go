package atomicfile

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// createTemp creates a new file in dir named after base. Unlike
// os.CreateTemp it asks for mode 0666, so the process umask decides the
// final permissions exactly as it would for os.Create.
func createTemp(dir, base string) (*os.File, error) {
	for range 1000 {
		name := filepath.Join(dir, "."+base+".tmp-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, &fs.PathError{Op: "createtemp", Path: filepath.Join(dir, "."+base+".tmp-*"), Err: fs.ErrExist}
}

// Write atomically replaces the file at path with what fn writes to w.
//
// w is buffered and valid only during the call; fn must not retain it.
// Write returns fn's error, or the first error from creating, flushing,
// syncing, closing or renaming the temporary file. If fn panics, the
// temporary file is removed and the panic is re-raised. In every failure
// case the file at path (if any) is unchanged and no temporary file is left
// behind.
func Write(path string, fn func(w io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := createTemp(dir, base)
	if err != nil {
		return err
	}
	tmp := f.Name()
	committed := false
	defer func() {
		// Runs on error returns and on panics (which then continue).
		if !committed {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fn(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err // the deferred clean-up removes tmp; closing twice is harmless
	}
	committed = true
	syncDir(dir)
	return nil
}

// WriteFile atomically replaces the file at path with data.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncDir fsyncs a directory so that a rename in it survives a crash.
// Errors are ignored: some file systems and platforms cannot sync a
// directory, and the file's content is already on disk.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
