package render_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/internal/golden"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// The rendered Markdown a person reads on GitHub, for the visual tests
// (issue 15, item 6) to render at 900 px: the pull-request comment of the
// 5-node demo (examples/results-pr gated against examples/results) and of
// a 62-node fleet built from the same real kube-bench outputs, a tracking
// issue, the job summary, and a comment on a pull request that changes
// the exceptions file. They live in testdata/golden/visual.

const (
	demoBlob = "https://github.com/acme/infra/blob/0123456789abcdef0123456789abcdef01234567"
	demoRun  = "https://github.com/acme/infra/actions/runs/42"
)

// demoToday is the day the examples are gated on.
var demoToday = exceptions.Date{Year: 2026, Month: 11, Day: 26}

// fleetFrom parses the examples' kube-bench outputs as a fleet: node name
// → file under examples/.
func fleetFrom(t *testing.T, nodes map[string]string) *benchresult.Report {
	t.Helper()
	names := make([]string, 0, len(nodes))
	for n := range nodes {
		names = append(names, n)
	}
	sortStrings(names)
	var nrs []*benchresult.NodeResult
	for _, n := range names {
		path := filepath.Join("..", "examples", nodes[n])
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		nr, err := benchresult.ParseBytes(data, n+".json", benchresult.Options{Node: n})
		if err != nil {
			t.Fatal(err)
		}
		nrs = append(nrs, nr)
	}
	return benchresult.Merge("demo", nrs...)
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// demoExceptions is examples/kube-bench-exceptions.yaml, with assignees
// for platform-team when assign is set.
func demoExceptions(t *testing.T, assign bool) *exceptions.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "examples", "kube-bench-exceptions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if assign {
		const rule = "    owner: platform-team\n"
		if !bytes.Contains(data, []byte(rule)) {
			t.Fatalf("examples/kube-bench-exceptions.yaml has no line %q", rule)
		}
		data = bytes.Replace(data, []byte(rule), []byte(rule+"    assignees: [\"alice\", \"@bob\"]\n"), 1)
	}
	f, err := exceptions.Parse(data, "examples/kube-bench-exceptions.yaml", exceptions.ParseOptions{Now: demoToday})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func demoNodes(dir string) map[string]string {
	m := map[string]string{}
	for _, n := range []string{"cp-1", "cp-2", "worker-1", "worker-2", "worker-3"} {
		m[n] = dir + "/" + n + ".json"
	}
	return m
}

// fleet62 is 3 control-plane nodes and 59 workers. In the pull request
// cp-1 runs kube-apiserver with --profiling=true and every fourth worker
// has the weak kubelet of examples' worker-3; in the baseline only every
// eighth did.
func fleet62(pr bool) map[string]string {
	m := map[string]string{}
	for i := 1; i <= 3; i++ {
		m[fmt.Sprintf("cp-%d", i)] = "results/cp-2.json"
	}
	if pr {
		m["cp-1"] = "results-pr/cp-1.json"
	}
	for i := 1; i <= 59; i++ {
		weak := i%8 == 0 || pr && i%4 == 0
		f := "results/worker-1.json"
		if weak {
			f = "results/worker-3.json"
		}
		m[fmt.Sprintf("worker-%02d", i)] = f
	}
	return m
}

func gate(t *testing.T, now, base map[string]string, ex *exceptions.File) *verdict.Verdict {
	t.Helper()
	b := baseline.FromChecks(fleetFrom(t, base).Checks)
	return verdict.Evaluate(fleetFrom(t, now), verdict.Config{Exceptions: ex, Baseline: b, FailOn: verdict.FailOnNew, WarnDays: 14, Now: demoToday})
}

func comment(t *testing.T, v *verdict.Verdict, opts render.MarkdownOptions) string {
	t.Helper()
	body, _, err := render.MarkdownWithin(v, opts, render.CommentMarker(v.Report.Cluster)+"\n", "", render.MaxBodyRunes)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func TestVisualGoldens(t *testing.T) {
	t.Parallel()
	links := render.Links{Blob: demoBlob}
	demo := gate(t, demoNodes("results-pr"), demoNodes("results"), demoExceptions(t, true))
	big := gate(t, fleet62(true), fleet62(false), demoExceptions(t, false))
	commentOpts := render.MarkdownOptions{RunURL: demoRun, Comment: true, Links: links}

	since := map[string]time.Time{
		"1.2.15": time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC),
		"1.1.12": time.Date(2026, 9, 14, 6, 0, 0, 0, time.UTC),
		"1.2.28": time.Date(2026, 10, 2, 6, 0, 0, 0, time.UTC),
	}
	issues, err := render.TrackingIssuesWith(demo, render.IssueOptions{Labels: []string{"kube-bench"}, RunURL: demoRun, Links: links, FailingSince: since})
	if err != nil {
		t.Fatal(err)
	}
	var platform *render.TrackingIssue
	for i := range issues {
		if issues[i].Owner == "platform-team" {
			platform = &issues[i]
		}
	}
	if platform == nil {
		t.Fatal("no issue for platform-team")
	}
	if got := strings.Join(platform.Assignees, ","); got != "alice,bob" {
		t.Errorf("platform-team's assignees = %q, want alice,bob (from the owners rule)", got)
	}

	var summary bytes.Buffer
	if err := render.WriteMarkdown(&summary, demo, render.MarkdownOptions{RunURL: demoRun, Links: links}); err != nil {
		t.Fatal(err)
	}

	sc := testfleet.Scenario(t)
	changes := verdict.CompareExceptions(scenarioBase(t), sc.Config.Exceptions, sc)
	outputs := map[string]string{
		"comment-5-nodes.md":           comment(t, demo, commentOpts),
		"comment-62-nodes.md":          comment(t, big, commentOpts),
		"issue-platform-team.md":       platform.Body,
		"summary-5-nodes.md":           summary.String(),
		"comment-exception-changes.md": comment(t, sc, render.MarkdownOptions{RunURL: demoRun, Comment: true, Links: links, ExceptionChanges: changes}),
	}
	for name, body := range outputs {
		golden.Check(t, filepath.Join("testdata", "golden", "visual", name), []byte(body))
		t.Logf("%s: %d characters", name, utf8.RuneCountInString(body))
	}
}

// scenarioBase is the scenario's exceptions file as the base branch had
// it: 4.2.1 reviewed on 2026-09-01, the --profiling exception under id
// 1.2.17, and no 1.2.11 exception.
func scenarioBase(t *testing.T) *exceptions.File {
	t.Helper()
	data, err := os.ReadFile(testfleet.Path("scenario/exceptions.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, r := range [][2]string{
		{`review_date: "2026-11-01"`, `review_date: "2026-09-01"`},
		{`check_id: "1.2.16"`, `check_id: "1.2.17"`},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("scenario exceptions have no %q", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	i := strings.Index(s, `  - check_id: "1.2.11"`)
	j := strings.Index(s, "owners:")
	if i < 0 || j < i {
		t.Fatal("scenario exceptions: no 1.2.11 exception before owners:")
	}
	s = s[:i] + s[j:]
	f, err := exceptions.Parse([]byte(s), "testdata/scenario/exceptions.yaml (base branch)", exceptions.ParseOptions{Now: testfleet.Today})
	if err != nil {
		t.Fatal(err)
	}
	return f
}
