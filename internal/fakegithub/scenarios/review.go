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
		{Name: "review-multi-line", Run: reviewMultiLine},
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

// splitPatch writes --audit-log-maxage=30 (line 17) as two list items,
// lines 17 and 18; lines 16, 19 and 20 are context.
const splitPatch = `@@ -16,4 +16,5 @@ spec:
     - --allow-privileged=true
-    - --audit-log-maxage=30
+    - --audit-log-maxage
+    - "30"
     - --audit-log-maxbackup=10
     - --audit-log-maxsize=100`

// RangeSuggestion is a review comment on lines start..end of the
// manifest, whose suggestion replaces them with text.
func RangeSuggestion(check string, start, end int, text string) render.ReviewSuggestion {
	m := ReviewMarkerPrefix + "check=" + check + " file=" + ManifestPath + " -->"
	return render.ReviewSuggestion{Path: ManifestPath, StartLine: start, Line: end, Marker: m, Body: m + "\n" + check + "\n\n```suggestion\n" + text + "\n```\n"}
}

// reviewMultiLine: a suggestion that joins the two lines of a split flag
// is one multi-line comment (start_line 17, line 18, both on the RIGHT
// side); an unchanged rerun keeps it; the same marker on one line is
// posted again and the range deleted; a range GitHub refuses (a line
// outside the diff's hunk) is an error, and nothing is written.
func reviewMultiLine(t *testing.T, e *Env, _ Options) {
	e.Server.SetPullRequestFiles(Owner, Repo, e.PR, "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c", []fakegithub.PullFile{{Filename: ManifestPath, Patch: splitPatch}})
	a := e.New(SecretToken).(action.ReviewPublisher)
	changed, err := a.ChangedLines(ctx(t), e.PR)
	if e.Err(err) != nil {
		t.Fatal(err)
	}
	if want := (action.ChangedLines{ManifestPath: {17: true, 18: true}}); fmt.Sprint(changed) != fmt.Sprint(want) {
		t.Fatalf("changed lines %v, want %v", changed, want)
	}

	join := RangeSuggestion("cis-1.10/master/1.2.17", 17, 18, "    - --audit-log-maxage=30")
	out, err := a.SyncReview(ctx(t), e.ReviewOf(join))
	if e.Err(err) != nil || out.Created != 1 {
		t.Fatalf("first run: %+v, %v", out, err)
	}
	got := e.OurReviewComments()
	if len(got) != 1 || got[0].StartLine != 17 || got[0].Line != 18 || got[0].Side != "RIGHT" {
		t.Fatalf("comments %+v, want one on lines 17-18", got)
	}

	e.Server.ResetCounts()
	out, err = a.SyncReview(ctx(t), e.ReviewOf(join))
	if e.Err(err) != nil || out.Writes() != 0 || out.Kept != 1 {
		t.Fatalf("unchanged rerun: %+v, %v", out, err)
	}
	if w := e.Server.Writes(); w != 0 {
		t.Fatalf("unchanged rerun: %d writes", w)
	}

	one := Suggestion("cis-1.10/master/1.2.17", 18, "one line")
	out, err = a.SyncReview(ctx(t), e.ReviewOf(one))
	if e.Err(err) != nil || out.Created != 1 || out.Deleted != 1 {
		t.Fatalf("range to one line: %+v, %v", out, err)
	}
	if got = e.OurReviewComments(); len(got) != 1 || got[0].StartLine != 0 || got[0].Line != 18 {
		t.Fatalf("comments %+v, want one on line 18 alone", got)
	}

	e.Server.ResetCounts()
	for _, bad := range []render.ReviewSuggestion{
		RangeSuggestion("cis-1.10/master/1.2.18", 14, 18, "x"), // line 14 is not in the diff
		RangeSuggestion("cis-1.10/master/1.2.18", 18, 22, "x"), // nor are 21 and 22
	} {
		_, err = a.SyncReview(ctx(t), e.ReviewOf(one, bad))
		if e.Err(err) == nil {
			t.Fatalf("a range on lines %d-%d outside the diff was accepted", bad.StartLine, bad.Line)
		}
	}
	if got = e.OurReviewComments(); len(got) != 1 || got[0].Line != 18 {
		t.Fatalf("after refused ranges: comments %+v", got)
	}
	_, err = a.SyncReview(ctx(t), e.ReviewOf(RangeSuggestion("cis-1.10/master/1.2.17", 18, 18, "x")))
	if e.Err(err) == nil {
		t.Fatal("a range of one line was sent")
	}
}
