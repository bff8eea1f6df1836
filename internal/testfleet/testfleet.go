// Package testfleet gives tests the module's shared fixtures: real
// kube-bench outputs (benchresult/testdata/kube-bench) and the scenario
// fleet that the verdict, render and action tests gate.
package testfleet

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// Today pins the clock of every scenario.
var Today = exceptions.Date{Year: 2026, Month: 11, Day: 26}

// dir is this package's directory, wherever the test runs from.
func dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// KubeBench is the path of a real kube-bench output of the module
// (benchresult/testdata/kube-bench/NAME).
func KubeBench(name string) string {
	return filepath.Join(dir(), "..", "..", "benchresult", "testdata", "kube-bench", name)
}

// Path is the path of a file of the scenario fleets
// (internal/testfleet/testdata/NAME).
func Path(name string) string { return filepath.Join(dir(), "testdata", name) }

// Load parses every *.json file of a scenario directory (a name under
// internal/testfleet/testdata) as the fleet of cluster "prod". Each file is
// named by its path relative to this package ("testdata/scenario/w-1.json"),
// so outputs that name it do not depend on the checkout.
func Load(t testing.TB, name string) *benchresult.Report {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(Path(name), "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("scenario %s: no *.json files in %s (%v)", name, Path(name), err)
	}
	var nrs []*benchresult.NodeResult
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(path)
		nr, err := benchresult.Parse(f, "testdata/"+name+"/"+base, benchresult.Options{Node: strings.TrimSuffix(base, ".json")})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		nrs = append(nrs, nr)
	}
	return benchresult.Merge("prod", nrs...)
}

// Scenario is a four-node cis-1.10 fleet (real kube-bench v0.14.1 output)
// whose worker w-2 regressed since the baseline, with five exceptions: two
// that accept FAILs (one expiring), one expired, one retargeted (written for
// cis-1.8's 1.2.16) and one unused (the seed's 1.2.11, a manual check),
// gated on new FAILs.
func Scenario(t testing.TB) *verdict.Verdict {
	t.Helper()
	r := Load(t, "scenario")
	base := baseline.FromChecks(Load(t, "scenario-base").Checks)
	// Parsed under its relative name, so that outputs naming the file
	// ("testdata/scenario/exceptions.yaml:12") do not depend on the checkout.
	data, err := os.ReadFile(Path("scenario/exceptions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := exceptions.Parse(data, "testdata/scenario/exceptions.yaml", exceptions.ParseOptions{Now: Today})
	if err != nil {
		t.Fatal(err)
	}
	return verdict.Evaluate(r, verdict.Config{Exceptions: ex, Baseline: base, FailOn: verdict.FailOnNew, WarnDays: 14, Now: Today})
}

// Hostile is a one-check fleet whose control text and remediation are
// text: for tests of what renderers make of hostile kube-bench output.
func Hostile(text string) *benchresult.Report {
	ctl := &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetNode, Section: "4.2", ID: "4.2.1",
		Text: text, Scored: true, Remediation: "fix it:\n```\n" + text + "\n```\n" + text}
	nr := &benchresult.NodeResult{Node: "w-1", Source: "w-1.json", Format: benchresult.FormatJSON, Benchmarks: []string{"cis-1.10"},
		Totals: benchresult.Totals{Fail: 1}, Checks: []benchresult.Check{{Control: ctl, Node: "w-1", Status: benchresult.Fail}}}
	return benchresult.Merge("prod", nr)
}
