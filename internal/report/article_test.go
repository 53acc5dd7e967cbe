package report

import "testing"

func TestClassReadsInASentence(t *testing.T) {
	for class, want := range map[string]string{
		"feature":      "a feature",
		"recette-fix":  "a recette-fix",
		"improvement":  "an improvement",
		"unclassified": "unclassified",
		"merge":        "a merge",
	} {
		if got := withArticle(class); got != want {
			t.Errorf("withArticle(%q) = %q, want %q", class, got, want)
		}
	}
}
