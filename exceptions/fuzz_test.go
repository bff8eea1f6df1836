package exceptions

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: Parse never panics; an error is a *ValidationError whose every
// line names the source; a success has every required field of every
// exception.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	files = append(files, "../examples/kube-bench-exceptions.yaml")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{
		"exceptions:\n" + entry,
		"exceptions:\n" + entry + entry,
		"exceptions:\n" + strings.Replace(entry, "2026-12-01", "2026-02-30", 1),
		"exceptions:\n" + strings.Replace(entry, "    owner", "\towner", 1),
		"exceptions:\n  - &a {check_id: 1}\n  - *a\n",
		"owners:\n  - checks: [\"1.*\"]\n    owner: x\n",
		"", "---\n---\n", "[", "exceptions: {",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse(data, "fuzz.yaml", ParseOptions{Now: today})
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error %v (%T) is not a *ValidationError with problems", err, err)
			}
			for _, l := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(l, "fuzz.yaml") {
					t.Fatalf("error line %q does not name the source", l)
				}
			}
			return
		}
		for _, e := range file.Exceptions {
			if e.CheckID == "" || e.Owner == "" || e.Reason == "" || e.RiskAcceptedBy == "" || e.ReviewDate.IsZero() {
				t.Fatalf("accepted an incomplete exception: %+v", e)
			}
			if e.ReviewDate.After(today.AddYears(DefaultMaxReviewYears)) {
				t.Fatalf("accepted review date %s", e.ReviewDate)
			}
		}
		for _, r := range file.Owners {
			if r.Owner == "" || len(r.Checks) == 0 {
				t.Fatalf("accepted an incomplete owner rule: %+v", r)
			}
		}
	})
}
