// Package scenarios is the adapter's scenario suite against the fake
// GitHub, as an importable package so that the same scenarios run in
// action/githubapi's tests and, with every request and response checked
// against GitHub's OpenAPI description, in test/contract.
//
// The suite does not import the adapter: the caller passes a [Factory]
// that builds one from a [Target].
package scenarios

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/internal/fakegithub"
	"github.com/bench-action/bench-action/render"
)

// Adapter is what the suite exercises.
type Adapter interface {
	action.CommentPublisher
	action.IssueTracker
	action.ReviewPublisher
}

// Target is what a [Factory] needs to build an adapter.
type Target struct {
	Token      string
	APIURL     string
	Owner      string
	Repo       string
	HTTPClient *http.Client
	Sleep      func(time.Duration)
	Clock      func() time.Time
	Logf       func(format string, args ...any)
	// WriteGap is the spacing of writes: the suite asks for none (-1) so
	// that its simulated waits are the fault handling alone.
	WriteGap time.Duration
}

// Factory builds the adapter under test.
type Factory func(t testing.TB, tg Target) Adapter

// Options tune a run of the suite.
type Options struct {
	// Wrap wraps the fake's handler (the contract validator).
	Wrap func(http.Handler) http.Handler
	// Report, when set, receives the request counts of the lifecycle
	// scenario per phase.
	Report func(phase, counts string)
}

// Env is one scenario's world: a fake GitHub, a simulated clock shared by
// server and client, and a log of everything the client printed.
type Env struct {
	T      *testing.T
	Server *fakegithub.Server
	Clock  *fakegithub.SimClock
	New    func(token string) Adapter
	PR     int

	factory Factory
	opts    Options

	mu     sync.Mutex
	logged strings.Builder
	errs   []error
}

// Owner and Repo of the scenarios' repository.
const (
	Owner = "octo-org"
	Repo  = "cluster-config"
	Label = "bench-action"
	// SecretToken is a recognisable token: it must never appear in an
	// error or log line of the adapter.
	SecretToken = "ghs_SECRETsecretSECRET0123456789abcdefXYZ"
)

// Start builds an Env. prefix is the API path prefix ("" or "/api/v3").
func Start(t *testing.T, f Factory, opts Options, prefix string) *Env {
	clock := fakegithub.NewSimClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	srv := fakegithub.New(t, fakegithub.Options{Owner: Owner, Repo: Repo, PathPrefix: prefix, Clock: clock.Now, Wrap: opts.Wrap})
	srv.AddToken(SecretToken, fakegithub.User{Login: fakegithub.BotLogin, ID: fakegithub.BotID, Type: "Bot"}, true, false)
	e := &Env{T: t, Server: srv, Clock: clock, factory: f, opts: opts}
	e.PR = srv.AddPullRequest(Owner, Repo, "Tighten kubelet config")
	e.New = func(token string) Adapter {
		hc := *srv.Client() // a copy: the server's client is shared
		// Long enough that a loaded CI machine does not turn a slow answer
		// into a retry; the slow-response fault holds its answer longer.
		hc.Timeout = 3 * time.Second
		return f(t, Target{Token: token, APIURL: srv.URL, Owner: Owner, Repo: Repo, HTTPClient: &hc,
			Sleep: clock.Sleep, Clock: clock.Now, Logf: e.logf, WriteGap: -1})
	}
	t.Cleanup(func() { e.checkNoLeak() })
	return e
}

func (e *Env) logf(format string, args ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fmt.Fprintf(&e.logged, format+"\n", args...)
}

// Err records an error the adapter returned, for the leak check.
func (e *Env) Err(err error) error {
	if err != nil {
		e.mu.Lock()
		e.errs = append(e.errs, err)
		e.mu.Unlock()
	}
	return err
}

func (e *Env) checkNoLeak() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, tok := range []string{SecretToken, fakegithub.ActionsToken, fakegithub.PATToken, fakegithub.ReadOnlyToken} {
		if strings.Contains(e.logged.String(), tok) {
			e.T.Errorf("token leaked into the adapter's log:\n%s", e.logged.String())
		}
		for _, r := range e.Server.Log() {
			if strings.Contains(r.Path+"?"+r.Query+" "+r.Body, tok) {
				e.T.Errorf("token sent outside the Authorization header: %s %s", r.Method, r.Route)
			}
		}
		for _, err := range e.errs {
			if strings.Contains(err.Error(), tok) || strings.Contains(fmt.Sprintf("%+v", err), tok) {
				e.T.Errorf("token leaked into an error: %v", err)
			}
		}
	}
}

// Comment builds the sticky comment of the scenarios' PR.
func (e *Env) Comment(cluster, text string) action.StickyComment {
	m := fmt.Sprintf("<!-- bench-action:comment cluster=%s -->", cluster)
	return action.StickyComment{PullRequest: e.PR, Marker: m, Body: m + "\n" + text}
}

// IssueMarkerPrefix is the marker prefix of the scenarios' issues.
const IssueMarkerPrefix = "<!-- bench-action:issue cluster=prod "

// Issue builds the tracking issue of owner.
func Issue(owner, text string) render.TrackingIssue {
	m := IssueMarkerPrefix + "owner=" + owner + " -->"
	return render.TrackingIssue{Owner: owner, Marker: m, Title: "CIS benchmark: open FAILs of " + owner, Body: m + "\n" + text, Labels: []string{Label, "owner:" + owner}}
}

// OurComments returns the PR's comments bench-action's token wrote with the
// marker.
func (e *Env) OurComments(marker string) []fakegithub.Comment {
	var out []fakegithub.Comment
	for _, c := range e.Server.Comments(Owner, Repo, e.PR) {
		if strings.HasPrefix(c.Body, marker) && c.Author.Login == fakegithub.BotLogin {
			out = append(out, c)
		}
	}
	return out
}

// IssueStates returns owner → state of the tracking issues, failing on a
// duplicate.
func (e *Env) IssueStates() map[string]string {
	e.T.Helper()
	out := map[string]string{}
	for _, is := range e.Server.Issues(Owner, Repo) {
		if !strings.HasPrefix(is.Body, IssueMarkerPrefix) {
			continue
		}
		owner := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(is.Body, "\n", 2)[0], IssueMarkerPrefix+"owner="), " -->")
		if _, dup := out[owner]; dup {
			e.T.Errorf("duplicate tracking issue for %s (#%d)", owner, is.Number)
		}
		out[owner] = is.State
	}
	return out
}

// Scenario is one test of the suite.
type Scenario struct {
	Name string
	Run  func(t *testing.T, e *Env, opts Options)
	// Prefix serves the API under a path prefix (GHES).
	Prefix string
}

// Run runs every scenario as a parallel subtest.
func Run(t *testing.T, f Factory, opts Options) {
	for _, sc := range All() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			e := Start(t, f, opts, sc.Prefix)
			sc.Run(t, e, opts)
		})
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func counts(s *fakegithub.Server) string { return s.CountSummary() }

// All returns the scenarios.
func All() []Scenario {
	return append([]Scenario{
		{Name: "lifecycle", Run: lifecycle},
		{Name: "lifecycle-ghes", Run: lifecycle, Prefix: "/api/v3"},
		{Name: "concurrent-runs", Run: concurrentRuns},
		{Name: "duplicates-left-by-race", Run: duplicatesLeft},
		{Name: "marker-forgery", Run: markerForgery},
		{Name: "read-only-token", Run: readOnly},
		{Name: "pagination-250-comments", Run: pagination},
		{Name: "body-too-long", Run: bodyTooLong},
		{Name: "pat-identity", Run: patIdentity},
		{Name: "pull-requests-in-issue-list", Run: pullRequestsIgnored},
		{Name: "faults", Run: faults},
		{Name: "random-faults-soak", Run: randomSoak},
		{Name: "base-branch-file", Run: baseBranchFile},
	}, reviewScenarios()...)
}

// baseBranchFile: the exceptions file as the base branch has it, through
// the contents API (an optional capability, action.FileReader).
func baseBranchFile(t *testing.T, e *Env, _ Options) {
	fr, ok := e.New(SecretToken).(action.FileReader)
	if !ok {
		t.Fatalf("the adapter does not implement action.FileReader")
	}
	want := "exceptions:\n  - check_id: \"1.2.11\"\n" + strings.Repeat("# a long comment line to span several base64 lines\n", 5)
	e.Server.SetFile(Owner, Repo, "0a1b2c3d", "config/kube-bench-exceptions.yaml", []byte(want))
	got, err := fr.FileAt(ctx(t), "config/kube-bench-exceptions.yaml", "0a1b2c3d")
	if e.Err(err) != nil || string(got) != want {
		t.Fatalf("FileAt: %q, %v", got, err)
	}
	if _, err := fr.FileAt(ctx(t), "config/kube-bench-exceptions.yaml", "ffff"); !errors.Is(err, action.ErrNoFile) {
		t.Errorf("a file missing at that ref: %v, want ErrNoFile", err)
	}
	t.Logf("requests: %s", counts(e.Server))
}

// lifecycle: first run, ten unchanged reruns, change, everything fixed,
// regression returns.
func lifecycle(t *testing.T, e *Env, opts Options) {
	report := func(phase string) {
		c := counts(e.Server)
		t.Logf("requests %-16s %s", phase+":", c)
		if opts.Report != nil {
			opts.Report(phase, c)
		}
		e.Server.ResetCounts()
	}
	cmt := e.Comment("prod", "## CIS gate: fail\n3 new FAILs")
	want := []render.TrackingIssue{Issue("platform-team", "1.2.1 FAIL"), Issue("infrastructure-team", "4.2.6 FAIL")}

	a := e.New(SecretToken)
	oc, err := a.UpsertComment(ctx(t), cmt)
	if e.Err(err) != nil || oc.Action != "created" {
		t.Fatalf("first run comment: %+v %v", oc, err)
	}
	ios, err := a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, want)
	if e.Err(err) != nil || actions(ios) != "infrastructure-team=created platform-team=created" {
		t.Fatalf("first run issues: %s %v", actions(ios), err)
	}
	report("first run")

	for i := 0; i < 10; i++ {
		a := e.New(SecretToken) // a new run: a new client
		oc, err := a.UpsertComment(ctx(t), cmt)
		if e.Err(err) != nil || oc.Action != "unchanged" {
			t.Fatalf("rerun %d comment: %+v %v", i, oc, err)
		}
		ios, err := a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, want)
		if e.Err(err) != nil || actions(ios) != "infrastructure-team=unchanged platform-team=unchanged" {
			t.Fatalf("rerun %d issues: %s %v", i, actions(ios), err)
		}
		if i == 0 {
			if w := e.Server.Writes(); w != 0 {
				t.Fatalf("unchanged rerun made %d write requests: %s", w, counts(e.Server))
			}
			report("unchanged rerun")
		}
	}
	if w := e.Server.Writes(); w != 0 {
		t.Fatalf("ten unchanged reruns made %d write requests", w)
	}
	e.Server.ResetCounts()
	if n := len(e.OurComments(cmt.Marker)); n != 1 {
		t.Fatalf("%d sticky comments after reruns, want 1", n)
	}

	// Change: edits in place.
	cmt2 := e.Comment("prod", "## CIS gate: fail\n2 new FAILs")
	want2 := []render.TrackingIssue{Issue("platform-team", "1.2.1 FAIL\n1.2.2 FAIL"), Issue("infrastructure-team", "4.2.6 FAIL")}
	a = e.New(SecretToken)
	oc2, err := a.UpsertComment(ctx(t), cmt2)
	if e.Err(err) != nil || oc2.Action != "updated" || oc2.ID != oc.ID {
		t.Fatalf("change comment: %+v %v (first id %d)", oc2, err, oc.ID)
	}
	ios, err = a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, want2)
	if e.Err(err) != nil || actions(ios) != "infrastructure-team=unchanged platform-team=updated" {
		t.Fatalf("change issues: %s %v", actions(ios), err)
	}
	report("change")

	// Everything fixed: issues closed.
	a = e.New(SecretToken)
	if _, err := a.UpsertComment(ctx(t), e.Comment("prod", "## CIS gate: pass")); e.Err(err) != nil {
		t.Fatal(err)
	}
	ios, err = a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, nil)
	if e.Err(err) != nil || actions(ios) != "infrastructure-team=closed platform-team=closed" {
		t.Fatalf("fix issues: %s %v", actions(ios), err)
	}
	report("fix")
	if got := e.IssueStates(); got["platform-team"] != "closed" || got["infrastructure-team"] != "closed" {
		t.Fatalf("after fix: %v", got)
	}

	// Regression returns: reopened, not duplicated.
	a = e.New(SecretToken)
	ios, err = a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, want2[:1])
	if e.Err(err) != nil || actions(ios) != "platform-team=reopened" {
		t.Fatalf("regression issues: %s %v", actions(ios), err)
	}
	report("regression")
	if got := e.IssueStates(); got["platform-team"] != "open" || got["infrastructure-team"] != "closed" || len(got) != 2 {
		t.Fatalf("after regression: %v", got)
	}
	if n := len(e.OurComments(cmt.Marker)); n != 1 {
		t.Fatalf("%d sticky comments at the end, want 1", n)
	}
}

func actions(ios []action.IssueOutcome) string {
	var parts []string
	for _, o := range ios {
		parts = append(parts, o.Owner+"="+o.Action)
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// concurrentRuns: two runs at once on an empty PR; the next run leaves one.
func concurrentRuns(t *testing.T, e *Env, _ Options) {
	cmt := e.Comment("prod", "body")
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.New(SecretToken).UpsertComment(ctx(t), cmt); e.Err(err) != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	oc, err := e.New(SecretToken).UpsertComment(ctx(t), cmt)
	if e.Err(err) != nil {
		t.Fatal(err)
	}
	if n := len(e.OurComments(cmt.Marker)); n != 1 {
		t.Fatalf("%d comments after the next run, want 1 (%+v)", n, oc)
	}
}

// duplicatesLeft: two raced runs both created a comment; the next run keeps
// the oldest and deletes the other.
func duplicatesLeft(t *testing.T, e *Env, _ Options) {
	cmt := e.Comment("prod", "old body")
	first := e.Server.SeedComment(Owner, Repo, e.PR, SecretToken, cmt.Body)
	e.Clock.Sleep(time.Second)
	e.Server.SeedComment(Owner, Repo, e.PR, SecretToken, cmt.Body)
	e.Clock.Reset()
	oc, err := e.New(SecretToken).UpsertComment(ctx(t), e.Comment("prod", "new body"))
	if e.Err(err) != nil {
		t.Fatal(err)
	}
	if oc.ID != first || oc.Deleted != 1 || oc.Action != "updated" {
		t.Fatalf("outcome %+v, want the oldest (%d) updated and 1 deleted", oc, first)
	}
	if got := e.OurComments(cmt.Marker); len(got) != 1 || got[0].ID != first {
		t.Fatalf("comments left: %+v", got)
	}
}

// markerForgery: someone else posts a comment starting with our marker; we
// must not edit or delete it, and create our own.
func markerForgery(t *testing.T, e *Env, _ Options) {
	cmt := e.Comment("prod", "real report")
	forged := e.Server.SeedComment(Owner, Repo, e.PR, fakegithub.OtherUserToken, cmt.Marker+"\n## CIS gate: pass (forged)")
	// Also a forged comment by a User whose login imitates the bot.
	e.Server.AddToken("ghp_impostor", fakegithub.User{Login: "github-actions", ID: 4242, Type: "User"}, false, false)
	imp := e.Server.SeedComment(Owner, Repo, e.PR, "ghp_impostor", cmt.Marker+"\nimpostor")
	for _, tok := range []string{SecretToken, fakegithub.PATToken} {
		oc, err := e.New(tok).UpsertComment(ctx(t), cmt)
		if e.Err(err) != nil || oc.Action != "created" || oc.ID == forged || oc.ID == imp {
			t.Fatalf("token %d: %+v %v", len(tok), oc, err)
		}
	}
	var bodies []string
	for _, c := range e.Server.Comments(Owner, Repo, e.PR) {
		if c.ID == forged || c.ID == imp {
			bodies = append(bodies, c.Body)
		}
	}
	if len(bodies) != 2 || !strings.Contains(bodies[0], "forged") || !strings.Contains(bodies[1], "impostor") {
		t.Fatalf("forged comments were touched: %q", bodies)
	}
}

// readOnly: a fork PR's token reads but cannot write.
func readOnly(t *testing.T, e *Env, _ Options) {
	a := e.New(fakegithub.ReadOnlyToken)
	_, err := a.UpsertComment(ctx(t), e.Comment("prod", "x"))
	if !errors.Is(e.Err(err), action.ErrReadOnly) {
		t.Fatalf("comment: %v, want ErrReadOnly", err)
	}
	_, err = a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, []render.TrackingIssue{Issue("platform-team", "x")})
	if !errors.Is(e.Err(err), action.ErrReadOnly) {
		t.Fatalf("issues: %v, want ErrReadOnly", err)
	}
	if len(e.Server.Comments(Owner, Repo, e.PR)) != 0 || len(e.Server.Issues(Owner, Repo)) != 0 {
		t.Fatal("a read-only token wrote")
	}
	if e.Clock.Slept() != 0 {
		t.Fatalf("read-only was retried (%s slept)", e.Clock.Slept())
	}
}

// pagination: our comment is on page 3 of 250.
func pagination(t *testing.T, e *Env, _ Options) {
	for i := 0; i < 230; i++ {
		e.Server.SeedComment(Owner, Repo, e.PR, fakegithub.OtherUserToken, fmt.Sprintf("LGTM %d", i))
	}
	cmt := e.Comment("prod", "old")
	mine := e.Server.SeedComment(Owner, Repo, e.PR, SecretToken, cmt.Body)
	for i := 0; i < 20; i++ {
		e.Server.SeedComment(Owner, Repo, e.PR, fakegithub.OtherUserToken, fmt.Sprintf("more %d", i))
	}
	oc, err := e.New(SecretToken).UpsertComment(ctx(t), e.Comment("prod", "new"))
	if e.Err(err) != nil || oc.ID != mine || oc.Action != "updated" {
		t.Fatalf("%+v %v, want %d updated", oc, err, mine)
	}
	if n := e.Server.Counts()["GET /repos/{owner}/{repo}/issues/{issue_number}/comments"]; n != 3 {
		t.Fatalf("listed %d pages, want 3", n)
	}
	// 250 issues with the label over 3 pages, ours on the last.
	for i := 0; i < 249; i++ {
		e.Server.SeedIssue(Owner, Repo, fakegithub.OtherUserToken, fmt.Sprint("report ", i), IssueMarkerPrefix+"owner=platform-team -->\nforged", []string{Label}, "open")
	}
	e.Server.ResetCounts()
	for i := 0; i < 3; i++ {
		if _, err := e.New(SecretToken).SyncIssues(ctx(t), Label, IssueMarkerPrefix, []render.TrackingIssue{Issue("platform-team", fmt.Sprint("v", i))}); e.Err(err) != nil {
			t.Fatal(err)
		}
	}
	var ours int
	for _, is := range e.Server.Issues(Owner, Repo) {
		if is.Author.Login == fakegithub.BotLogin {
			ours++
		}
	}
	if ours != 1 {
		t.Fatalf("%d issues of ours after 3 runs over 250 labelled issues, want 1", ours)
	}
	if n := e.Server.Counts()["GET /repos/{owner}/{repo}/issues"]; n != 3*3 {
		t.Fatalf("listed %d issue pages in 3 runs, want 9", n)
	}
}

func bodyTooLong(t *testing.T, e *Env, _ Options) {
	big := e.Comment("prod", strings.Repeat("x", fakegithub.MaxBodyChars))
	_, err := e.New(SecretToken).UpsertComment(ctx(t), big)
	if e.Err(err) == nil || !strings.Contains(err.Error(), "65536") {
		t.Fatalf("want a body-too-long error, got %v", err)
	}
	if e.Server.Writes() != 0 {
		t.Fatal("a body over the limit was sent")
	}
	// GitHub answers 422 (e.g. counting differently): a clear error, no retry.
	e.Server.AddFault(fakegithub.Fault{Kind: fakegithub.FaultBodyTooLong, Method: "POST"})
	_, err = e.New(SecretToken).UpsertComment(ctx(t), e.Comment("prod", "short"))
	if e.Err(err) == nil || !strings.Contains(err.Error(), "too long") || e.Clock.Slept() != 0 {
		t.Fatalf("422: %v (slept %s)", err, e.Clock.Slept())
	}
}

// patIdentity: with a PAT the identity comes from GET /user.
func patIdentity(t *testing.T, e *Env, _ Options) {
	cmt := e.Comment("prod", "x")
	e.Server.SeedComment(Owner, Repo, e.PR, SecretToken, cmt.Body) // the bot's, not ours now
	oc, err := e.New(fakegithub.PATToken).UpsertComment(ctx(t), cmt)
	if e.Err(err) != nil || oc.Action != "created" {
		t.Fatalf("%+v %v", oc, err)
	}
	if e.Server.Counts()["GET /user"] != 1 {
		t.Fatalf("GET /user: %s", counts(e.Server))
	}
}

// pullRequestsIgnored: the Issues API lists pull requests too; a PR carrying
// the label and a marker is never taken for a tracking issue.
func pullRequestsIgnored(t *testing.T, e *Env, _ Options) {
	pr := e.Server.AddPullRequest(Owner, Repo, "labelled PR")
	_ = pr
	e.Server.SeedComment(Owner, Repo, pr, SecretToken, "unrelated")
	e.Server.LabelIssue(Owner, Repo, pr, Label)
	e.Server.SetIssueBody(Owner, Repo, pr, IssueMarkerPrefix+"owner=platform-team -->\nPR body")
	a := e.New(SecretToken)
	if _, err := a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, []render.TrackingIssue{Issue("platform-team", "x")}); e.Err(err) != nil {
		t.Fatal(err)
	}
	if got := e.IssueStates(); got["platform-team"] != "open" {
		t.Fatalf("%v", got)
	}
}

// faultCase is one fault kind and what the call must end with.
type faultCase struct {
	name    string
	fault   fakegithub.Fault
	wantIs  error  // the call fails with this (errors.Is), or
	wantMsg string // the call fails with this in its message; neither: it succeeds
	minWait time.Duration
	maxWait time.Duration // of simulated waiting, per call
}

var faultCases = []faultCase{
	// The second GET is the first list (the first is GET /user).
	{name: "secondary-rate-limit-on-list", fault: fakegithub.Fault{Kind: fakegithub.FaultSecondaryRateLimit, Method: "GET", Nth: 2, RetryAfter: 30 * time.Second}, minWait: 30 * time.Second, maxWait: 30 * time.Second},
	{name: "secondary-rate-limit-on-create", fault: fakegithub.Fault{Kind: fakegithub.FaultSecondaryRateLimit, Method: "POST", RetryAfter: 45 * time.Second}, minWait: 45 * time.Second, maxWait: 47 * time.Second},
	{name: "primary-403-reset-near", fault: fakegithub.Fault{Kind: fakegithub.FaultPrimaryRateLimit, Method: "GET", Nth: 2, ResetIn: 20 * time.Second}, minWait: 20 * time.Second, maxWait: 22 * time.Second},
	{name: "primary-429-reset-near", fault: fakegithub.Fault{Kind: fakegithub.FaultPrimaryRateLimit429, Method: "POST", ResetIn: 20 * time.Second}, minWait: 20 * time.Second, maxWait: 22 * time.Second},
	{name: "primary-403-reset-far", fault: fakegithub.Fault{Kind: fakegithub.FaultPrimaryRateLimit, ResetIn: time.Hour, Times: -1}, wantMsg: "rate limit"},
	{name: "server-error-500-twice", fault: fakegithub.Fault{Kind: fakegithub.FaultServerError, Times: 2}, minWait: 1500 * time.Millisecond, maxWait: 3 * time.Second},
	{name: "bad-gateway-502-after-write-landed", fault: fakegithub.Fault{Kind: fakegithub.FaultBadGateway, Method: "POST", AfterApply: true}, minWait: 500 * time.Millisecond, maxWait: time.Second},
	{name: "bad-gateway-502-always", fault: fakegithub.Fault{Kind: fakegithub.FaultBadGateway, Times: -1}, wantMsg: "gave up", maxWait: 16 * time.Second},
	{name: "not-found-404", fault: fakegithub.Fault{Kind: fakegithub.FaultNotFound, Method: "GET", Nth: 2}, wantMsg: "404"},
	{name: "not-accessible-403", fault: fakegithub.Fault{Kind: fakegithub.FaultNotAccessible, Method: "WRITE"}, wantIs: action.ErrReadOnly},
	{name: "disconnect-twice", fault: fakegithub.Fault{Kind: fakegithub.FaultDisconnect, Times: 2}, minWait: 1500 * time.Millisecond, maxWait: 3 * time.Second},
	{name: "disconnect-after-write-landed", fault: fakegithub.Fault{Kind: fakegithub.FaultDisconnect, Method: "POST", AfterApply: true}, minWait: 500 * time.Millisecond, maxWait: time.Second},
	{name: "slow-response", fault: fakegithub.Fault{Kind: fakegithub.FaultDelay, Method: "GET", Nth: 2, Delay: 10 * time.Second}, minWait: 500 * time.Millisecond, maxWait: time.Second},
	{name: "body-too-long-422", fault: fakegithub.Fault{Kind: fakegithub.FaultBodyTooLong, Method: "WRITE", Times: -1}, wantMsg: "too long"},
}

// faults runs each fault kind against a first run of the comment and of the
// issues: the right outcome, no duplicate, bounded simulated wait.
func faults(t *testing.T, e0 *Env, _ Options) {
	for _, fc := range faultCases {
		for _, what := range []string{"comment", "issues"} {
			t.Run(fc.name+"/"+what, func(t *testing.T) {
				t.Parallel()
				e := Start(t, e0.factory, e0.opts, "")
				f := e.Server.AddFault(fc.fault)
				a := e.New(SecretToken)
				var err error
				if what == "comment" {
					_, err = a.UpsertComment(ctx(t), e.Comment("prod", "report"))
				} else {
					_, err = a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, []render.TrackingIssue{Issue("platform-team", "x"), Issue("infrastructure-team", "y")})
				}
				e.Err(err)
				if e.Server.Fired(f) == 0 {
					t.Fatalf("the fault never fired: %s", counts(e.Server))
				}
				switch {
				case fc.wantIs != nil:
					if !errors.Is(err, fc.wantIs) {
						t.Fatalf("error %v, want %v", err, fc.wantIs)
					}
				case fc.wantMsg != "":
					if err == nil || !strings.Contains(err.Error(), fc.wantMsg) {
						t.Fatalf("error %v, want one saying %q", err, fc.wantMsg)
					}
				default:
					if err != nil {
						t.Fatalf("error %v, want success", err)
					}
				}
				slept := e.Clock.Slept()
				if slept < fc.minWait || slept > fc.maxWait {
					t.Fatalf("simulated wait %s, want %s..%s (sleeps %v)", slept, fc.minWait, fc.maxWait, e.Clock.Sleeps())
				}
				// No duplicates, and with the fault gone the next run converges.
				e.Server.ClearFaults()
				b := e.New(SecretToken)
				if _, err := b.UpsertComment(ctx(t), e.Comment("prod", "report")); e.Err(err) != nil {
					t.Fatal(err)
				}
				if _, err := b.SyncIssues(ctx(t), Label, IssueMarkerPrefix, []render.TrackingIssue{Issue("platform-team", "x"), Issue("infrastructure-team", "y")}); e.Err(err) != nil {
					t.Fatal(err)
				}
				if n := len(e.OurComments(e.Comment("prod", "").Marker)); n != 1 {
					t.Fatalf("%d comments after recovery, want 1", n)
				}
				if got := e.IssueStates(); len(got) != 2 || got["platform-team"] != "open" {
					t.Fatalf("issues after recovery: %v", got)
				}
				t.Logf("%s/%s: err=%v simulated wait=%s requests: %s", fc.name, what, err != nil, slept, counts(e.Server))
			})
		}
	}
}

// randomSoak: many runs against one repository with random faults: every
// run ends within its bound and the repository holds one comment and one
// issue per owner.
func randomSoak(t *testing.T, e *Env, _ Options) {
	for i, afterApply := range []bool{false, true} {
		e.Server.RandomFaults(int64(42+i), 0.15, fakegithub.Fault{RetryAfter: 5 * time.Second, ResetIn: 10 * time.Second, AfterApply: afterApply},
			fakegithub.FaultServerError, fakegithub.FaultBadGateway, fakegithub.FaultSecondaryRateLimit,
			fakegithub.FaultPrimaryRateLimit, fakegithub.FaultDisconnect)
		for run := 0; run < 10; run++ {
			e.Clock.Reset()
			a := e.New(SecretToken)
			text := fmt.Sprint("run ", run%3)
			if _, err := a.UpsertComment(ctx(t), e.Comment("prod", text)); e.Err(err) != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			want := []render.TrackingIssue{Issue("platform-team", text), Issue("infrastructure-team", text)}
			if run%4 == 3 {
				want = want[:1]
			}
			if _, err := a.SyncIssues(ctx(t), Label, IssueMarkerPrefix, want); e.Err(err) != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			if s := e.Clock.Slept(); s > 4*time.Minute {
				t.Fatalf("run %d waited %s", run, s)
			}
		}
	}
	e.Server.ClearFaults()
	if n := len(e.OurComments(e.Comment("prod", "").Marker)); n != 1 {
		t.Fatalf("%d comments, want 1", n)
	}
	if got := e.IssueStates(); len(got) != 2 {
		t.Fatalf("issues: %v", got)
	}
}
