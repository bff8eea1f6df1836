package action_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// fakeComments and fakeIssues are in-memory publishers.
type fakeComments struct {
	calls []action.StickyComment
	err   error
}

func (f *fakeComments) UpsertComment(_ context.Context, c action.StickyComment) (action.CommentOutcome, error) {
	f.calls = append(f.calls, c)
	if f.err != nil {
		return action.CommentOutcome{}, f.err
	}
	return action.CommentOutcome{Action: "created", ID: 1, URL: "https://github.com/acme/infra/pull/7#issuecomment-1"}, nil
}

type fakeIssues struct {
	label, prefix string
	want          []render.TrackingIssue
	calls         int
	err           error
}

func (f *fakeIssues) SyncIssues(_ context.Context, label, prefix string, want []render.TrackingIssue) ([]action.IssueOutcome, error) {
	f.calls++
	f.label, f.prefix, f.want = label, prefix, want
	return nil, f.err
}

var (
	_ action.CommentPublisher = (*fakeComments)(nil)
	_ action.IssueTracker     = (*fakeIssues)(nil)
)

type runner struct {
	dir string
	env map[string]string
	log strings.Builder
}

func newRunner(t *testing.T) *runner {
	r := &runner{dir: t.TempDir()}
	r.env = map[string]string{"GITHUB_OUTPUT": filepath.Join(r.dir, "output"), "GITHUB_STEP_SUMMARY": filepath.Join(r.dir, "summary")}
	return r
}

func (r *runner) actions() *action.CommandRunner {
	return &action.CommandRunner{Out: &r.log, Getenv: func(k string) string { return r.env[k] }, AppendFile: appendFile}
}

func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// TestPublishReportsAFailedWrite: a runner file that cannot be written is
// an error of Publish naming the file, not a panic.
func TestPublishReportsAFailedWrite(t *testing.T) {
	t.Parallel()
	rn := newRunner(t)
	r := rn.actions()
	r.AppendFile = func(path string, _ []byte) error { return errors.New("no space left on device") }
	_, err := (&action.Publisher{Runner: r}).Publish(t.Context(), testfleet.Scenario(t), action.PublishOptions{})
	if err == nil || !strings.Contains(err.Error(), "no space left on device") || !strings.Contains(err.Error(), rn.env["GITHUB_STEP_SUMMARY"]) {
		t.Fatalf("Publish error %v, want the write failure naming the summary file", err)
	}
}

func (r *runner) file(t *testing.T, name string) string {
	b, err := os.ReadFile(filepath.Join(r.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPublishPullRequest(t *testing.T) {
	t.Parallel()
	v := testfleet.Scenario(t)
	rn := newRunner(t)
	comments, issues := &fakeComments{}, &fakeIssues{}
	p := &action.Publisher{Runner: rn.actions(), Comments: comments, Issues: issues}
	in := action.Inputs{Comment: true, Issues: "auto", IssueLabels: []string{"kube-bench"}}
	res, err := p.Publish(context.Background(), v, action.PublishOptions{Inputs: in, Event: action.Event{Name: "pull_request", PullRequest: 7}})
	if err != nil {
		t.Fatal(err)
	}
	if len(comments.calls) != 1 || comments.calls[0].PullRequest != 7 || !strings.HasPrefix(comments.calls[0].Body, render.CommentMarker("prod")) {
		t.Errorf("comment calls: %+v", comments.calls)
	}
	if issues.calls != 0 {
		t.Errorf("issues on a pull request with issues: auto: %d calls, want 0", issues.calls)
	}
	out := rn.file(t, "output")
	for _, want := range []string{"verdict<<", "\nfail\n", "new-count<<", "\n1\n", "expired-count<<"} {
		if !strings.Contains(out, want) {
			t.Errorf("outputs lack %q:\n%s", want, out)
		}
	}
	if !strings.Contains(rn.file(t, "summary"), "CIS gate failed") {
		t.Errorf("summary: %.200s", rn.file(t, "summary"))
	}
	if res.Annotations == 0 || res.Annotations > 2*render.MaxAnnotations {
		t.Errorf("%d annotations", res.Annotations)
	}
}

func TestPublishScheduleOpensIssuesPerOwner(t *testing.T) {
	t.Parallel()
	v := testfleet.Scenario(t)
	rn := newRunner(t)
	comments, issues := &fakeComments{}, &fakeIssues{}
	p := &action.Publisher{Runner: rn.actions(), Comments: comments, Issues: issues}
	in := action.Inputs{Comment: true, Issues: "auto", IssueLabels: []string{"kube-bench"}}
	if _, err := p.Publish(context.Background(), v, action.PublishOptions{Inputs: in, Event: action.Event{Name: "schedule"}}); err != nil {
		t.Fatal(err)
	}
	if len(comments.calls) != 0 {
		t.Errorf("a comment without a pull request")
	}
	var owners []string
	for _, is := range issues.want {
		owners = append(owners, is.Owner)
		if !strings.HasPrefix(is.Body, is.Marker) || !strings.HasPrefix(is.Marker, issues.prefix) {
			t.Errorf("issue %s: marker %q, prefix %q", is.Owner, is.Marker, issues.prefix)
		}
	}
	if got := strings.Join(owners, ","); got != "infrastructure-team,platform-team" || issues.label != "kube-bench" {
		t.Errorf("owners %s, label %s", got, issues.label)
	}
}

func TestPublishReadOnlyTokenDegrades(t *testing.T) {
	t.Parallel()
	v := testfleet.Scenario(t)
	rn := newRunner(t)
	ro := fmt.Errorf("create comment: 403 Resource not accessible by integration: %w", action.ErrReadOnly)
	p := &action.Publisher{Runner: rn.actions(), Comments: &fakeComments{err: ro}, Issues: &fakeIssues{err: ro}}
	in := action.Inputs{Comment: true, Issues: "true", IssueLabels: []string{"kube-bench"}}
	res, err := p.Publish(context.Background(), v, action.PublishOptions{Inputs: in, Event: action.Event{Name: "pull_request", PullRequest: 7, Fork: true}})
	if err != nil {
		t.Fatalf("a read-only token must not be an error: %v", err)
	}
	if len(res.Degraded) != 2 || !strings.Contains(rn.log.String(), "::warning::the token cannot write") {
		t.Errorf("degraded %q; log:\n%s", res.Degraded, rn.log.String())
	}
	if !strings.Contains(rn.file(t, "summary"), "CIS gate failed") || !strings.Contains(rn.file(t, "output"), "verdict<<") {
		t.Errorf("summary and outputs must still be written")
	}
}

// bigFleet is a fleet of n insecure nodes: every FAIL new. Each node reports
// under its own benchmark id (as a large estate mid-upgrade does), so the
// controls do not group and the text exceeds GitHub's comment limit.
func bigFleet(t *testing.T, n int) *verdict.Verdict {
	t.Helper()
	data, err := os.ReadFile(testfleet.Path("scenario/w-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	var results []*benchresult.NodeResult
	for i := 0; i < n; i++ {
		nr, err := benchresult.ParseBytes(data, "w.json", benchresult.Options{Node: fmt.Sprintf("worker-%04d-with-a-long-node-name.eu-west-1.compute.internal", i)})
		if err != nil {
			t.Fatal(err)
		}
		for j := range nr.Checks {
			ctl := *nr.Checks[j].Control
			ctl.Benchmark = fmt.Sprintf("cis-1.10-%d", i)
			nr.Checks[j].Control = &ctl
		}
		results = append(results, nr)
	}
	return verdict.Evaluate(benchresult.Merge("prod", results...), verdict.Config{Now: testfleet.Today})
}

func TestCommentFitsGitHubLimit(t *testing.T) {
	t.Parallel()
	v := bigFleet(t, 300)
	marker := render.CommentMarker("prod") + "\n"
	full, _, err := render.MarkdownWithin(v, render.MarkdownOptions{}, marker, "", 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	body, stage, err := render.MarkdownWithin(v, render.MarkdownOptions{}, marker, "", render.MaxBodyRunes)
	if err != nil {
		t.Fatal(err)
	}
	n := utf8.RuneCountInString(body)
	t.Logf("full body %d characters; fitted body %d characters at detail stage %d", utf8.RuneCountInString(full), n, stage)
	if utf8.RuneCountInString(full) <= render.MaxBodyRunes {
		t.Fatalf("the fleet is too small to test truncation")
	}
	if n > render.MaxBodyRunes || stage == render.DetailFull || !strings.HasPrefix(body, marker) {
		t.Errorf("body %d characters at stage %d", n, stage)
	}
	if !strings.Contains(body, "shortened to fit GitHub's size limit") && !strings.Contains(body, "cut to fit") {
		t.Errorf("the body does not say it was shortened")
	}
}

func TestAnnotationsCannotInjectWorkflowCommands(t *testing.T) {
	t.Parallel()
	text := "desc\n::add-mask::secret\r\n::set-output name=verdict::pass\n::error file=x::forged"
	v := verdict.Evaluate(testfleet.Hostile(text), verdict.Config{Now: testfleet.Today})
	dir := t.TempDir()
	env := map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "out"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "sum")}
	var log bytes.Buffer
	a := &action.CommandRunner{Out: &log, Getenv: func(k string) string { return env[k] }, AppendFile: appendFile}
	p := &action.Publisher{Runner: a}
	if _, err := p.Publish(context.Background(), v, action.PublishOptions{Inputs: action.Inputs{IssueLabels: []string{"kube-bench"}}}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.HasPrefix(line, "::add-mask::") || strings.HasPrefix(line, "::set-output") || strings.HasPrefix(line, "::error file=x") {
			t.Errorf("injected workflow command in the log: %q", line)
		}
	}
	out, err := os.ReadFile(env["GITHUB_OUTPUT"])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "verdict<<") || strings.Contains(string(out), "name=verdict::pass") {
		t.Errorf("outputs file: %s", out)
	}
}
