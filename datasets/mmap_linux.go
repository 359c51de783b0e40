//go:build linux

package datasets

import (
	"errors"
	"os"
	"syscall"
	"unsafe"
)

// mmapFile maps f read-only. The returned function unmaps it.
func mmapFile(f *os.File) ([]byte, func() error, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := st.Size()
	if size <= 0 || size != int64(int(size)) {
		return nil, nil, errors.New("file cannot be mapped")
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil, err
	}
	return data, func() error { return syscall.Munmap(data) }, nil
}

// releasePages tells the kernel that the pages of mapping that lie wholly
// inside b will not be needed soon, so that a pass over a large
// memory-mapped file does not keep the whole file resident in this
// process. The data stays correct: a later access faults the pages back in
// from the page cache. b must alias mapping; anything else is ignored.
func releasePages(mapping, b []byte) {
	if len(mapping) == 0 || len(b) == 0 {
		return
	}
	base := uintptr(unsafe.Pointer(&mapping[0]))
	lo := uintptr(unsafe.Pointer(&b[0]))
	hi := lo + uintptr(len(b))
	if lo < base || hi > base+uintptr(len(mapping)) {
		return
	}
	page := uintptr(os.Getpagesize())
	lo = (lo + page - 1) &^ (page - 1)
	hi &^= page - 1
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(mapping[lo-base:hi-base], syscall.MADV_DONTNEED)
}
