//go:build !linux

package datasets

import (
	"errors"
	"os"
)

// mmapFile is unavailable on this platform; callers fall back to reads.
func mmapFile(*os.File) ([]byte, func() error, error) {
	return nil, nil, errors.New("mmap unavailable")
}

func releasePages(mapping, b []byte) {}
