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

// FuzzRewrite: Pin and Migrate never panic, and on a file Parse reads
// they either edit it or say why not: never an edit that breaks the file
// (their read-back check is the last line of defence, not the design).
func FuzzRewrite(f *testing.F) {
	for _, name := range []string{"testdata/rewrite/pin.yaml", "testdata/rewrite/migrate.yaml", "testdata/full.yaml"} {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("exceptions:\n" + entry))
	f.Add([]byte("exceptions:\n  - {check_id: \"1.2.16\", reason: r, owner: o, review_date: 2026-12-01, risk_accepted_by: c}\n"))
	f.Add([]byte("exceptions:\r\n  - check_id: '1.2.*' # all\r\n    reason: >\r\n      r\r\n    owner: o\r\n    review_date: 2026-12-01\r\n    risk_accepted_by: c\r\n"))
	checks := fixtureChecks(f, "v0.14.1-cis-1.10-insecure.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := Parse(data, "fuzz.yaml", ParseOptions{MaxReviewYears: -1}); err != nil {
			return
		}
		broke := func(op string, err error) {
			if err == nil {
				return
			}
			for _, s := range []string{"does not read back", "has other entries", "would change more than"} {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("%s broke the file: %v", op, err)
				}
			}
		}
		_, _, err := Pin(data, "fuzz.yaml", checks)
		broke("pin", err)
		_, _, err = Migrate(data, "fuzz.yaml", "cis-1.10", "cis-1.8")
		broke("migrate from cis-1.8", err)
		_, _, err = Migrate(data, "fuzz.yaml", "cis-1.10", "")
		broke("migrate", err)
	})
}
