package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/internal/fakegithub"
	"github.com/bench-action/bench-action/render"
)

// The review scenarios: suggested changes as review comments on the lines
// a pull request changed (action.ReviewPublisher).

// ReviewMarkerPrefix is the marker prefix of the scenarios' review comments.
const ReviewMarkerPrefix = "<!-- bench-action:review cluster=prod "

// ManifestPath is the file the scenarios' pull request changes.
const ManifestPath = "kubernetes/manifests/kube-apiserver.yaml"

// manifestPatch changes line 14 (--anonymous-auth) and adds line 20.
const manifestPatch = `@@ -11,7 +11,7 @@ spec:
   containers:
   - command:
     - kube-apiserver
-    - --anonymous-auth=false
+    - --anonymous-auth=true
     - --authorization-mode=Node,RBAC
     - --client-ca-file=/etc/kubernetes/pki/ca.crt
     - --enable-admission-plugins=NodeRestriction
@@ -18,2 +18,3 @@ spec:
     - --etcd-servers=https://127.0.0.1:2379
     - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
+    - --profiling=true`

// SetPullRequestDiff gives the scenarios' pull request its diff: the
// manifest (lines 14 and 20 changed), a removed file and a binary one.
func (e *Env) SetPullRequestDiff() {
	e.Server.SetPullRequestFiles(Owner, Repo, e.PR, "4f2a9c1e0b7d3a5f6e8c9d0a1b2c3d4e5f6a7b8c", []fakegithub.PullFile{
		{Filename: ManifestPath, Patch: manifestPatch},
		{Filename: "kubernetes/old.yaml", Status: "removed", Patch: "@@ -1,1 +0,0 @@\n-kind: Pod"},
		{Filename: "docs/diagram.png", Status: "added"},
	})
}

// Suggestion is a review comment on line of the manifest.
func Suggestion(check string, line int, text string) render.ReviewSuggestion {
	m := ReviewMarkerPrefix + "check=" + check + " file=" + ManifestPath + " -->"
	return render.ReviewSuggestion{Path: ManifestPath, Line: line, Marker: m, Body: m + "\n" + text + "\n\n```suggestion\n    - --anonymous-auth=false\n```\n"}
}

// ReviewOf is the review of the scenarios' pull request with comments.
func (e *Env) ReviewOf(comments ...render.ReviewSuggestion) action.Review {
	return action.Review{PullRequest: e.PR, MarkerPrefix: ReviewMarkerPrefix, Body: ReviewMarkerPrefix + "review -->\nsuggestions", Comments: comments}
}

// OurReviewComments are the review comments bench-action's token wrote
// with the marker prefix.
func (e *Env) OurReviewComments() []fakegithub.ReviewComment {
	var out []fakegithub.ReviewComment
	for _, c := range e.Server.ReviewComments(Owner, Repo, e.PR) {
		if strings.HasPrefix(c.Body, ReviewMarkerPrefix) && c.Author.Login == fakegithub.BotLogin {
			out = append(out, c)
		}
	}
	return out
}

func reviewScenarios() []Scenario {
	return []Scenario{
		{Name: "review-lifecycle", Run: reviewLifecycle},
		{Name: "review-lifecycle-ghes", Run: reviewLifecycle, Prefix: "/api/v3"},
		{Name: "review-read-only-token", Run: reviewReadOnly},
		{Name: "review-create-lost-answer", Run: reviewLostAnswer},
	}
}

// reviewLifecycle: the changed lines; a first run posts one review; an
// unchanged rerun writes nothing; a changed body is edited in place; a
// moved line is posted again and the old comment deleted; a fixed FAIL's
// comment is deleted; other people's comments (one forging the marker)
// and pages of them are never touched.
func reviewLifecycle(t *testing.T, e *Env, opts Options) {
	e.SetPullRequestDiff()
	for i := 0; i < 120; i++ {
		e.Server.SeedReviewComment(Owner, Repo, e.PR, fakegithub.OtherUserToken, ManifestPath, 14, fmt.Sprintf("nit %d", i))
	}
	forged := e.Server.SeedReviewComment(Owner, Repo, e.PR, fakegithub.OtherUserToken, ManifestPath, 14, Suggestion("cis-1.10/master/1.2.1", 14, "forged").Body)
	a := e.New(SecretToken).(action.ReviewPublisher)
	phase := func(name string, wantWrites int) {
		t.Helper()
		c := counts(e.Server)
		t.Logf("requests %-16s %s", name+":", c)
		if opts.Report != nil {
			opts.Report(name, c)
		}
		if w := e.Server.Writes(); w != wantWrites {
			t.Errorf("%s: %d write requests, want %d (%s)", name, w, wantWrites, c)
		}
		e.Server.ResetCounts()
	}

	changed, err := a.ChangedLines(ctx(t), e.PR)
	if e.Err(err) != nil {
		t.Fatal(err)
	}
	want := action.ChangedLines{ManifestPath: {14: true, 20: true}}
	if fmt.Sprint(changed) != fmt.Sprint(want) {
		t.Fatalf("changed lines %v, want %v", changed, want)
	}
	phase("changed-lines", 0)

	anon := Suggestion("cis-1.10/master/1.2.1", 14, "anonymous auth")
	prof := Suggestion("cis-1.10/master/1.2.15", 20, "profiling")
	out, err := a.SyncReview(ctx(t), e.ReviewOf(anon, prof))
	if e.Err(err) != nil || out.Created != 2 || out.ReviewID == 0 {
		t.Fatalf("first run: %+v, %v", out, err)
	}
	phase("first", 1)
	if n := len(e.Server.Reviews(Owner, Repo, e.PR)); n != 1 {
		t.Fatalf("%d reviews after the first run, want 1", n)
	}

	for i := 0; i < 3; i++ {
		out, err = a.SyncReview(ctx(t), e.ReviewOf(anon, prof))
		if e.Err(err) != nil || out.Writes() != 0 || out.Kept != 2 {
			t.Fatalf("unchanged rerun %d: %+v, %v", i, out, err)
		}
	}
	phase("unchanged x3", 0)

	anon2 := Suggestion("cis-1.10/master/1.2.1", 14, "anonymous auth, reworded")
	out, err = a.SyncReview(ctx(t), e.ReviewOf(anon2, prof))
	if e.Err(err) != nil || out.Edited != 1 || out.Created != 0 || out.Deleted != 0 {
		t.Fatalf("changed body: %+v, %v", out, err)
	}
	phase("edited", 1)

	moved := Suggestion("cis-1.10/master/1.2.15", 14, "profiling")
	out, err = a.SyncReview(ctx(t), e.ReviewOf(anon2, moved))
	if e.Err(err) != nil || out.Created != 1 || out.Deleted != 1 || out.Kept != 1 {
		t.Fatalf("moved line: %+v, %v", out, err)
	}
	phase("moved", 2)

	out, err = a.SyncReview(ctx(t), e.ReviewOf())
	if e.Err(err) != nil || out.Deleted != 2 || out.Created != 0 {
		t.Fatalf("all fixed: %+v, %v", out, err)
	}
	phase("fixed", 2)
	if got := e.OurReviewComments(); len(got) != 0 {
		t.Fatalf("comments left after all were fixed: %+v", got)
	}
	found := false
	for _, c := range e.Server.ReviewComments(Owner, Repo, e.PR) {
		found = found || c.ID == forged && strings.Contains(c.Body, "forged")
	}
	if n := len(e.Server.ReviewComments(Owner, Repo, e.PR)); n != 121 || !found {
		t.Fatalf("other people's comments were touched: %d left (want 121), forged kept %v", n, found)
	}
}

// reviewReadOnly: a fork's token reads the diff but cannot post.
func reviewReadOnly(t *testing.T, e *Env, _ Options) {
	e.SetPullRequestDiff()
	a := e.New(fakegithub.ReadOnlyToken).(action.ReviewPublisher)
	if _, err := a.ChangedLines(ctx(t), e.PR); e.Err(err) != nil {
		t.Fatalf("changed lines with a read-only token: %v", err)
	}
	_, err := a.SyncReview(ctx(t), e.ReviewOf(Suggestion("cis-1.10/master/1.2.1", 14, "x")))
	if !errors.Is(e.Err(err), action.ErrReadOnly) {
		t.Fatalf("review: %v, want ErrReadOnly", err)
	}
	if n := len(e.Server.ReviewComments(Owner, Repo, e.PR)); n != 0 {
		t.Fatalf("a read-only token wrote %d review comments", n)
	}
}

// reviewLostAnswer: the review lands but its answer is lost (502 after
// apply); the adapter looks before posting again: no duplicate.
func reviewLostAnswer(t *testing.T, e *Env, _ Options) {
	e.SetPullRequestDiff()
	f := e.Server.AddFault(fakegithub.Fault{Kind: fakegithub.FaultBadGateway, Method: "POST", Route: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", AfterApply: true})
	a := e.New(SecretToken).(action.ReviewPublisher)
	out, err := a.SyncReview(ctx(t), e.ReviewOf(Suggestion("cis-1.10/master/1.2.1", 14, "x")))
	if e.Err(err) != nil {
		t.Fatal(err)
	}
	if e.Server.Fired(f) != 1 {
		t.Fatalf("the fault fired %d times", e.Server.Fired(f))
	}
	if n := len(e.OurReviewComments()); n != 1 || out.Kept != 1 || out.Created != 0 {
		t.Fatalf("%d comments after a lost answer (outcome %+v), want 1 kept", n, out)
	}
	if n := len(e.Server.Reviews(Owner, Repo, e.PR)); n != 1 {
		t.Fatalf("%d reviews, want 1", n)
	}
}
