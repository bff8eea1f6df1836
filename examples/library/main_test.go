package main

import (
	"testing"

	"github.com/bench-action/bench-action/exceptions"
)

// TestRun runs the example on the fleet shipped in examples/: the
// pull-request variant regressed one control, so the verdict is fail.
func TestRun(t *testing.T) {
	today := exceptions.Date{Year: 2026, Month: 11, Day: 26}
	code, err := run("../results-pr", "../.kube-bench-baseline.json", "../kube-bench-exceptions.yaml", today)
	if err != nil || code != 1 {
		t.Errorf("results-pr: exit %d, %v; want 1 (one new FAIL)", code, err)
	}
	code, err = run("../results", "../.kube-bench-baseline.json", "../kube-bench-exceptions.yaml", today)
	if err != nil || code != 0 {
		t.Errorf("results: exit %d, %v; want 0", code, err)
	}
}
