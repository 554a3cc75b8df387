//go:build !linux

package mmapadvice

// Random does nothing where the kernel's mappings cannot be listed.
func Random(dir string) (int, error) { return 0, nil }
