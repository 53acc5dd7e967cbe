package risk

import (
	"path"
	"strings"
)

// testDirs are directory names that hold tests in the ecosystems triage meets
// (Go, Java/Maven, JavaScript, Python, Ruby).
var testDirs = map[string]bool{
	"test": true, "tests": true, "spec": true, "specs": true,
	"__tests__": true, "testdata": true, "e2e": true,
}

// IsTestPath tells whether a path is a test file by convention: a directory
// test/, tests/, spec/, specs/, __tests__/, testdata/ or e2e/ anywhere in the
// path, or a name like foo_test.go, test_foo.py, FooTest.java, FooTests.cs,
// FooIT.java, foo.test.ts, foo.spec.js or foo_spec.rb.
func IsTestPath(p string) bool {
	segs := strings.Split(p, "/")
	for _, s := range segs[:len(segs)-1] {
		if testDirs[strings.ToLower(s)] {
			return true
		}
	}
	base := segs[len(segs)-1]
	lower := strings.ToLower(base)
	stem := strings.TrimSuffix(base, path.Ext(base))
	switch {
	case strings.Contains(lower, "_test."), strings.HasSuffix(lower, "_spec.rb"):
		return true
	case strings.HasPrefix(lower, "test_") && strings.HasSuffix(lower, ".py"):
		return true
	case strings.Contains(lower, ".test."), strings.Contains(lower, ".spec."):
		return true
	case strings.HasSuffix(stem, "Test"), strings.HasSuffix(stem, "Tests"),
		strings.HasSuffix(stem, "IT"), strings.HasSuffix(stem, "TestCase"):
		return true
	}
	return false
}

var docExts = map[string]bool{".md": true, ".markdown": true, ".rst": true, ".txt": true, ".adoc": true, ".asciidoc": true}

var docNames = []string{"readme", "license", "licence", "changelog", "changes", "notice", "authors", "contributing", "copying"}

// IsDocPath tells whether a path is documentation: a file under doc/ or docs/
// at the top, a text-like extension (.md, .rst, .txt, .adoc), or a README,
// LICENSE, CHANGELOG... Documentation is neither product nor test.
func IsDocPath(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	if strings.Contains(p, "/") && (strings.EqualFold(first, "doc") || strings.EqualFold(first, "docs")) {
		return true
	}
	base := strings.ToLower(path.Base(p))
	if docExts[path.Ext(base)] {
		return true
	}
	for _, n := range docNames {
		if base == n || strings.HasPrefix(base, n+".") {
			return true
		}
	}
	return false
}

// IsProductPath is what ships: neither a test nor documentation.
func IsProductPath(p string) bool { return !IsTestPath(p) && !IsDocPath(p) }

// dirOf is the directory a path is in, "." for the top.
func dirOf(p string) string { return path.Dir(p) }
