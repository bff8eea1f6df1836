package verdict_test

import (
	"testing"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/verdict"
	"github.com/google/go-cmp/cmp"
)

func TestCompareExceptions(t *testing.T) {
	t.Parallel()
	parse := func(src string) *exceptions.File {
		f, err := exceptions.Parse([]byte(src), "x.yaml", exceptions.ParseOptions{Now: testfleet.Today})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	entry := func(id, reason string) string {
		return "  - check_id: \"" + id + "\"\n    reason: \"" + reason + "\"\n    owner: o\n    review_date: \"2027-01-01\"\n    risk_accepted_by: a\n"
	}
	base := parse("exceptions:\n" + entry("1.1.12", "old") + entry("4.1.1", "same") + entry("5.1.1", "gone"))
	// The PR accepts 4.2.2, the FAIL it introduced on w-2.
	head := parse("exceptions:\n" + entry("1.1.12", "new reason") + entry("4.1.1", "same") + entry("4.2.2", "silence my regression"))

	r := testfleet.Load(t, "scenario")
	v := verdict.Evaluate(r, verdict.Config{Exceptions: head, Baseline: baseline.FromChecks(testfleet.Load(t, "scenario-base").Checks), Now: testfleet.Today})
	got := []string{}
	for _, ch := range verdict.CompareExceptions(base, head, v) {
		s := ch.Kind + " " + ch.Exception.CheckID
		if ch.SilencesNew {
			s += " (silences a new FAIL)"
		}
		got = append(got, s)
	}
	want := []string{"added 4.2.2 (silences a new FAIL)", "changed 1.1.12", "removed 5.1.1"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !v.Pass {
		t.Logf("verdict: %v", v.Reasons)
	}
	if v.Counts.New != 0 || v.Counts.Accepted == 0 {
		t.Errorf("the new FAIL should be accepted: %+v", v.Counts)
	}
}
