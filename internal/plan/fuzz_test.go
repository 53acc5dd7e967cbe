package plan

import (
	"strings"
	"testing"
)

func FuzzParseSelector(f *testing.F) {
	for _, s := range []string{"class:recette-fix", "ticket:PAY-110", "commit:9616c5b", "rev:r24911", "path:src/**/[a-z]*.go", "author:Jérôme", "klass:x", ":", "path:[", "rev:-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sel, err := ParseSelector(s)
		if err != nil {
			if !strings.Contains(err.Error(), "e.g.") {
				t.Errorf("%q: error without an example: %v", s, err)
			}
			return
		}
		_ = sel.String()
	})
}

func FuzzMergedRevisions(f *testing.F) {
	for _, s := range []string{"Merged r24913 from trunk", "merging r1:r9 and r12", "svn:mergeinfo /trunk:1-5,9", "Merged r99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, msg string) {
		if revs := MergedRevisions(msg); len(revs) > 100*(maxMergedRange+1) {
			t.Errorf("%q: %d revisions", msg, len(revs))
		}
	})
}
