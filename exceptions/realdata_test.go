package exceptions

import (
	"testing"
	"time"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/google/go-cmp/cmp"
)

// TestSeedExceptionsOnRealResults evaluates the two exceptions of SEED.md
// step 5, verbatim, against real kube-bench v0.14.1 output, on a day both
// still hold (2026-07-01), and records what really happens:
//
//   - 1.2.11 "AlwaysPullImages admission plugin": the id still names that
//     control in cis-1.8 and cis-1.10, but kube-bench marks it Manual and
//     reports WARN (insecure node) or PASS (mixed node), never FAIL. The
//     exception has nothing to accept: unused.
//   - 4.2.12 "RotateKubeletServerCertificate": the id was right up to
//     cis-1.24; since cis-1.7 the control is 4.2.11 and 4.2.12 is "Strong
//     Cryptographic Ciphers". Retargeted, with "did you mean 4.2.11?". (The
//     seed's filter, keyed on the id alone, would have silenced a FAIL of the
//     ciphers control.)
//
// The corrected file, examples/kube-bench-exceptions.yaml, is checked too.
func TestSeedExceptionsOnRealResults(t *testing.T) {
	t.Parallel()
	day := Date{2026, time.July, 1}
	seed, err := LoadFile("testdata/seed.yaml", ParseOptions{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		ID, State, Suggestion string
		Matches               int
	}
	tests := []struct {
		fixture string
		want    []row
	}{
		{"v0.14.1-cis-1.8-insecure.json", []row{{"1.2.11", "unused", "", 0}, {"4.2.12", "retargeted", "did you mean 4.2.11?", 0}}},
		{"v0.14.1-cis-1.10-insecure.json", []row{{"1.2.11", "unused", "", 0}, {"4.2.12", "retargeted", "did you mean 4.2.11?", 0}}},
		{"v0.14.1-cis-1.10-mixed.json", []row{{"1.2.11", "unused", "", 0}, {"4.2.12", "retargeted", "did you mean 4.2.11?", 0}}},
		{"v0.8.0-cis-1.8-mixed.json", []row{{"1.2.11", "unused", "", 0}, {"4.2.12", "retargeted", "did you mean 4.2.11?", 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			t.Parallel()
			checks := fixtureChecks(t, tt.fixture)
			ev := Evaluate(seed, checks, day, 14)
			var got []row
			for _, s := range ev.Statuses {
				got = append(got, row{s.Exception.CheckID, s.State.String(), s.Suggestion, s.Matches})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("seed exceptions on %s (-want +got):\n%s", tt.fixture, diff)
			}
			if len(ev.Accepted) != 0 {
				t.Errorf("accepted %d FAILs, want none", len(ev.Accepted))
			}
		})
	}
}

// TestSeedFilterWouldSilenceAnotherControl shows why the description guard
// matters: were 4.2.12 to FAIL (the ciphers control), the seed's id-only
// filter would hide it, while Evaluate leaves it open.
func TestSeedFilterWouldSilenceAnotherControl(t *testing.T) {
	t.Parallel()
	seed, err := LoadFile("testdata/seed.yaml", ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checks := fixtureChecks(t, "v0.14.1-cis-1.10-insecure.json")
	for i := range checks {
		if checks[i].ID == "4.2.12" {
			checks[i].Status = benchresult.Fail
		}
	}
	ev := Evaluate(seed, checks, Date{2026, time.July, 1}, 14)
	if len(ev.Accepted) != 0 || ev.Statuses[1].State != Retargeted {
		t.Errorf("accepted = %v, 4.2.12 state = %v; want nothing accepted and retargeted", ev.Accepted, ev.Statuses[1].State)
	}
}

// TestExampleFile checks examples/kube-bench-exceptions.yaml: valid on
// 2026-11-26, and what it does on real cis-1.10 results.
func TestExampleFile(t *testing.T) {
	t.Parallel()
	f, err := LoadFile("../examples/kube-bench-exceptions.yaml", ParseOptions{Now: today})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range f.Exceptions {
		if !e.ReviewDate.After(today) {
			t.Errorf("exception %s: review date %s is not after %s", e.CheckID, e.ReviewDate, today)
		}
	}
	checks := fixtureChecks(t, "v0.14.1-cis-1.10-insecure.json")
	ev := Evaluate(f, checks, today, 14)
	type row struct{ ID, State string }
	var got []row
	for _, s := range ev.Statuses {
		got = append(got, row{s.Exception.CheckID, s.State.String()})
	}
	// On the insecure node kube-bench reports both controls as
	// Manual/WARN or PASS: nothing to accept, so both are unused there; no
	// longer retargeted.
	want := []row{{"1.2.11", "unused"}, {"4.2.11", "unused"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("example file on cis-1.10 (-want +got):\n%s", diff)
	}
	owners := map[string]string{}
	for i := range checks {
		c := &checks[i]
		owners[c.ID[:1]] = f.OwnerOf(c, ev)
	}
	wantOwners := map[string]string{"1": "platform-team", "2": "platform-team", "3": "platform-team", "4": "infrastructure-team", "5": "security-team"}
	if diff := cmp.Diff(wantOwners, owners); diff != "" {
		t.Errorf("owners by section (-want +got):\n%s", diff)
	}
}
