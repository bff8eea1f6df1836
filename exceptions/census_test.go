//go:build census

package exceptions

import (
	"strings"
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// TestCensusSameControl counts, per CIS benchmark, the pairs of different
// controls (different identities) that an exception matching calls the
// same: an exception whose check_description is one control's text,
// written on the other's id, accepts the other's FAIL. The word
// comparison (what Evaluate did before the catalog, and still does for
// benchmarks the catalog does not know) is counted beside it; the matching
// by identity must call no such pair the same.
//
// Left out: pairs whose texts no description can tell apart, the same
// words but for "Ensure"/"Verify" and dashes (cis-1.10's 1.3.6 and
// 4.2.11, "the RotateKubeletServerCertificate argument is set to true";
// 1.2.1 and 4.2.1, "--anonymous-auth" and "anonymous-auth"): for those
// the id and the target decide, and they are counted in the log.
//
// It evaluates some 17,000 exceptions per benchmark (about 10 s on two
// cores), so it runs only with the build tag:
//
//	go test -tags census -run TestCensus -v ./exceptions
func TestCensusSameControl(t *testing.T) {
	t.Parallel()
	for _, b := range catalog.Benchmarks() {
		if !strings.HasPrefix(b.ID, "cis-1.") {
			continue
		}
		t.Run(b.ID, func(t *testing.T) {
			t.Parallel()
			checks := catalogResults(t, b.ID)
			ctl := map[string]*benchresult.Check{}
			f := &File{}
			var from []*benchresult.Check // the control each exception describes
			alike := 0
			for i := range checks {
				ctl[string(checks[i].Target)+"/"+checks[i].ID] = &checks[i]
			}
			for i := range checks {
				for j := range checks {
					a, c := &checks[i], &checks[j]
					// Controls with one text (--profiling of three components)
					// cannot be told apart by a description: left out.
					if i == j || identityOf(t, a) == identityOf(t, c) || c.ID == a.ID {
						continue
					}
					if wordsAlike(a.Text, c.Text) {
						alike++
						continue
					}
					{
						f.Exceptions = append(f.Exceptions, exc(c.ID, today.AddDays(100), withDesc(a.Text), func(e *Exception) { e.Target = string(c.Target) }))
						from = append(from, a)
					}
				}
			}
			type pair struct{ a, b string }
			byWords, byIdentity := map[pair]bool{}, map[pair]bool{}
			key := func(x, y *benchresult.Check) pair {
				a, b := string(x.Target)+"/"+x.ID, string(y.Target)+"/"+y.ID
				if a > b {
					a, b = b, a
				}
				return pair{a, b}
			}
			ev := Evaluate(f, checks, today, -1)
			for k, s := range ev.Statuses {
				e, a := s.Exception, from[k]
				c := ctl[e.Target+"/"+e.CheckID]
				if s.Matches > 0 {
					byIdentity[key(a, c)] = true
				}
				if sameControl(e.CheckDescription, words(e.CheckDescription), words(c.Text)) {
					byWords[key(a, c)] = true
				}
			}
			t.Logf("%s: pairs of different controls called the same: %d by words, %d by identity (%d ordered pairs with texts alike left out)", b.ID, len(byWords), len(byIdentity), alike)
			for p := range byIdentity {
				t.Errorf("%s: %s and %s are different controls, but an exception for one accepts the other", b.ID, p.a, p.b)
			}
		})
	}
}

// wordsAlike reports whether two texts are the same words but for the
// verb they start with, dashes and an assessment status ("(Not
// Applicable)" is one NormalizeText keeps): no description tells them
// apart.
func wordsAlike(a, b string) bool {
	fold := func(s string) string {
		s = strings.ReplaceAll(benchresult.NormalizeText(s), "(not applicable)", "")
		var out []string
		for _, w := range strings.Fields(strings.ReplaceAll(s, "-", "")) {
			if w != "ensure" && w != "verify" {
				out = append(out, w)
			}
		}
		return strings.Join(out, " ")
	}
	return fold(a) == fold(b)
}

func identityOf(t *testing.T, c *benchresult.Check) catalog.Identity {
	t.Helper()
	x, ok := catalog.Lookup(c.Benchmark, string(c.Target), c.ID)
	if !ok {
		t.Fatalf("%s: no %s %s", c.Benchmark, c.Target, c.ID)
	}
	return x.Identity
}
