//go:build !linux

package mmapadvice

import "errors"

// Random does nothing where the kernel's mappings cannot be listed.
func Random(dir string) (int, error) { return 0, nil }

// Release does nothing where the kernel's mappings cannot be listed.
func Release(files []string) (int, error) { return 0, nil }

// Evict does nothing where the page cache cannot be advised.
func Evict(dir string) (int, error) { return 0, nil }

// FileResident is not known where /proc is not there.
func FileResident() (int64, error) { return 0, errors.ErrUnsupported }
