package render_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// markdownBodies are the comment, summary and issue bodies a person reads.
func markdownBodies(t *testing.T) map[string]string {
	t.Helper()
	v := testfleet.Scenario(t)
	out := map[string]string{
		"scenario comment": comment(t, v, render.MarkdownOptions{Comment: true, Links: render.Links{Blob: demoBlob}}),
		"scenario summary": comment(t, v, render.MarkdownOptions{}),
		"scenario, PR changes exceptions": comment(t, v, render.MarkdownOptions{Comment: true,
			ExceptionChanges: verdict.CompareExceptions(scenarioBase(t), v.Config.Exceptions, v)}),
		"demo comment": comment(t, gate(t, demoNodes("results-pr"), demoNodes("results"), demoExceptions(t, false)), render.MarkdownOptions{Comment: true}),
		"62 nodes":     comment(t, gate(t, fleet62(true), fleet62(false), demoExceptions(t, false)), render.MarkdownOptions{Comment: true}),
	}
	for _, is := range mustIssues(t, v) {
		out["issue "+is.Owner] = is.Body
	}
	return out
}

var headingRE = regexp.MustCompile(`^(#{1,6}) `)

// TestHeadingsInOrder: a comment has one h3, its headline, then h4s; an
// issue only h3s; no heading inside a collapsed section.
func TestHeadingsInOrder(t *testing.T) {
	t.Parallel()
	for name, body := range markdownBodies(t) {
		inDetails, first := false, true
		for i, line := range strings.Split(body, "\n") {
			switch {
			case strings.HasPrefix(line, "<details>"):
				inDetails = true
			case strings.HasPrefix(line, "</details>"):
				inDetails = false
			}
			m := headingRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			level := len(m[1])
			want := 4
			if first || strings.HasPrefix(name, "issue") {
				want = 3
			}
			first = false
			if level != want {
				t.Errorf("%s: line %d: h%d, want h%d: %s", name, i+1, level, want, line)
			}
			if inDetails {
				t.Errorf("%s: line %d: a heading inside <details>: %s", name, i+1, line)
			}
		}
	}
}

// TestCellsDoNotBreak: no table cell holds a date, an owner, a node name
// or a flag with a hyphen a browser may break at, and no date anywhere.
func TestCellsDoNotBreak(t *testing.T) {
	t.Parallel()
	breakable := regexp.MustCompile(`\d{4}-\d\d-\d\d|--[A-Za-z]|platform-team|infrastructure-team|worker-\d|\bcp-\d|\bw-\d`)
	date := regexp.MustCompile(`\d{4}-\d\d-\d\d`)
	for name, body := range markdownBodies(t) {
		for i, line := range strings.Split(body, "\n") {
			if m := date.FindString(line); m != "" {
				t.Errorf("%s: line %d: the date %s may break at a hyphen: %s", name, i+1, m, line)
			}
			if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") {
				continue
			}
			for _, cell := range strings.Split(line, " | ") {
				if m := breakable.FindString(cell); m != "" {
					t.Errorf("%s: line %d: a cell breaks at the hyphen of %q: %s", name, i+1, m, cell)
				}
			}
		}
	}
}

// TestHeadlineNamesTheControl: the first line says what the pull request
// broke, where and whose, or the worst of several.
func TestHeadlineNamesTheControl(t *testing.T) {
	t.Parallel()
	bodies := markdownBodies(t)
	for name, want := range map[string]string{
		"demo comment":     "### ❌ New FAIL: 1.2.15 `--profiling` not false on cp-1 (platform-team)",
		"62 nodes":         "### ❌ 4 new FAILs, worst: 4.2.4 kubelet's unauthenticated read-only port",
		"scenario comment": "### ❌ New FAIL: 4.2.2 `--authorization-mode` has AlwaysAllow on w-2 (infrastructure-team)",
	} {
		if got := strings.SplitN(bodies[name], "\n", 3)[1]; got != want {
			t.Errorf("%s: headline\n%s\nwant\n%s", name, got, want)
		}
	}
}

// TestTextHeadline: gate's text for a CI log has the comment's headline
// as its second line, in plain text: no code spans, no escapes.
func TestTextHeadline(t *testing.T) {
	t.Parallel()
	text := func(v *verdict.Verdict) string {
		var b strings.Builder
		if err := render.WriteText(&b, v); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for name, tt := range map[string]struct {
		v    *verdict.Verdict
		want string
	}{
		"demo":      {gate(t, demoNodes("results-pr"), demoNodes("results"), demoExceptions(t, false)), "New FAIL: 1.2.15 --profiling not false on cp-1 (platform-team)"},
		"62 nodes":  {gate(t, fleet62(true), fleet62(false), demoExceptions(t, false)), "4 new FAILs, worst: 4.2.4 kubelet's unauthenticated read-only port"},
		"scenario":  {testfleet.Scenario(t), "New FAIL: 4.2.2 --authorization-mode has AlwaysAllow on w-2 (infrastructure-team)"},
		"no change": {gate(t, demoNodes("results"), demoNodes("results"), demoExceptions(t, false)), "No new FAILs (14 controls already failing)"},
	} {
		if got := strings.SplitN(text(tt.v), "\n", 3)[1]; got != tt.want {
			t.Errorf("%s: second line\n%s\nwant\n%s", name, got, tt.want)
		}
	}
}

// TestUnusedOnlyWhenTheFileChanges: the comment of a pull request that
// leaves the exceptions file alone does not ask to remove unused
// exceptions; one that changes the file, the job summary and the issues
// do, and the pull request's own exceptions appear once, with their state.
func TestUnusedOnlyWhenTheFileChanges(t *testing.T) {
	t.Parallel()
	bodies := markdownBodies(t)
	if b := bodies["scenario comment"]; strings.Contains(b, "unused") || strings.Contains(b, "remove it") {
		t.Errorf("the comment of a pull request that does not touch the exceptions file lists unused exceptions:\n%s", b)
	}
	if b := bodies["scenario summary"]; !strings.Contains(b, "**unused** 1.2.11") {
		t.Errorf("the job summary does not list the unused exception:\n%s", b)
	}
	changed := bodies["scenario, PR changes exceptions"]
	for _, line := range []string{"exceptions.yaml:14", "exceptions.yaml:20", "exceptions.yaml:26"} {
		if n := strings.Count(changed, line); n != 1 {
			t.Errorf("%s appears %d times, want once (with its change and its state):\n%s", line, n, changed)
		}
	}
	for _, want := range []string{
		"**changed** 4.2.1 (infrastructure-team): review date 2026\u201109\u201101 → 2026\u201111\u201101",
		"**changed** 1.2.17 → 1.2.16 (platform-team)",
		"**Now retargeted**",
		"**added** 1.2.11 (platform-team)",
		"**Now unused**: no FAIL to accept: 1.2.11 is PASS (2 results); remove it",
	} {
		if !strings.Contains(changed, want) {
			t.Errorf("the comment lacks %q:\n%s", want, changed)
		}
	}
}

// TestCouldNotCheckIsACollectionProblem: an audit kube-bench could not run
// is not in the FAIL tables, and its reason is one clean line.
func TestCouldNotCheckIsACollectionProblem(t *testing.T) {
	t.Parallel()
	b := markdownBodies(t)["scenario comment"]
	for _, line := range strings.Split(b, "\n") {
		if strings.HasPrefix(line, "| 4.3.1 ") {
			t.Errorf("4.3.1, which could not be checked, is a table row: %s", line)
		}
	}
	want := "- **4.3.1** kube-proxy metrics service is bound to localhost, on all 4 nodes: `failed to run: \"/bin/ps -fC proxy\", output: \"UID PID PPID C STIME TTY TIME CMD\", error: exit status 1`"
	if !strings.Contains(b, "Could not check: 1 control (4 nodes), a collection problem") || !strings.Contains(b, want) {
		t.Errorf("no could-not-check section with\n%s\nin:\n%s", want, b)
	}
	if strings.Contains(b, `\n`) {
		t.Errorf("a literal \\n in the comment:\n%s", b)
	}
}

// TestAnnotationsOnePersistingLine: new FAILs are errors; FAILs already
// in the baseline are one notice, not a warning per control per run.
func TestAnnotationsOnePersistingLine(t *testing.T) {
	t.Parallel()
	v := testfleet.Scenario(t)
	var errs, notices int
	for _, a := range render.Annotations(v, render.MaxAnnotations) {
		if strings.Contains(a.Title, "in the baseline") && a.Level != "notice" {
			t.Errorf("a %s per persisting control: %+v", a.Level, a)
		}
		switch {
		case a.Level == "error" && strings.HasPrefix(a.Title, "New CIS"):
			errs++
		case a.Level == "notice":
			notices++
			if want := "16 controls already failing in the baseline (4 nodes) and 1 control kube-bench could not check, listed in the job summary"; a.Message != want {
				t.Errorf("notice %q, want %q", a.Message, want)
			}
		case strings.HasPrefix(a.Title, "Drift 4.2.2"):
			t.Errorf("drift of a control listed as a new FAIL: %+v", a)
		}
	}
	if errs != 1 || notices != 1 {
		t.Errorf("%d new-FAIL errors and %d notices, want 1 and 1", errs, notices)
	}
}

// TestWhereSetAddsALine: a tracer's line becomes "Where it is set" in
// the new FAIL's fix; it is asked for the new FAILs only.
func TestWhereSetAddsALine(t *testing.T) {
	t.Parallel()
	v := gate(t, demoNodes("results-pr"), demoNodes("results"), demoExceptions(t, false))
	var asked []string
	opts := render.MarkdownOptions{Comment: true, WhereSet: func(g verdict.FindingGroup) string {
		asked = append(asked, g.Control.ID)
		return "[kube-apiserver.yaml:17](" + demoBlob + "/kube-apiserver.yaml#L17): `--profiling=true`"
	}}
	b := comment(t, v, opts)
	want := "\nWhere it is set: [kube-apiserver.yaml:17](" + demoBlob + "/kube-apiserver.yaml#L17): `--profiling=true`\n"
	if !strings.Contains(b, want) {
		t.Errorf("no %q in:\n%s", want, b)
	}
	if strings.Join(asked, ",") != "1.2.15" {
		t.Errorf("WhereSet asked for %q, want the new FAIL 1.2.15 only", asked)
	}
}
