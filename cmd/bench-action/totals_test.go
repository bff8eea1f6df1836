package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// summaryOnlyText is what kube-bench prints with --noresults --noremediations.
const summaryOnlyText = "== Summary master ==\n49 checks PASS\n5 checks FAIL\n5 checks WARN\n0 checks INFO\n\n" +
	"== Summary node ==\n15 checks PASS\n4 checks FAIL\n5 checks WARN\n0 checks INFO\n\n" +
	"== Summary total ==\n64 checks PASS\n9 checks FAIL\n10 checks WARN\n0 checks INFO\n\n"

// fixtureLikeJSON is shaped like kube-bench's own test fixtures: one result
// per group, the full totals.
const fixtureLikeJSON = `{"Controls":[{"id":"1","version":"cis-1.10","text":"Control Plane Security Configuration","node_type":"master","tests":[` +
	`{"section":"1.1","desc":"Files","results":[{"test_number":"1.1.1","test_desc":"a","status":"PASS","scored":true}]},` +
	`{"section":"1.2","desc":"API Server","results":[{"test_number":"1.2.1","test_desc":"b","status":"WARN","scored":false}]},` +
	`{"section":"1.3","desc":"Controller Manager","results":[{"test_number":"1.3.1","test_desc":"c","status":"PASS","scored":true}]}],` +
	`"total_pass":49,"total_fail":12,"total_warn":14,"total_info":0}],"Totals":{"total_pass":49,"total_fail":12,"total_warn":14,"total_info":0}}`

func writeInput(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSummaryOnlyInputs: report prints a summary-only output's totals and
// says it has no per-check results; every command that needs them refuses
// it, exit 2, with the reason.
func TestSummaryOnlyInputs(t *testing.T) {
	t.Parallel()
	in := writeInput(t, "cp-1.txt", summaryOnlyText)
	for _, format := range []string{"text", "markdown"} {
		code, out, stderr := runCLI(t, "", "report", "--format", format, in)
		if code != exitPass {
			t.Fatalf("report --format %s: exit %d: %s", format, code, stderr)
		}
		for _, want := range []string{"64", "no per-check results: cp-1 (" + in + ") holds only kube-bench's summary"} {
			if !strings.Contains(out, want) {
				t.Errorf("report --format %s does not say %q:\n%s", format, want, out)
			}
		}
	}
	code, out, stderr := runCLI(t, "", "report", "--format", "json", in)
	if code != exitPass {
		t.Fatalf("report --format json: exit %d: %s", code, stderr)
	}
	var doc struct {
		Totals map[string]int
		Checks []any
		Inputs []struct {
			Coverage string
			ByTarget map[string]map[string]int `json:"by_target"`
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]int{"pass": 64, "fail": 9, "warn": 10, "info": 0}, doc.Totals); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	if len(doc.Checks) != 0 || len(doc.Inputs) != 1 || doc.Inputs[0].Coverage != "summary-only" || doc.Inputs[0].ByTarget["node"]["pass"] != 15 {
		t.Errorf("checks %v, inputs %+v; want none, one summary-only input with its targets", doc.Checks, doc.Inputs)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"gate"}, "bench-action gate: nothing to gate on: " + in + " holds only kube-bench's summary, no per-check results; run kube-bench without --noresults\n"},
		{[]string{"gate", "--fail-on", "none"}, "nothing to gate on: " + in},
		{[]string{"baseline", "--output", filepath.Join(t.TempDir(), "b.json")}, "bench-action baseline: nothing to baseline: " + in},
		{[]string{"metrics", "--textfile", filepath.Join(t.TempDir(), "m.prom")}, "nothing to export as metrics: " + in},
		{[]string{"trend", "append", "--history", filepath.Join(t.TempDir(), "h.jsonl")}, "nothing to record: " + in},
	} {
		code, out, stderr := runCLI(t, "", append(tc.args, in)...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

// TestInputsThatDisagreeWithThemselves: no command exits 0 with totals
// that differ from the input's own; report --trust-totals prints the stated
// ones and says the checks are incomplete.
func TestInputsThatDisagreeWithThemselves(t *testing.T) {
	t.Parallel()
	in := writeInput(t, "fixture.json", fixtureLikeJSON)
	const says = `the input disagrees with itself: its "Totals" says 49 PASS, 12 FAIL, 14 WARN, 0 INFO but its results count 2 PASS, 0 FAIL, 1 WARN, 0 INFO`
	for _, tc := range []struct {
		args []string
		hint string
	}{
		{[]string{"report"}, "with --trust-totals, report shows the totals such an input states"},
		{[]string{"report", "--format", "json"}, "--trust-totals"},
		{[]string{"gate", "--fail-on", "none"}, "cannot be gated"},
		{[]string{"baseline", "--output", filepath.Join(t.TempDir(), "b.json")}, "cannot be gated, baselined or recorded"},
	} {
		code, out, stderr := runCLI(t, "", append(tc.args, in)...)
		if code != exitUsage || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want 2 and nothing", tc.args, code, out)
		}
		for _, want := range []string{"read " + in + ": line 1: " + says, tc.hint} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%v: stderr %q does not say %q", tc.args, stderr, want)
			}
		}
		if strings.Contains(stderr, "misread") {
			t.Errorf("%v: stderr %q blames the parser", tc.args, stderr)
		}
	}
	code, _, stderr := runCLI(t, "", "gate", "--trust-totals", in)
	if code != exitUsage || !strings.Contains(stderr, "unknown flag --trust-totals") {
		t.Errorf("gate --trust-totals: exit %d, %q; want 2, an unknown flag", code, stderr)
	}

	code, out, stderr := runCLI(t, "", "report", "--trust-totals", "--format", "json", in)
	if code != exitPass {
		t.Fatalf("report --trust-totals: exit %d: %s", code, stderr)
	}
	var doc struct {
		Totals map[string]int
		Checks []any
		Inputs []struct {
			Coverage string
			Counted  map[string]int
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]int{"pass": 49, "fail": 12, "warn": 14, "info": 0}, doc.Totals); d != "" {
		t.Errorf("totals (-want +got):\n%s", d)
	}
	if len(doc.Checks) != 3 || doc.Inputs[0].Coverage != "incomplete" || doc.Inputs[0].Counted["pass"] != 2 {
		t.Errorf("%d checks, input %+v; want 3, incomplete, 2 PASS counted", len(doc.Checks), doc.Inputs)
	}
	code, out, stderr = runCLI(t, "", "report", "--trust-totals", in)
	want := "checks incomplete: fixture (" + in + ") states 49 PASS, 12 FAIL, 14 WARN, 0 INFO but lists 2 PASS, 0 FAIL, 1 WARN, 0 INFO (read with --trust-totals)"
	if code != exitPass || !strings.Contains(out, want) || !strings.Contains(out, "total    49    12    14     0") {
		t.Errorf("report --trust-totals: exit %d, stderr %q, stdout:\n%s\nwant it to say %q and the stated total", code, stderr, out, want)
	}
	// A complete input reads the same with the flag.
	good := writeInput(t, "good.txt", strings.Replace(summaryOnlyText, "== Summary master ==", "[INFO] 1 Control Plane Security Configuration\n[INFO] 1.1 Files\n[PASS] 1.1.1 ok\n\n== Summary master ==", 1))
	code, _, stderr = runCLI(t, "", "report", "--trust-totals", good)
	if code != exitPass {
		t.Errorf("report --trust-totals of a partly summary-only text: exit %d, %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "", "report", good)
	if code != exitUsage || !strings.Contains(stderr, `"== Summary total ==" says 64 PASS, 9 FAIL, 10 WARN, 0 INFO but its results count 1 PASS, 0 FAIL, 0 WARN, 0 INFO, and 2 more of its totals disagree`) {
		t.Errorf("report of a partly summary-only text: exit %d, %q; want 2 and the disagreement", code, stderr)
	}
}
