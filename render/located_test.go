package render_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

const (
	apiServer = "configs/etc/kubernetes/manifests/kube-apiserver.yaml"
	kubelet   = "configs/var/lib/kubelet/config.yaml"
)

// fakeLocator locates checks by id.
type fakeLocator map[string]verdict.Location

func (f fakeLocator) Locate(c *benchresult.Check) (verdict.Location, bool) {
	l, ok := f[c.ID]
	return l, ok
}

// locatedVerdict is a hardened cluster whose PR turns on anonymous auth
// (1.2.1 on cp-1) and the kubelet's read-only port (4.2.4 on w-1), with
// the hardened set as baseline, traced by loc.
func locatedVerdict(t *testing.T, loc verdict.Locator) *verdict.Verdict {
	t.Helper()
	load := func(files map[string]string) *benchresult.Report {
		var nrs []*benchresult.NodeResult
		for _, node := range []string{"cp-1", "w-1"} {
			path := testfleet.KubeBench(files[node])
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			nr, err := benchresult.Parse(f, path, benchresult.Options{Node: node})
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			nrs = append(nrs, nr)
		}
		return benchresult.Merge("prod", nrs...)
	}
	base := baseline.FromChecks(load(map[string]string{"cp-1": "v0.14.1-cis-1.10-hardened.json", "w-1": "v0.14.1-cis-1.10-hardened.json"}).Checks)
	v := verdict.Evaluate(load(map[string]string{"cp-1": "v0.14.1-cis-1.10-hardened-anonymous.json", "w-1": "v0.14.1-cis-1.10-hardened-readonly.json"}),
		verdict.Config{Baseline: base})
	v.Locate(loc)
	return v
}

var tracedLocator = fakeLocator{
	"1.2.1": {File: apiServer, Line: 18, Setting: "--anonymous-auth", Current: "true",
		Fix: &verdict.LineFix{Line: 18, Old: "    - --anonymous-auth=true", New: "    - --anonymous-auth=false"}},
	"4.2.4": {File: kubelet, Line: 44, Setting: "readOnlyPort", Current: "10255",
		Fix: &verdict.LineFix{Line: 44, Old: "readOnlyPort: 10255", New: "readOnlyPort: 0"}},
	// A persisting FAIL located on a changed line gets no review comment.
	"1.1.12": {File: apiServer, Line: 18, Fix: &verdict.LineFix{Line: 18, New: "x"}},
}

func TestReviewSuggestionsOnChangedLinesOnly(t *testing.T) {
	t.Parallel()
	v := locatedVerdict(t, tracedLocator)
	type at struct {
		Path string
		Line int
	}
	for _, tc := range []struct {
		name    string
		changed map[string][]int
		want    []at
	}{
		{"the apiserver line", map[string][]int{apiServer: {18}}, []at{{apiServer, 18}}},
		{"both lines", map[string][]int{apiServer: {18}, kubelet: {44}}, []at{{apiServer, 18}, {kubelet, 44}}},
		{"a neighbouring line", map[string][]int{apiServer: {17, 19}}, nil},
		{"another file", map[string][]int{"configs/other.yaml": {18, 44}}, nil},
		{"nothing changed", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			changed := func(path string, line int) bool {
				for _, l := range tc.changed[path] {
					if l == line {
						return true
					}
				}
				return false
			}
			var got []at
			markers := map[string]bool{}
			for _, s := range render.ReviewSuggestions(v, changed) {
				got = append(got, at{s.Path, s.Line})
				if !strings.HasPrefix(s.Marker, render.ReviewMarkerPrefix("prod")) || !strings.HasPrefix(s.Body, s.Marker+"\n") || markers[s.Marker] {
					t.Errorf("marker %q of body %q: not the cluster's, not first, or twice", s.Marker, s.Body)
				}
				markers[s.Marker] = true
				fix := tracedLocator[map[string]string{apiServer: "1.2.1", kubelet: "4.2.4"}[s.Path]].Fix.New
				if !strings.Contains(s.Body, "\n```suggestion\n"+fix+"\n```\n") {
					t.Errorf("body of %s:%d has no suggestion of %q:\n%s", s.Path, s.Line, fix, s.Body)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("suggestions (-want +got):\n%s", d)
			}
		})
	}
}

func TestSuggestionBlockFenceAndDeletion(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, fix, want string }{
		{"backticks in the line", "    - --x=```y", "\n````suggestion\n    - --x=```y\n````\n"},
		{"a deleted line", "", "\n```suggestion\n```\n"},
		{"an added line", "    - command:\n    - --profiling=false", "\n```suggestion\n    - command:\n    - --profiling=false\n```\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := locatedVerdict(t, fakeLocator{"1.2.1": {File: apiServer, Line: 18, Fix: &verdict.LineFix{Line: 18, New: tc.fix}}})
			s := render.ReviewSuggestions(v, func(string, int) bool { return true })
			if len(s) != 1 || !strings.HasSuffix(s[0].Body, tc.want) {
				t.Fatalf("suggestions %+v, want one ending in %q", s, tc.want)
			}
		})
	}
}

func TestAnnotationsAtTheTracedLine(t *testing.T) {
	t.Parallel()
	v := locatedVerdict(t, tracedLocator)
	got := map[string]string{}
	for _, a := range render.Annotations(v, render.MaxAnnotations) {
		if strings.HasPrefix(a.Title, "New CIS") {
			got[a.Title] = a.File + ":" + strconv.Itoa(a.Line)
			if a.File != "" && !strings.Contains(a.Message, "set in "+a.File+" line ") {
				t.Errorf("annotation %q does not say where it is set: %s", a.Title, a.Message)
			}
		}
	}
	want := map[string]string{
		"New CIS failed Manual check 1.2.1": apiServer + ":18",
		"New CIS failed Manual check 4.2.4": kubelet + ":44",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("new FAIL annotations (-want +got):\n%s", d)
	}
}

func TestWhereSet(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		loc      verdict.Location
		text, md string
	}{
		{"a value", tracedLocator["1.2.1"],
			"set in " + apiServer + " line 18: --anonymous-auth is true; fix: - --anonymous-auth=false",
			"set in `" + apiServer + "` line 18: `--anonymous-auth` is `true`; fix: `- --anonymous-auth=false`"},
		{"absent, with a note", verdict.Location{File: "a.yaml", Line: 3, Setting: "--profiling", Note: "kube-bench reads the first --profiling"},
			"set in a.yaml line 3: --profiling is not set (kube-bench reads the first --profiling)",
			"set in `a.yaml` line 3: `--profiling` is not set (kube-bench reads the first --profiling)"},
		{"a deletion", verdict.Location{File: "a.yaml", Line: 3, Fix: &verdict.LineFix{Line: 4}},
			"set in a.yaml line 3; fix: delete line 4 of a.yaml",
			"set in `a.yaml` line 3; fix: delete line 4 of `a.yaml`"},
		{"lines joined", verdict.Location{File: "a.yaml", Line: 20, Setting: "--audit-log-maxage", Current: "true",
			Fix: &verdict.LineFix{Line: 20, EndLine: 21, Old: "    - --audit-log-maxage\n    - \"30\"", New: "    - --audit-log-maxage=30"}},
			"set in a.yaml line 20: --audit-log-maxage is true; fix: lines 20-21 become - --audit-log-maxage=30",
			"set in `a.yaml` line 20: `--audit-log-maxage` is `true`; fix: lines 20-21 become `- --audit-log-maxage=30`"},
		{"lines deleted", verdict.Location{File: "a.yaml", Line: 3, Fix: &verdict.LineFix{Line: 4, EndLine: 5}},
			"set in a.yaml line 3; fix: delete lines 4-5 of a.yaml",
			"set in `a.yaml` line 3; fix: delete lines 4-5 of `a.yaml`"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := render.WhereSet(&tc.loc); got != tc.text {
				t.Errorf("WhereSet:\n got %q\nwant %q", got, tc.text)
			}
			if got := render.WhereSetMarkdown(&tc.loc); got != tc.md {
				t.Errorf("WhereSetMarkdown:\n got %q\nwant %q", got, tc.md)
			}
		})
	}
}

// TestReviewSuggestionOnARange: a fix of lines 18-19 (a split flag
// joined) is one multi-line suggestion from 18 to 19, and only when the
// pull request changed both lines.
func TestReviewSuggestionOnARange(t *testing.T) {
	t.Parallel()
	join := "    - --anonymous-auth=false"
	v := locatedVerdict(t, fakeLocator{"1.2.1": {File: apiServer, Line: 18, Setting: "--anonymous-auth", Current: "true",
		Fix: &verdict.LineFix{Line: 18, EndLine: 19, Old: "    - --anonymous-auth\n    - \"true\"", New: join}}})
	type at struct{ Start, Line int }
	for _, tc := range []struct {
		name    string
		changed []int
		want    []at
	}{
		{"both lines changed", []int{18, 19}, []at{{18, 19}}},
		{"and more", []int{17, 18, 19, 20}, []at{{18, 19}}},
		{"the first only", []int{18}, nil},
		{"the last only", []int{19}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			changed := func(path string, line int) bool {
				for _, l := range tc.changed {
					if path == apiServer && l == line {
						return true
					}
				}
				return false
			}
			var got []at
			for _, s := range render.ReviewSuggestions(v, changed) {
				got = append(got, at{s.StartLine, s.Line})
				if !strings.HasSuffix(s.Body, "\n```suggestion\n"+join+"\n```\n") || !strings.Contains(s.Body, "These lines set `--anonymous-auth`") {
					t.Errorf("body of %d-%d:\n%s", s.StartLine, s.Line, s.Body)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("suggestions (-want +got):\n%s", d)
			}
		})
	}
}

// TestReportJSONWhere: the "where" array is added to the FAILs the
// locator finds, the rest of the document is WriteReportJSON's; a nil
// locator adds nothing.
func TestReportJSONWhere(t *testing.T) {
	t.Parallel()
	r := locatedVerdict(t, fakeLocator{}).Report
	var plain, none, with bytes.Buffer
	if err := render.WriteReportJSON(&plain, r); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteReportJSONWhere(&none, r, nil); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(plain.String(), none.String()); d != "" {
		t.Errorf("a nil locator changed the document (-plain +nil):\n%s", d)
	}
	// 1.2.1 is a WARN (a Manual check) here, 1.1.12 a FAIL
	loc := fakeLocator{"1.2.1": tracedLocator["1.2.1"], "1.1.12": {File: apiServer, Line: 5, Note: "n",
		Fix: &verdict.LineFix{File: kubelet, Line: 7, EndLine: 8, Old: "a\nb", New: "c"}}}
	if err := render.WriteReportJSONWhere(&with, r, loc); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Checks []struct {
			ID     string
			Status string
			Where  []render.WhereJSON
		}
	}
	if err := json.Unmarshal(with.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string][]render.WhereJSON{}
	for _, c := range doc.Checks {
		if c.Where != nil {
			got[c.ID+" "+c.Status] = c.Where
		}
	}
	want := map[string][]render.WhereJSON{"1.1.12 FAIL": {{File: apiServer, Line: 5, Note: "n",
		Fix: &render.FixJSON{File: kubelet, Line: 7, EndLine: 8, Old: "a\nb", New: "c"}}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("where (-want +got):\n%s", d)
	}
}
