package classify

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/triage-dev/triage/internal/config"
)

// BenchmarkClassify measures classification of a 5,000-commit range with the
// test config and the Jira sample: it must stay negligible next to reading the range.
func BenchmarkClassify(b *testing.B) {
	cfg, err := config.Load(filepath.Join("testdata", ".triage.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	c, err := New(cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	h := &history{}
	subjects := []string{"SHOP-412: fix VAT", "feat: export", "Update docs", "hotfix: restart", "SHOP-398 SHOP-415 both\n\nRefs #12, #13"}
	for i := 0; i < 5000; i++ {
		parents := []int{i - 1}
		if i%50 == 49 {
			parents = []int{i - 1, i - 10}
			h.add(fmt.Sprintf("Merge branch 'hotfix/SHOP-%d'", i), parents)
			continue
		}
		h.add(subjects[i%len(subjects)], parents, fmt.Sprintf("src/p%d/file%d.go", i%7, i), "docs/x.md")
	}
	b.ResetTimer()
	for b.Loop() {
		c.Classify(h.commits)
	}
}
