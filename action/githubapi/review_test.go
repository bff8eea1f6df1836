package githubapi_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/action/githubapi"
)

var addedLinesCases = []struct {
	name, patch string
	want        []int
}{
	{"one changed line", "@@ -15,3 +15,3 @@ spec:\n     - a\n-    - b\n+    - c\n     - d", []int{16}},
	{"two hunks", "@@ -1,2 +1,3 @@\n a\n+b\n c\n@@ -10,1 +11,2 @@ x\n k\n+l", []int{2, 12}},
	{"a new file", "@@ -0,0 +1,2 @@\n+kind: Pod\n+metadata: {}", []int{1, 2}},
	{"a hunk without counts", "@@ -3 +3 @@\n-x\n+y", []int{3}},
	{"no newline at end", "@@ -1,1 +1,1 @@\n-a\n\\ No newline at end of file\n+b\n\\ No newline at end of file", []int{1}},
	{"deletions only", "@@ -1,2 +1,1 @@\n a\n-b", nil},
	{"no patch (binary)", "", nil},
	{"text before the first hunk", "+++ b/x\n@@ -1 +1 @@\n+y", []int{1}},
}

func TestAddedLines(t *testing.T) {
	t.Parallel()
	for _, tc := range addedLinesCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if d := cmp.Diff(tc.want, githubapi.AddedLines(tc.patch)); d != "" {
				t.Errorf("AddedLines (-want +got):\n%s", d)
			}
		})
	}
}

// FuzzAddedLines: any patch gives positive line numbers, at most one per
// "+" line.
func FuzzAddedLines(f *testing.F) {
	for _, tc := range addedLinesCases {
		f.Add(tc.patch)
	}
	f.Fuzz(func(t *testing.T, patch string) {
		got := githubapi.AddedLines(patch)
		if n := strings.Count("\n"+patch, "\n+"); len(got) > n {
			t.Fatalf("%d lines from %d '+' lines", len(got), n)
		}
		for _, l := range got {
			if l < 1 {
				t.Fatalf("lines %v: not all positive", got)
			}
		}
	})
}
