package exceptions

import (
	"flag"
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
// It takes about a minute: run it with -census.
func TestCensusSameControl(t *testing.T) {
	if !*census {
		t.Skip("the census evaluates every pair of controls: -census runs it")
	}
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
			for i := range checks {
				ctl[string(checks[i].Target)+"/"+checks[i].ID] = &checks[i]
			}
			for i := range checks {
				for j := range checks {
					a, c := &checks[i], &checks[j]
					// Controls with one text (--profiling of three components)
					// cannot be told apart by a description: left out.
					if i != j && identityOf(t, a) != identityOf(t, c) && c.ID != a.ID && benchresult.NormalizeText(a.Text) != benchresult.NormalizeText(c.Text) {
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
			t.Logf("%s: pairs of different controls called the same: %d by words, %d by identity", b.ID, len(byWords), len(byIdentity))
			// The goal is 0 (issue 13); the matching is not there yet, so
			// the census holds it to no worse than the words.
			for p := range byIdentity {
				t.Logf("%s: %s and %s are different controls, but an exception for one accepts the other", b.ID, p.a, p.b)
			}
			if len(byIdentity) > len(byWords) {
				t.Errorf("%s: %d pairs by identity, more than the %d by words", b.ID, len(byIdentity), len(byWords))
			}
		})
	}
}

var census = flag.Bool("census", false, "run the census of control pairs")

func identityOf(t *testing.T, c *benchresult.Check) catalog.Identity {
	t.Helper()
	x, ok := catalog.Lookup(c.Benchmark, string(c.Target), c.ID)
	if !ok {
		t.Fatalf("%s: no %s %s", c.Benchmark, c.Target, c.ID)
	}
	return x.Identity
}
