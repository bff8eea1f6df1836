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

// TestCompareExceptionsPairsRenamed: an exception whose check_id changed
// is one change with its old version, not a removal and an addition.
func TestCompareExceptionsPairsRenamed(t *testing.T) {
	t.Parallel()
	parse := func(src string) *exceptions.File {
		f, err := exceptions.Parse([]byte(src), "x.yaml", exceptions.ParseOptions{Now: testfleet.Today})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	entry := func(id, owner, reason, date string) string {
		return "  - check_id: \"" + id + "\"\n    reason: \"" + reason + "\"\n    owner: " + owner + "\n    review_date: \"" + date + "\"\n    risk_accepted_by: a\n"
	}
	base := parse("exceptions:\n" + entry("1.2.16", "o", "profiling", "2026-12-01") + entry("4.2.1", "o", "lb", "2026-12-01") + entry("5.1.1", "p", "lb", "2026-12-01"))
	head := parse("exceptions:\n" + entry("1.2.15", "o", "profiling", "2027-03-01") + entry("4.2.1", "o", "lb", "2027-01-01") + entry("5.1.2", "q", "lb", "2026-12-01"))
	got := []string{}
	for _, ch := range verdict.CompareExceptions(base, head, nil) {
		s := ch.Kind + " " + ch.Exception.CheckID + " " + ch.Exception.ReviewDate.String()
		if ch.Old != nil {
			s += " was " + ch.Old.CheckID + " " + ch.Old.ReviewDate.String()
		}
		got = append(got, s)
	}
	// 5.1.1 → 5.1.2 changed owner too: another exception, not a rename.
	want := []string{
		"changed 1.2.15 2027-03-01 was 1.2.16 2026-12-01",
		"changed 4.2.1 2027-01-01 was 4.2.1 2026-12-01",
		"added 5.1.2 2026-12-01",
		"removed 5.1.1 2026-12-01",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
