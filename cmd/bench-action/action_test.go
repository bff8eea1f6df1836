package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bench-action/bench-action/action/githubapi"
	"github.com/bench-action/bench-action/internal/fakegithub"
)

const (
	owner, repo = "octo-org", "cluster-config"
	scenarioDir = "../../internal/testfleet/testdata/scenario"
)

// harness runs `bench-action action` in-process against a fake GitHub, as
// a runner would: INPUT_* and GITHUB_* in the environment, files for the
// outputs and the summary.
type harness struct {
	t    testing.TB
	gh   *fakegithub.Server
	dir  string
	runs int
	// clock, when set, is the simulated clock the fake and the client share.
	clock *fakegithub.SimClock
	// env adds to the runner's environment (GITHUB_WORKSPACE, ...).
	env map[string]string
	// written collects every byte the action wrote, to look for the token.
	written bytes.Buffer
}

func newHarness(t *testing.T) *harness {
	h := &harness{t: t, gh: fakegithub.New(t, fakegithub.Options{Owner: owner, Repo: repo}), dir: t.TempDir()}
	return h
}

type actionResult struct {
	code                    int
	stdout, stderr, outputs string
	summary                 string
}

// run runs the action once with a minimal event payload. results are
// INPUT_RESULTS lines.
func (h *harness) run(event string, pr int, token string, results []string, inputs map[string]string) actionResult {
	h.t.Helper()
	payload := `{}`
	if pr > 0 {
		payload = fmt.Sprintf(`{"action":"synchronize","number":%d,"pull_request":{"number":%d,"base":{"ref":"main","sha":"b0","repo":{"full_name":"%s/%s"}},"head":{"sha":"h1","repo":{"full_name":"%s/%s","fork":false}}}}`, pr, pr, owner, repo, owner, repo)
		if token == fakegithub.ReadOnlyToken {
			payload = strings.Replace(payload, `"full_name":"octo-org/cluster-config","fork":false`, `"full_name":"mallory/cluster-config","fork":true`, 1)
		}
	}
	return h.runPayload(event, []byte(payload), token, results, inputs)
}

// runPayload runs the action once with the given event payload.
func (h *harness) runPayload(event string, payload []byte, token string, results []string, inputs map[string]string) actionResult {
	h.t.Helper()
	h.runs++
	dir := filepath.Join(h.dir, fmt.Sprintf("run-%d", h.runs))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		h.t.Fatal(err)
	}
	eventPath := filepath.Join(dir, "event.json")
	os.WriteFile(eventPath, payload, 0o644)
	envs := map[string]string{
		"INPUT_RESULTS": strings.Join(results, "\n"), "INPUT_CLUSTER": "prod", "INPUT_TOKEN": token,
		"INPUT_EXCEPTIONS": scenarioDir + "/exceptions.yaml", "INPUT_FAIL-ON": "new", "INPUT_COMMENT": "true", "INPUT_ISSUES": "auto",
		"GITHUB_API_URL": h.gh.URL, "GITHUB_REPOSITORY": owner + "/" + repo, "GITHUB_SERVER_URL": "https://github.com",
		"GITHUB_RUN_ID": fmt.Sprint(1000 + h.runs), "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": eventPath,
		"GITHUB_OUTPUT": filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"), "RUNNER_TEMP": dir,
	}
	for k, v := range inputs {
		envs["INPUT_"+strings.ToUpper(k)] = v
	}
	for k, v := range h.env {
		envs[k] = v
	}
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return envs[k] },
		now: func() time.Time { return time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC) },
		tuneGitHub: func(c *githubapi.Config) {
			c.HTTPClient = h.gh.Client()
			c.WriteGap = -1
			c.Sleep = func(time.Duration) {}
			if h.clock != nil {
				c.Sleep, c.Clock = h.clock.Sleep, h.clock.Now
				c.HTTPClient.Timeout = 300 * time.Millisecond
			}
		}}
	code := run(e, []string{"action"})
	res := actionResult{code: code, stdout: out.String(), stderr: errOut.String()}
	b, _ := os.ReadFile(envs["GITHUB_OUTPUT"])
	res.outputs = string(b)
	b, _ = os.ReadFile(envs["GITHUB_STEP_SUMMARY"])
	res.summary = string(b)
	sf, _ := os.ReadFile(filepath.Join(dir, "bench-action-summary.md"))
	for _, s := range []string{res.stdout, res.stderr, res.outputs, res.summary, string(sf)} {
		h.written.WriteString(s)
	}
	return res
}

func (h *harness) comments(pr int) []fakegithub.Comment { return h.gh.Comments(owner, repo, pr) }

func (h *harness) openIssues() map[string]int {
	out := map[string]int{}
	for _, is := range h.gh.Issues(owner, repo) {
		if is.State == "open" {
			out[is.Title]++
		}
	}
	return out
}

// fleet returns INPUT_RESULTS lines naming each file of the scenario fleet,
// with some nodes replaced.
func fleet(replace map[string]string) []string {
	var lines []string
	for _, n := range []string{"cp-1", "cp-2", "w-1", "w-2"} {
		p := scenarioDir + "/" + n + ".json"
		if r, ok := replace[n]; ok {
			p = r
		}
		lines = append(lines, n+"="+p)
	}
	return lines
}

func TestActionPullRequestStickyComment(t *testing.T) {
	h := newHarness(t)
	pr := h.gh.AddPullRequest(owner, repo, "tighten kubelet")
	tok := fakegithub.ActionsToken

	res := h.run("pull_request", pr, tok, fleet(nil), nil)
	if res.code != exitFail {
		t.Fatalf("first run: exit %d, want 1 (a new FAIL, an expired exception)\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if n := len(h.comments(pr)); n != 1 {
		t.Fatalf("%d comments after the first run, want 1", n)
	}
	t.Logf("first run: %s", h.gh.CountSummary())
	if !strings.Contains(res.outputs, "verdict<<") || !strings.Contains(res.summary, "CIS gate failed") {
		t.Errorf("outputs or summary missing:\n%s", res.outputs)
	}

	h.gh.ResetCounts()
	for i := 0; i < 10; i++ {
		if res := h.run("pull_request", pr, tok, fleet(nil), nil); res.code != exitFail {
			t.Fatalf("rerun %d: exit %d", i, res.code)
		}
	}
	t.Logf("ten unchanged reruns: %s", h.gh.CountSummary())
	if w := h.gh.Writes(); w != 0 {
		t.Errorf("%d write requests in ten unchanged reruns, want 0", w)
	}
	if n := len(h.comments(pr)); n != 1 {
		t.Errorf("%d comments after reruns, want 1", n)
	}

	before := h.comments(pr)[0]
	h.gh.ResetCounts()
	res = h.run("pull_request", pr, tok, fleet(map[string]string{"w-2": scenarioDir + "/w-1.json"}), nil)
	t.Logf("results changed: %s", h.gh.CountSummary())
	after := h.comments(pr)
	if len(after) != 1 || after[0].ID != before.ID || after[0].Body == before.Body {
		t.Errorf("change: want the same comment edited in place; got %d comments", len(after))
	}
	if res.code != exitFail { // the expired exception still fails it
		t.Errorf("change: exit %d", res.code)
	}

	// Two runs raced and both created a comment: the next run leaves one.
	h.gh.SeedComment(owner, repo, pr, tok, after[0].Body)
	h.run("pull_request", pr, tok, fleet(nil), nil)
	if n := len(h.comments(pr)); n != 1 {
		t.Errorf("after a race: %d comments, want 1", n)
	}
	h.assertTokenMasked(tok)
}

func TestActionTrackingIssuesPerOwner(t *testing.T) {
	h := newHarness(t)
	tok := fakegithub.ActionsToken
	noExpired := map[string]string{"exceptions": "../../examples/kube-bench-exceptions.yaml"}

	h.run("schedule", 0, tok, fleet(nil), noExpired)
	t.Logf("first scheduled run: %s", h.gh.CountSummary())
	first := h.openIssues()
	if len(first) != 2 {
		t.Fatalf("open issues %v, want one per owner (2)", first)
	}
	h.gh.ResetCounts()
	for i := 0; i < 10; i++ {
		h.run("schedule", 0, tok, fleet(nil), noExpired)
	}
	t.Logf("ten unchanged scheduled runs: %s", h.gh.CountSummary())
	if w := h.gh.Writes(); w != 0 {
		t.Errorf("%d writes in unchanged reruns, want 0", w)
	}

	// Everything fixed: no node FAILs anything (policies stay WARN).
	h.gh.ResetCounts()
	fixed := map[string]string{}
	for _, n := range []string{"cp-1", "cp-2", "w-1", "w-2"} {
		fixed[n] = allPass(t, scenarioDir+"/"+n+".json")
	}
	h.run("schedule", 0, tok, fleet(fixed), noExpired)
	t.Logf("everything fixed: %s", h.gh.CountSummary())
	if open := h.openIssues(); len(open) != 0 {
		t.Errorf("open issues %v after everything was fixed, want none", open)
	}

	h.gh.ResetCounts()
	h.run("schedule", 0, tok, fleet(nil), noExpired)
	t.Logf("regression returns: %s", h.gh.CountSummary())
	if total := len(h.gh.Issues(owner, repo)); total != 2 {
		t.Errorf("%d issues in all after a regression, want 2 (reopened, not duplicated)", total)
	}
	if got := h.openIssues(); len(got) != 2 {
		t.Errorf("open issues %v after the regression, want 2", got)
	}
	h.assertTokenMasked(tok)
}

// allPass writes a copy of a kube-bench JSON output in which every FAIL is
// a PASS, with kube-bench's totals adjusted, and returns its path.
func allPass(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	moved, movedWarn := 0, 0
	for _, c := range doc["Controls"].([]any) {
		ctl := c.(map[string]any)
		n, w := 0, 0
		tests, _ := ctl["tests"].([]any)
		for _, g := range tests {
			grp := g.(map[string]any)
			for _, r := range grp["results"].([]any) {
				res := r.(map[string]any)
				if res["status"] == "FAIL" {
					res["status"] = "PASS"
					delete(res, "reason")
					n++
				}
				// A failed test of a check not scored (Manual): its WARN is a
				// finding too; fixed, it passes. Policies stay WARN.
				if res["status"] == "WARN" && res["scored"] == false && res["type"] == "" && ctl["node_type"] != "policies" {
					res["status"] = "PASS"
					w++
				}
			}
			grp["pass"] = grp["pass"].(float64) + grp["fail"].(float64)
			grp["fail"] = 0
		}
		ctl["total_pass"] = ctl["total_pass"].(float64) + float64(n+w)
		ctl["total_fail"] = 0
		ctl["total_warn"] = ctl["total_warn"].(float64) - float64(w)
		moved += n
		movedWarn += w
	}
	tot := doc["Totals"].(map[string]any)
	tot["total_pass"] = tot["total_pass"].(float64) + float64(moved+movedWarn)
	tot["total_fail"] = 0
	tot["total_warn"] = tot["total_warn"].(float64) - float64(movedWarn)
	out, _ := json.Marshal(doc)
	p := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(p, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestActionIssuesClosedWhenOwnerHasNothingLeft(t *testing.T) {
	h := newHarness(t)
	tok := fakegithub.ActionsToken
	only := map[string]string{"exceptions": ""}
	w1 := []string{"w-1=" + scenarioDir + "/w-2.json"}
	h.run("schedule", 0, tok, w1, only)
	if n := len(h.openIssues()); n != 1 {
		t.Fatalf("%d open issues, want 1 (unowned)", n)
	}
	// The same node with nothing failing that has an owner: a policies-only result.
	h.gh.ResetCounts()
	h.run("schedule", 0, tok, []string{"w-1=" + scenarioDir + "/w-1.json"}, map[string]string{"exceptions": "../../examples/kube-bench-exceptions.yaml"})
	t.Logf("owner change: %s; issues %v", h.gh.CountSummary(), h.openIssues())
	for _, is := range h.gh.Issues(owner, repo) {
		if strings.Contains(is.Title, "unowned") && is.State != "closed" {
			t.Errorf("the unowned issue is %s, want closed", is.State)
		}
	}
}

func TestActionForkPullRequestDegrades(t *testing.T) {
	h := newHarness(t)
	pr := h.gh.AddPullRequest(owner, repo, "from a fork")
	res := h.run("pull_request", pr, fakegithub.ReadOnlyToken, fleet(nil), nil)
	if res.code != exitFail {
		t.Errorf("exit %d, want the gate's 1", res.code)
	}
	if len(h.comments(pr)) != 0 {
		t.Errorf("a comment was written with a read-only token")
	}
	if !strings.Contains(res.stdout, "::warning::") || !strings.Contains(res.summary, "CIS gate failed") || !strings.Contains(res.outputs, "verdict<<") {
		t.Errorf("want a warning, the summary and the outputs:\n%s", res.stdout)
	}
	h.assertTokenMasked(fakegithub.ReadOnlyToken)
}

// assertTokenMasked checks the token appears in nothing the action wrote
// but the ::add-mask:: command that tells the runner to hide it.
func (h *harness) assertTokenMasked(tok string) {
	h.t.Helper()
	masks := 0
	for _, line := range strings.Split(h.written.String(), "\n") {
		if line == "::add-mask::"+tok {
			masks++
			continue
		}
		if strings.Contains(line, tok) {
			h.t.Errorf("the token appears in what the action wrote: %q", line)
		}
	}
	if masks == 0 {
		h.t.Errorf("no ::add-mask:: command for the token in %d runs", h.runs)
	}
}

func TestActionShowsExceptionsThePullRequestAdds(t *testing.T) {
	h := newHarness(t)
	pr := h.gh.AddPullRequest(owner, repo, "accept my own regression")
	base, err := os.ReadFile(scenarioDir + "/exceptions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	workspace := t.TempDir()
	h.env = map[string]string{"GITHUB_WORKSPACE": workspace}
	head := filepath.Join(workspace, "kube-bench-exceptions.yaml")
	added := strings.Replace(string(base), "owners:", `  - check_id: "4.2.2"
    reason: "AlwaysAllow is needed by our monitoring agent"
    owner: "infrastructure-team"
    review_date: "2027-01-15"
    risk_accepted_by: "infrastructure-team"
owners:`, 1)
	os.WriteFile(head, []byte(added), 0o644)
	h.gh.SetFile(owner, repo, "b0", "kube-bench-exceptions.yaml", base)

	res := h.run("pull_request", pr, fakegithub.ActionsToken, fleet(nil), map[string]string{"exceptions": head})
	comments := h.comments(pr)
	if len(comments) != 1 {
		t.Fatalf("%d comments: %s", len(comments), res.stdout)
	}
	body := comments[0].Body
	if !strings.Contains(body, "Exceptions this pull request changes: 1 exception") || !strings.Contains(body, "accepts a FAIL new in this pull request") ||
		!strings.Contains(strings.SplitN(body, "\n", 3)[1], "this pull request accepts its new FAIL 4.2.2 by an exception") {
		t.Errorf("the comment does not show the added exception silencing the PR's own FAIL:\n%s", body)
	}
	t.Logf("with the base file read: %s", h.gh.CountSummary())
}

// TestActionWithRealWebhookPayloads drives the action with GitHub's own
// example payloads (npm @octokit/webhooks-examples, fetched by
// test/contract/fetch-spec.sh).
func TestActionWithRealWebhookPayloads(t *testing.T) {
	dir, err := fakegithub.FindWebhookExamples(".")
	if err != nil {
		if os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" {
			t.Fatalf("webhook examples missing (run test/contract/fetch-spec.sh): %v", err)
		}
		t.Skipf("webhook examples missing (run test/contract/fetch-spec.sh): %v", err)
	}
	load := func(event, act string) []byte {
		b, err := fakegithub.LoadWebhookExample(dir, event, act, nil)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// withNumber points a pull_request payload at a pull request of the fake.
	withNumber := func(payload []byte, n int) []byte {
		var m map[string]any
		if err := json.Unmarshal(payload, &m); err != nil {
			t.Fatal(err)
		}
		m["number"] = n
		m["pull_request"].(map[string]any)["number"] = n
		b, _ := json.Marshal(m)
		return b
	}
	h := newHarness(t)
	inputs := map[string]string{"exceptions": "../../examples/kube-bench-exceptions.yaml"}
	for _, act := range []string{"opened", "synchronize"} {
		pr := h.gh.AddPullRequest(owner, repo, act)
		res := h.runPayload("pull_request", withNumber(load("pull_request", act), pr), fakegithub.ActionsToken, fleet(nil), inputs)
		if n := len(h.comments(pr)); n != 1 || res.code != exitFail {
			t.Errorf("pull_request %s: %d comments, exit %d:\n%s", act, n, res.code, res.stdout)
		}
	}
	pr := h.gh.AddPullRequest(owner, repo, "from a fork")
	fork, err := fakegithub.ForkPullRequest(withNumber(load("pull_request", "opened"), pr), "mallory")
	if err != nil {
		t.Fatal(err)
	}
	res := h.runPayload("pull_request", fork, fakegithub.ReadOnlyToken, fleet(nil), inputs)
	if n := len(h.comments(pr)); n != 0 || res.code != exitFail || !strings.Contains(res.stdout, "::warning::") {
		t.Errorf("fork pull request: %d comments, exit %d", n, res.code)
	}
	if issues := len(h.gh.Issues(owner, repo)); issues != 0 {
		t.Errorf("issues opened on pull requests (issues: auto): %d", issues)
	}
	for _, ev := range []string{"push", "workflow_dispatch"} {
		res := h.runPayload(ev, load(ev, ""), fakegithub.ActionsToken, fleet(nil), inputs)
		if res.code != exitFail || len(h.openIssues()) != 2 {
			t.Errorf("%s: exit %d, open issues %v", ev, res.code, h.openIssues())
		}
	}
	t.Logf("real payloads: %s", h.gh.CountSummary())
	h.assertTokenMasked(fakegithub.ActionsToken)
}

// TestActionIssueLinksAssigneesAndSince: on a scheduled run with a history,
// each owner's issue says since when its controls fail, links its lines of
// the exceptions file at the run's commit, and is assigned to the owner's
// assignees.
func TestActionIssueLinksAssigneesAndSince(t *testing.T) {
	h := newHarness(t)
	workspace := t.TempDir()
	h.env = map[string]string{"GITHUB_WORKSPACE": workspace, "GITHUB_SHA": "c0ffee"}
	data, err := os.ReadFile(scenarioDir + "/exceptions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "    owner: infrastructure-team\n", "    owner: infrastructure-team\n    assignees: [\"@alice\"]\n", 1))
	ex := filepath.Join(workspace, "kube-bench-exceptions.yaml")
	if err := os.WriteFile(ex, data, 0o644); err != nil {
		t.Fatal(err)
	}
	h.run("schedule", 0, fakegithub.ActionsToken, fleet(nil), map[string]string{"exceptions": ex, "history": filepath.Join(workspace, "history.jsonl")})
	var infra *fakegithub.Issue
	for _, is := range h.gh.Issues(owner, repo) {
		if strings.Contains(is.Title, "infrastructure-team") {
			infra = &is
		}
	}
	if infra == nil {
		t.Fatalf("no issue for infrastructure-team: %+v", h.gh.Issues(owner, repo))
	}
	for _, want := range []string{
		"- [ ] **4.2.2** `--authorization-mode` has AlwaysAllow on w-2, failing since 2026\u201111\u201126",
		"[kube-bench-exceptions.yaml:8](https://github.com/octo-org/cluster-config/blob/c0ffee/kube-bench-exceptions.yaml#L8): exception for 4.1.1",
	} {
		if !strings.Contains(infra.Body, want) {
			t.Errorf("the issue lacks %q:\n%s", want, infra.Body)
		}
	}
	if got := strings.Join(infra.Assignees, ","); got != "alice" {
		t.Errorf("assignees %q, want alice", got)
	}
}
