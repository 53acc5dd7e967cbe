package config

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad checks that no input makes the loader panic, and that a config it
// accepts is usable: compiled expressions, named classes.
func FuzzLoad(f *testing.F) {
	full, err := os.ReadFile(filepath.Join("testdata", "full.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	for _, s := range []string{
		"", "classes:\n  - name: a\n    message: '('\n", "a: &a [*a]\n", "- - -\n", "classes: [{name: x, paths: '{'}]\n",
		"gate: {waivers: [{commit: abcd, reason: r}]}\n", "tickets: {exports: [{path: testdata/tickets.csv, format: csv}]}\n",
		"classes:\n  - &r {name: x, ticket: {type: *r}}\n", "plan: {keep: 'path:**', with: 'rename,line'}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(filepath.Join("testdata", ".triage.yaml"), data)
		if err != nil {
			return
		}
		for _, c := range cfg.Classes {
			if c.Name == "" || !c.HasCondition() {
				t.Fatalf("accepted rule %+v", c)
			}
			if c.Message != nil && c.Message.Re == nil {
				t.Fatalf("uncompiled message in %+v", c)
			}
		}
		if cfg.Default == "" {
			t.Fatal("empty default accepted")
		}
	})
}
