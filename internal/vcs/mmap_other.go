//go:build !unix

package vcs

import "os"

// mapFile reads a file whole where memory mapping is not available.
func mapFile(path string) ([]byte, func() error, error) {
	data, err := os.ReadFile(path)
	return data, func() error { return nil }, err
}
