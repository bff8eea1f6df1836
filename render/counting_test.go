package render_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// mixedScenario is the scenario with one node of a real FAIL turned into a
// FAIL kube-bench could not check: 4.2.1 fails on cp-1 and w-2 and could
// not be checked on w-1.
func mixedScenario(t *testing.T) *verdict.Verdict {
	t.Helper()
	v := testfleet.Scenario(t)
	marked := 0
	for i := range v.Report.Checks {
		c := &v.Report.Checks[i]
		if c.ID == "4.2.1" && c.Node == "w-1" && c.Status == benchresult.Fail {
			c.Reason = "failed to run: /bin/ps -fC kubelet"
			marked++
		}
	}
	if marked != 1 {
		t.Fatalf("marked %d checks, want 1 (4.2.1 on w-1)", marked)
	}
	return v
}

// TestTextSeparatesCouldNotCheck: a FAIL whose audit did not run is listed
// apart from real FAILs, also when the same control really fails on other
// nodes, and the counts line says how many there are.
func TestTextSeparatesCouldNotCheck(t *testing.T) {
	t.Parallel()
	v := mixedScenario(t)
	var b bytes.Buffer
	if err := render.WriteText(&b, v); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	real := section(t, out, "== Persisting FAILs, already in the baseline:")
	unchecked := section(t, out, "== Persisting FAILs, could not check (the audit did not run), already in the baseline:")
	for _, want := range []struct{ in, text string }{
		{real, "[FAIL] 4.2.1 Ensure that the --anonymous-auth argument is set to false (Automated)\n       nodes: cp-1, w-2; owner: infrastructure-team\n"},
		{unchecked, "[FAIL, could not check] 4.2.1 Ensure that the --anonymous-auth argument is set to false (Automated)\n       nodes: w-1; owner: infrastructure-team\n       reason: failed to run: /bin/ps -fC kubelet\n"},
		{unchecked, "[FAIL, could not check] 4.3.1 "},
		{out, "44 open (1 new, 43 persisting; 5 could not be checked; 29 failed, Manual in the benchmark)"},
	} {
		if !strings.Contains(want.in, want.text) {
			t.Errorf("want %q in:\n%s", want.text, want.in)
		}
	}
	if strings.Contains(real, "4.3.1") || strings.Contains(real, "w-1;") {
		t.Errorf("a FAIL that could not be checked is listed with the real FAILs:\n%s", real)
	}
	// The section headers add up to the counts line: 14 persisting results.
	if n := headerResults(t, real) + headerResults(t, unchecked); n != v.Counts.Persisting {
		t.Errorf("persisting sections hold %d results, counts say %d", n, v.Counts.Persisting)
	}
}

// TestMarkdownSplitsMixedControl: a control that failed on some nodes and
// could not be checked on others is a table row for the nodes where it
// failed and an item of "Could not check" for the others.
func TestMarkdownSplitsMixedControl(t *testing.T) {
	t.Parallel()
	v := mixedScenario(t)
	var b bytes.Buffer
	if err := render.WriteMarkdown(&b, v, render.MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	var rows, items []string
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| 4.2.1 |") {
			rows = append(rows, line)
		}
		if strings.HasPrefix(line, "- **4.2.1** ") && strings.Contains(line, "could not") || strings.HasPrefix(line, "- **4.2.1** ") && strings.Contains(line, "failed to run") {
			items = append(items, line)
		}
	}
	nb := func(s string) string { return strings.ReplaceAll(s, "-", "\u2011") }
	wantRow := "| 4.2.1 | Ensure that the " + nb("--anonymous-auth") + " argument is set to false (Automated) | " + nb("cp-1") + ", " + nb("w-2") + " | " + nb("infrastructure-team") + " |"
	if len(rows) != 1 || rows[0] != wantRow {
		t.Errorf("4.2.1 rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), wantRow)
	}
	wantItem := "- **4.2.1** --anonymous-auth argument is set to false, on w-1: `failed to run: /bin/ps -fC kubelet`"
	if len(items) != 1 || items[0] != wantItem {
		t.Errorf("4.2.1 could-not-check items:\n%s\nwant:\n%s", strings.Join(items, "\n"), wantItem)
	}
	if i, j := strings.Index(out, "Could not check: 2 controls (4 nodes), a collection problem"), strings.Index(out, wantItem); i < 0 || j < i {
		t.Errorf("no \"Could not check\" section holding 4.2.1 on w-1:\n%s", out)
	}
}

// TestCountsNameTheirUnit: no rendered count is "N thing(s)" or a plural
// noun after 1, in every output a person reads.
func TestCountsNameTheirUnit(t *testing.T) {
	t.Parallel()
	v := testfleet.Scenario(t)
	outputs := map[string]func(*bytes.Buffer) error{
		"gate text":       func(b *bytes.Buffer) error { return render.WriteText(b, v) },
		"gate markdown":   func(b *bytes.Buffer) error { return render.WriteMarkdown(b, v, render.MarkdownOptions{}) },
		"report text":     func(b *bytes.Buffer) error { return render.WriteReportText(b, v.Report) },
		"report markdown": func(b *bytes.Buffer) error { return render.WriteReportMarkdown(b, v.Report) },
	}
	bad := regexp.MustCompile(`\b\d+ [a-z ]*\w\(s\)|\b1 (controls|results|nodes|exceptions|FAILs)\b|\(\d+ controls?\)`)
	for name, render := range outputs {
		var b bytes.Buffer
		if err := render(&b); err != nil {
			t.Fatal(err)
		}
		if m := bad.FindAllString(b.String(), -1); m != nil {
			t.Errorf("%s: counts without a proper unit: %q", name, m)
		}
		switch {
		case name == "gate markdown":
			// Counted in controls only, nodes in brackets.
			if m := resultCount.FindAllString(b.String(), -1); m != nil {
				t.Errorf("%s: counts results, not controls: %q", name, m)
			}
		case !strings.Contains(b.String(), "one control on one node"):
			t.Errorf("%s: does not say what a result is", name)
		}
	}
	for _, is := range mustIssues(t, v) {
		if m := bad.FindAllString(is.Title+"\n"+is.Body, -1); m != nil {
			t.Errorf("issue %s: counts without a proper unit: %q", is.Owner, m)
		}
	}
}

// resultCount is a count of results ("44 open FAIL results") in the
// Markdown, which counts controls. kube-bench's own detail texts ("is PASS
// (2 results)") are in parentheses.
var resultCount = regexp.MustCompile(`[^(]\b\d+ (open |new )?(FAIL )?results?\b`)

func mustIssues(t *testing.T, v *verdict.Verdict) []render.TrackingIssue {
	t.Helper()
	issues, err := render.TrackingIssues(v, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	return issues
}

// section returns the text of the "== ... ==" section whose header starts
// with prefix, up to the next blank line.
func section(t *testing.T, out, prefix string) string {
	t.Helper()
	i := strings.Index(out, "\n"+prefix)
	if i < 0 {
		t.Fatalf("no section %q in:\n%s", prefix, out)
	}
	s := out[i+1:]
	if j := strings.Index(s, "\n\n"); j >= 0 {
		s = s[:j+1]
	}
	return s
}

var resultsInHeader = regexp.MustCompile(`: \d+ controls?, (\d+) results? ==`)

// headerResults reads N from a section header "...: C controls, N results ==".
func headerResults(t *testing.T, sec string) int {
	t.Helper()
	m := resultsInHeader.FindStringSubmatch(strings.SplitN(sec, "\n", 2)[0])
	if m == nil {
		t.Fatalf("no result count in the header of:\n%s", sec)
	}
	n := 0
	for _, d := range m[1] {
		n = n*10 + int(d-'0')
	}
	return n
}
