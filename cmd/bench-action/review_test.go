package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bench-action/bench-action/internal/fakegithub"
)

const reviewDir = "testdata/review"

// apiServerManifest is the manifest of the configuration set as the
// repository names it (the test's working directory is its root).
const apiServerManifest = reviewDir + "/configs/etc/kubernetes/manifests/kube-apiserver.yaml"

// apiServerPatch is the pull request's diff of the manifest: line 18 turns
// anonymous auth on. The kubelet's readOnlyPort: 10255 (config.yaml line
// 44) is not in the diff.
const apiServerPatch = `@@ -15,7 +15,7 @@ spec:
     - kube-apiserver
     - --advertise-address=10.0.0.10
     - --allow-privileged=true
-    - --anonymous-auth=false
+    - --anonymous-auth=true
     - --audit-log-maxage=30
     - --audit-log-maxbackup=10
     - --audit-log-maxsize=100`

// TestActionReviewSuggestsChangesOnChangedLines runs the action on a pull
// request whose configuration set (the configs input) turns anonymous auth
// on, against the fake GitHub: the new FAILs are annotated at their file
// and line; one review posts a suggested change on the line the pull
// request changed (1.2.1, kube-apiserver.yaml line 18), and none on the
// kubelet's read-only port (4.2.4), whose line it did not change; an
// unchanged rerun makes no write request.
func TestActionReviewSuggestsChangesOnChangedLines(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t)
	h.env = map[string]string{"GITHUB_WORKSPACE": wd}
	pr := h.gh.AddPullRequest(owner, repo, "Allow anonymous auth")
	h.gh.SetPullRequestFiles(owner, repo, pr, "h1", []fakegithub.PullFile{{Filename: apiServerManifest, Patch: apiServerPatch}})

	// The baseline is the hardened set: its 3 FAILs (file owners and
	// modes, kube-proxy) persist; 1.2.1 and 4.2.4 are new.
	base := filepath.Join(h.dir, "baseline.json")
	e := &env{stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: &strings.Builder{}, getenv: func(string) string { return "" }, now: fixedNow}
	if code := run(e, []string{"baseline", "--output", base, "--cluster", "prod",
		"cp-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened.json", "w-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened.json"}); code != exitPass {
		t.Fatalf("baseline: exit %d: %s", code, e.stderr)
	}
	results := []string{"cp-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened-anonymous.json", "w-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened-readonly.json"}
	inputs := map[string]string{"exceptions": "", "baseline": base, "configs": reviewDir + "/configs"}

	res := h.run("pull_request", pr, fakegithub.ActionsToken, results, inputs)
	first := h.gh.CountSummary()
	t.Logf("first run: %s", first)
	if res.code != exitFail {
		t.Fatalf("exit %d, want 1 (new FAILs)\n%s%s", res.code, res.stdout, res.stderr)
	}
	for _, want := range []struct{ check, file, line string }{
		{"1.2.1", apiServerManifest, "18"},
		{"4.2.4", reviewDir + "/configs/var/lib/kubelet/config.yaml", "44"},
	} {
		if a := annotation(res.stdout, want.check); !strings.Contains(a, "file="+want.file) || !strings.Contains(a, "line="+want.line) {
			t.Errorf("annotation of %s: %q, want file=%s and line=%s", want.check, a, want.file, want.line)
		}
	}

	reviews := h.gh.Reviews(owner, repo, pr)
	if len(reviews) != 1 || reviews[0].State != "COMMENTED" || reviews[0].CommitID != "h1" {
		t.Fatalf("reviews: %+v, want one COMMENTED review of h1", reviews)
	}
	rcs := h.gh.ReviewComments(owner, repo, pr)
	if len(rcs) != 1 {
		t.Fatalf("%d review comments, want 1 (1.2.1 on the changed line only): %+v", len(rcs), rcs)
	}
	rc := rcs[0]
	wantBlock := "```suggestion\n    - --anonymous-auth=false\n```"
	if rc.Path != apiServerManifest || rc.Line != 18 || rc.ReviewID != reviews[0].ID || !strings.Contains(rc.Body, wantBlock) || !strings.Contains(rc.Body, "1.2.1") {
		t.Fatalf("review comment %s:%d (review %d):\n%s\nwant on %s:18 with\n%s", rc.Path, rc.Line, rc.ReviewID, rc.Body, apiServerManifest, wantBlock)
	}
	comments := h.comments(pr)
	if len(comments) != 1 {
		t.Fatalf("%d sticky comments, want 1", len(comments))
	}
	if where := "Set in `" + apiServerManifest + "` line 18: `--anonymous-auth` is `true`"; !strings.Contains(comments[0].Body, where) {
		t.Fatalf("sticky comment does not say %q:\n%s", where, comments[0].Body)
	}

	h.gh.ResetCounts()
	res = h.run("pull_request", pr, fakegithub.ActionsToken, results, inputs)
	t.Logf("unchanged rerun: %s", h.gh.CountSummary())
	if res.code != exitFail {
		t.Fatalf("rerun: exit %d", res.code)
	}
	if w := h.gh.Writes(); w != 0 {
		t.Fatalf("the unchanged rerun made %d write requests, want 0: %s", w, h.gh.CountSummary())
	}
	if n, m := len(h.gh.Reviews(owner, repo, pr)), len(h.gh.ReviewComments(owner, repo, pr)); n != 1 || m != 1 {
		t.Fatalf("after the rerun: %d reviews, %d review comments, want 1 and 1", n, m)
	}

	// The author pushes a commit that also touches the kubelet's line 44:
	// the next run posts one more review with the 4.2.4 suggestion and
	// leaves the 1.2.1 comment as it is.
	h.gh.SetPullRequestFiles(owner, repo, pr, "h2", []fakegithub.PullFile{{Filename: apiServerManifest, Patch: apiServerPatch},
		{Filename: reviewDir + "/configs/var/lib/kubelet/config.yaml", Patch: "@@ -43,3 +43,3 @@\n protectKernelDefaults: true\n-readOnlyPort: 0\n+readOnlyPort: 10255\n rotateCertificates: true"}})
	h.gh.ResetCounts()
	h.run("pull_request", pr, fakegithub.ActionsToken, results, inputs)
	t.Logf("kubelet line changed too: %s", h.gh.CountSummary())
	rcs = h.gh.ReviewComments(owner, repo, pr)
	if len(h.gh.Reviews(owner, repo, pr)) != 2 || len(rcs) != 2 || rcs[0].ID != rc.ID || rcs[0].Body != rc.Body ||
		rcs[1].Line != 44 || !strings.Contains(rcs[1].Body, "```suggestion\nreadOnlyPort: 0\n```") {
		t.Fatalf("after the kubelet change: %d reviews, comments %+v", len(h.gh.Reviews(owner, repo, pr)), rcs)
	}
	if w := h.gh.Writes(); w != 1 {
		t.Errorf("%d writes, want 1 (the new review): %s", w, h.gh.CountSummary())
	}

	// 1.2.1 is fixed on the node: its comment is deleted, 4.2.4's stays.
	h.gh.ResetCounts()
	fixed := []string{"cp-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened.json", results[1]}
	h.run("pull_request", pr, fakegithub.ActionsToken, fixed, inputs)
	t.Logf("1.2.1 fixed: %s", h.gh.CountSummary())
	if rcs = h.gh.ReviewComments(owner, repo, pr); len(rcs) != 1 || rcs[0].Line != 44 {
		t.Fatalf("after 1.2.1 was fixed: comments %+v, want 4.2.4's alone", rcs)
	}
}

// annotation is the workflow command line of the annotation about check.
func annotation(log, check string) string {
	for _, l := range strings.Split(log, "\n") {
		if strings.HasPrefix(l, "::error ") && strings.Contains(l, "title=New CIS") && strings.Contains(l, " "+check+"::") {
			return l
		}
	}
	return ""
}

func fixedNow() time.Time { return time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC) }

// TestGateConfigsSARIFAtTheLine: `gate --configs DIR --format sarif`
// locates each traced FAIL at the file (relative to the repository root)
// and line that sets it.
func TestGateConfigsSARIFAtTheLine(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, now: fixedNow}
	code := run(e, []string{"gate", "--configs", reviewDir + "/configs", "--format", "sarif", "--now", "2026-11-26",
		"cp-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened-anonymous.json", "w-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened-readonly.json"})
	if code != exitFail {
		t.Fatalf("exit %d, want 1: %s", code, errOut.String())
	}
	var doc struct {
		Runs []struct {
			Results []struct {
				Properties struct{ CheckID string } `json:"properties"`
				Locations  []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }    `json:"artifactLocation"`
						Region           struct{ StartLine int } `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out.String()), &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range doc.Runs[0].Results {
		p := r.Locations[0].PhysicalLocation
		got[r.Properties.CheckID] = fmt.Sprintf("%s:%d", p.ArtifactLocation.URI, p.Region.StartLine)
	}
	for id, want := range map[string]string{
		"1.2.1":  apiServerManifest + ":18",
		"4.2.4":  reviewDir + "/configs/var/lib/kubelet/config.yaml:44",
		"1.1.12": "kube-bench-exceptions.yaml:1", // file ownership: not in the configuration files
	} {
		if got[id] != want {
			t.Errorf("SARIF result %s at %s, want %s", id, got[id], want)
		}
	}
}

// TestReportConfigs: `report --configs DIR` says where each FAIL is set,
// and that the files pass a test the node fails.
func TestReportConfigs(t *testing.T) {
	t.Parallel()
	var out, errOut strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, now: fixedNow}
	if code := run(e, []string{"report", "--configs", reviewDir + "/configs", "cp-1=" + reviewDir + "/v0.14.1-cis-1.10-insecure.json"}); code != exitPass {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := "\n  1.2.15 on cp-1: set in " + apiServerManifest + " line 38: --profiling is false (the files here pass this test: the node does not run what they say)\n"
	if !strings.Contains(out.String(), "\nWhere the FAILs are set:\n") || !strings.Contains(out.String(), want) {
		t.Fatalf("report does not say where 1.2.15 is set (%q):\n%s", want, out.String())
	}
}

// jsonChecks runs a command that prints a JSON document with "checks"
// and returns the document and its checks.
func jsonChecks(t *testing.T, getenv func(string) string, args ...string) (map[string]any, []map[string]any) {
	t.Helper()
	var out, errOut strings.Builder
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: getenv, now: fixedNow}
	if code := run(e, args); code != exitPass && code != exitFail {
		t.Fatalf("%s: exit %d: %s", strings.Join(args, " "), code, errOut.String())
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out.String()), &doc); err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	var checks []map[string]any
	for _, c := range doc["checks"].([]any) {
		checks = append(checks, c.(map[string]any))
	}
	return doc, checks
}

func noEnv(string) string { return "" }

// TestReportConfigsJSON: `report --configs DIR --format json` adds a
// "where" array to each FAIL traced to the files, and leaves every other
// field as `report --format json` prints it.
func TestReportConfigsJSON(t *testing.T) {
	t.Parallel()
	input := "cp-1=" + reviewDir + "/v0.14.1-cis-1.10-insecure.json"
	plain, _ := jsonChecks(t, noEnv, "report", "--format", "json", input)
	doc, checks := jsonChecks(t, noEnv, "report", "--configs", reviewDir+"/configs", "--format", "json", input)
	located := map[string]any{}
	for _, c := range checks {
		if w, ok := c["where"]; ok {
			if c["status"] != "FAIL" {
				t.Errorf("%v (%v) has a where: only FAILs are located", c["id"], c["status"])
			}
			located[c["id"].(string)] = w
			delete(c, "where")
		}
	}
	if d := cmp.Diff(plain, doc); d != "" {
		t.Errorf("with --configs, the fields other than where changed (-without +with):\n%s", d)
	}
	want := []any{map[string]any{"file": apiServerManifest, "line": float64(38), "setting": "--profiling", "current": "false",
		"note": "the files here pass this test: the node does not run what they say"}}
	if d := cmp.Diff(want, located["1.2.15"]); d != "" {
		t.Errorf("where of 1.2.15 (-want +got):\n%s", d)
	}
	t.Logf("%d checks, %d located", len(checks), len(located))
	if len(located) < 10 {
		t.Errorf("%d FAILs located, want the insecure node's API server, etcd and kubelet FAILs", len(located))
	}

	// A FAIL whose fix is a change of the files carries it: the split
	// --audit-log-maxage, joined.
	root, configs, result := splitReview(t)
	getenv := func(k string) string {
		if k == "GITHUB_WORKSPACE" {
			return root
		}
		return ""
	}
	_, checks = jsonChecks(t, getenv, "report", "--configs", configs, "--format", "json", "cp-1="+result)
	manifest := "configs/etc/kubernetes/manifests/kube-apiserver.yaml"
	var got any
	for _, c := range checks {
		if c["id"] == "1.2.17" {
			got = c["where"]
		}
	}
	fix := map[string]any{"file": manifest, "line": float64(19), "end_line": float64(20), "old": "    - --audit-log-maxage\n    - \"30\"", "new": "    - --audit-log-maxage=30"}
	if w, _ := got.([]any); len(w) != 1 || cmp.Diff(fix, w[0].(map[string]any)["fix"]) != "" || w[0].(map[string]any)["line"] != float64(19) {
		t.Errorf("where of 1.2.17: %v, want line 19 and fix %v", got, fix)
	}
}

// TestGateConfigsJSON: `gate --configs DIR --format json` gives each
// located finding its "where", with the fix.
func TestGateConfigsJSON(t *testing.T) {
	t.Parallel()
	results := []string{"cp-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened-anonymous.json", "w-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened-readonly.json"}
	plain, _ := jsonChecks(t, noEnv, append([]string{"gate", "--format", "json", "--now", "2026-11-26"}, results...)...)
	doc, checks := jsonChecks(t, noEnv, append([]string{"gate", "--configs", reviewDir + "/configs", "--format", "json", "--now", "2026-11-26"}, results...)...)
	got := map[string]any{}
	for _, c := range checks {
		if w, ok := c["where"]; ok {
			if c["kind"] == nil {
				t.Errorf("%v on %v (%v) is not a finding, yet has a where", c["id"], c["node"], c["status"])
			}
			got[c["id"].(string)+" "+c["node"].(string)] = w
			delete(c, "where")
		}
	}
	if d := cmp.Diff(plain, doc); d != "" {
		t.Errorf("with --configs, the fields other than where changed (-without +with):\n%s", d)
	}
	want := []any{map[string]any{"file": apiServerManifest, "line": float64(18), "setting": "--anonymous-auth", "current": "true",
		"fix": map[string]any{"file": apiServerManifest, "line": float64(18), "end_line": float64(18), "old": "    - --anonymous-auth=true", "new": "    - --anonymous-auth=false"}}}
	if d := cmp.Diff(want, got["1.2.1 cp-1"]); d != "" {
		t.Errorf("where of 1.2.1 on cp-1 (-want +got):\n%s", d)
	}
	if _, ok := got["4.2.4 w-1"]; !ok {
		t.Errorf("4.2.4 on w-1 not located: %v", got)
	}
}

// splitReview is a copy of the review's configuration set under a
// temporary repository root, its --audit-log-maxage=30 (line 19) written
// as two list items (lines 19 and 20), and a kube-bench result of the
// hardened set in which cp-1 FAILs 1.2.17, as kube-bench does on such a
// node. It returns the root, the configuration directory and the result.
func splitReview(t *testing.T) (root, configs, result string) {
	t.Helper()
	root = t.TempDir()
	configs = filepath.Join(root, "configs")
	err := filepath.WalkDir(reviewDir+"/configs", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(reviewDir+"/configs", p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if filepath.ToSlash(rel) == "etc/kubernetes/manifests/kube-apiserver.yaml" {
			s := strings.Replace(string(data), "    - --audit-log-maxage=30\n", "    - --audit-log-maxage\n    - \"30\"\n", 1)
			if s == string(data) {
				t.Fatal("no --audit-log-maxage=30 in the manifest")
			}
			data = []byte(s)
		}
		dst := filepath.Join(configs, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(reviewDir + "/v0.14.1-cis-1.10-hardened.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	flipped := 0
	for _, c := range doc["Controls"].([]any) {
		ctl := c.(map[string]any)
		for _, s := range ctl["tests"].([]any) {
			sec := s.(map[string]any)
			for _, r := range sec["results"].([]any) {
				res := r.(map[string]any)
				if res["test_number"] != "1.2.17" || res["status"] != "PASS" {
					continue
				}
				res["status"] = "FAIL"
				res["actual_value"] = strings.Replace(res["actual_value"].(string), "--audit-log-maxage=30", "--audit-log-maxage 30", 1)
				for _, m := range []map[string]any{sec, ctl, doc["Totals"].(map[string]any)} {
					p, f := "pass", "fail"
					if m["pass"] == nil {
						p, f = "total_pass", "total_fail"
					}
					m[p], m[f] = m[p].(float64)-1, m[f].(float64)+1
				}
				flipped++
			}
		}
	}
	if flipped != 1 {
		t.Fatalf("flipped 1.2.17 %d times, want once", flipped)
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	result = filepath.Join(root, "v0.14.1-cis-1.10-hardened-split.json")
	if err := os.WriteFile(result, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return root, configs, result
}

// TestActionReviewJoinsASplitFlag: a pull request splits
// --audit-log-maxage=30 into two list items (valid for the API server,
// a FAIL of 1.2.17 for kube-bench). The fix joins lines 19-20 into one:
// the run posts it as one multi-line review comment (start_line 19, line
// 20) whose suggestion replaces both lines; an unchanged rerun writes
// nothing; a pull request that changed only line 20 gets the annotation
// and no review comment.
func TestActionReviewJoinsASplitFlag(t *testing.T) {
	root, configs, result := splitReview(t)
	manifest := "configs/etc/kubernetes/manifests/kube-apiserver.yaml"
	h := newHarness(t)
	h.env = map[string]string{"GITHUB_WORKSPACE": root}
	base := filepath.Join(h.dir, "baseline.json")
	e := &env{stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: &strings.Builder{}, getenv: func(string) string { return "" }, now: fixedNow}
	if code := run(e, []string{"baseline", "--output", base, "--cluster", "prod",
		"cp-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened.json", "w-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened.json"}); code != exitPass {
		t.Fatalf("baseline: exit %d: %s", code, e.stderr)
	}
	results := []string{"cp-1=" + result, "w-1=" + reviewDir + "/v0.14.1-cis-1.10-hardened.json"}
	inputs := map[string]string{"exceptions": "", "baseline": base, "configs": configs}

	pr := h.gh.AddPullRequest(owner, repo, "Split the audit log flag")
	h.gh.SetPullRequestFiles(owner, repo, pr, "h1", []fakegithub.PullFile{{Filename: manifest,
		Patch: "@@ -18,3 +18,4 @@ spec:\n     - --anonymous-auth=true\n-    - --audit-log-maxage=30\n+    - --audit-log-maxage\n+    - \"30\"\n     - --audit-log-maxbackup=10"}})
	res := h.run("pull_request", pr, fakegithub.ActionsToken, results, inputs)
	t.Logf("first run: %s", h.gh.CountSummary())
	if res.code != exitFail {
		t.Fatalf("exit %d, want 1 (a new FAIL)\n%s%s", res.code, res.stdout, res.stderr)
	}
	if a := annotation(res.stdout, "1.2.17"); !strings.Contains(a, "file="+manifest) || !strings.Contains(a, "line=19") || !strings.Contains(a, "lines 19-20 become") {
		t.Errorf("annotation of 1.2.17: %q, want file=%s, line=19 and the fix of lines 19-20", a, manifest)
	}
	rcs := h.gh.ReviewComments(owner, repo, pr)
	if len(rcs) != 1 {
		t.Fatalf("%d review comments, want 1: %+v", len(rcs), rcs)
	}
	wantBlock := "```suggestion\n    - --audit-log-maxage=30\n```"
	if rc := rcs[0]; rc.Path != manifest || rc.StartLine != 19 || rc.Line != 20 || rc.Side != "RIGHT" || !strings.Contains(rc.Body, wantBlock) || !strings.Contains(rc.Body, "1.2.17") {
		t.Fatalf("review comment %s:%d-%d (%s):\n%s\nwant on %s:19-20 with\n%s", rc.Path, rc.StartLine, rc.Line, rc.Side, rc.Body, manifest, wantBlock)
	}

	h.gh.ResetCounts()
	if res = h.run("pull_request", pr, fakegithub.ActionsToken, results, inputs); res.code != exitFail {
		t.Fatalf("rerun: exit %d", res.code)
	}
	if w := h.gh.Writes(); w != 0 {
		t.Fatalf("the unchanged rerun made %d write requests, want 0: %s", w, h.gh.CountSummary())
	}

	// Another pull request changes only the value's line: the fix's first
	// line is not its change, so no review comment; the annotation stays.
	pr2 := h.gh.AddPullRequest(owner, repo, "Audit log age")
	h.gh.SetPullRequestFiles(owner, repo, pr2, "h1", []fakegithub.PullFile{{Filename: manifest,
		Patch: "@@ -19,2 +19,2 @@ spec:\n     - --audit-log-maxage\n-    - \"31\"\n+    - \"30\""}})
	res = h.run("pull_request", pr2, fakegithub.ActionsToken, results, inputs)
	if a := annotation(res.stdout, "1.2.17"); !strings.Contains(a, "line=19") {
		t.Errorf("annotation of 1.2.17 on the second pull request: %q", a)
	}
	if rcs := h.gh.ReviewComments(owner, repo, pr2); len(rcs) != 0 {
		t.Fatalf("%d review comments on a pull request that changed line 20 only, want 0: %+v", len(rcs), rcs)
	}
}
