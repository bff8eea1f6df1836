package main

import (
	"strings"
	"testing"
	"time"

	"github.com/bench-action/bench-action/action/githubapi"
	"github.com/bench-action/bench-action/internal/fakegithub"
)

// soakMaxRequests bounds the requests of one run: a run without faults
// makes at most 6 (list, read, create or update a comment or issue...),
// and a retried create first looks for what may have landed, so 8
// requests, each tried at most githubapi.DefaultMaxAttempts times.
const soakMaxRequests = 8 * githubapi.DefaultMaxAttempts

// TestActionSoakWithRandomFaults runs the action 50 times against one
// repository while the fake GitHub injects random faults (5xx, dropped
// connections, secondary and primary rate limits, 404, 403 "not
// accessible", 422 "too long") into 15% of requests, and a few slow
// answers the client gives up on, and checks the token never shows in
// anything the action wrote. The bounds are on work, the same on every
// machine: requests per run, and waiting on the simulated clock. Real
// time per run is BenchmarkActionRunWithFaults.
func TestActionSoakWithRandomFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: skipped with -short")
	}
	clock := fakegithub.NewSimClock(time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC))
	h := &harness{t: t, dir: t.TempDir(), clock: clock}
	h.gh = fakegithub.New(t, fakegithub.Options{Owner: owner, Repo: repo, Clock: clock.Now})
	prs := []int{h.gh.AddPullRequest(owner, repo, "a"), h.gh.AddPullRequest(owner, repo, "b"), h.gh.AddPullRequest(owner, repo, "c")}
	// No Delay in the template: it would hold back every fault, and the
	// client (300 ms timeout) would only ever see timeouts.
	h.gh.RandomFaults(20261126, 0.15, fakegithub.Fault{RetryAfter: 20 * time.Second},
		fakegithub.FaultServerError, fakegithub.FaultBadGateway, fakegithub.FaultDisconnect,
		fakegithub.FaultSecondaryRateLimit, fakegithub.FaultPrimaryRateLimit429,
		fakegithub.FaultNotFound, fakegithub.FaultNotAccessible, fakegithub.FaultBodyTooLong)
	for _, nth := range []int{7, 41, 97} { // slow answers: the client times out and retries
		h.gh.AddFault(fakegithub.Fault{Kind: fakegithub.FaultDelay, Delay: time.Second, Nth: nth})
	}

	variants := [][]string{fleet(nil), fleet(map[string]string{"w-2": scenarioDir + "/w-1.json"})}
	inputs := map[string]string{"exceptions": "../../examples/kube-bench-exceptions.yaml"}
	most := 0
	var maxSlept time.Duration
	degraded := 0
	for i := 0; i < 50; i++ {
		event, pr := "pull_request", prs[i%len(prs)]
		if i%5 == 4 {
			event, pr = "schedule", 0
		}
		clock.Reset()
		before := len(h.gh.Log())
		res := h.run(event, pr, fakegithub.ActionsToken, variants[(i/3)%2], inputs)
		requests := len(h.gh.Log()) - before
		most = max(most, requests)
		maxSlept = max(maxSlept, clock.Slept())
		if requests > soakMaxRequests || clock.Slept() > 5*time.Minute {
			t.Errorf("run %d made %d requests (at most %d) and waited %v on the simulated clock (at most 5m): over its bound", i, requests, soakMaxRequests, clock.Slept())
		}
		fail := strings.Contains(res.outputs, "verdict<<_GitHubActionsFileCommandDelimeter_\nfail\n")
		if (fail && res.code != exitFail) || (!fail && res.code != exitPass) {
			t.Errorf("run %d: exit %d does not match the gate's verdict (fail=%v)", i, res.code, fail)
		}
		if strings.Contains(res.stdout, "::warning::could not update") || strings.Contains(res.stdout, "::warning::the token cannot write") {
			degraded++
		}
		for _, p := range prs {
			if n := len(h.comments(p)); n > 1 {
				t.Fatalf("run %d: %d comments on PR %d", i, n, p)
			}
		}
		if n := len(h.gh.Issues(owner, repo)); n > 3 {
			t.Fatalf("run %d: %d issues, more than one per owner", i, n)
		}
	}
	faults := map[fakegithub.FaultKind]int{}
	for _, r := range h.gh.Log() {
		if r.Fault != "" {
			faults[r.Fault]++
		}
	}
	t.Logf("faults injected: %v", faults)
	if len(faults) < 5 {
		t.Errorf("faults of %d kinds injected, want at least 5: %v", len(faults), faults)
	}
	t.Logf("50 runs: at most %d requests and %v of simulated waiting in a run, %d runs degraded by faults; %s", most, maxSlept, degraded, h.gh.CountSummary())

	// With the faults gone, one more run of each converges.
	h.gh.ClearFaults()
	for _, p := range prs {
		h.run("pull_request", p, fakegithub.ActionsToken, variants[0], inputs)
		if n := len(h.comments(p)); n != 1 {
			t.Errorf("PR %d: %d comments, want 1", p, n)
		}
	}
	h.run("schedule", 0, fakegithub.ActionsToken, variants[0], inputs)
	owners := map[string]int{}
	for _, is := range h.gh.Issues(owner, repo) {
		owners[is.Title]++
		if is.State != "open" {
			t.Errorf("issue %q is %s", is.Title, is.State)
		}
	}
	if len(owners) != 2 {
		t.Errorf("issues %v, want one per owner (2)", owners)
	}
	for title, n := range owners {
		if n != 1 {
			t.Errorf("%d issues titled %q", n, title)
		}
	}
	h.assertTokenMasked(fakegithub.ActionsToken)
}

// BenchmarkActionRunWithFaults times one run of the action on a pull
// request while 15% of requests fail (what TestActionSoakWithRandomFaults
// bounds in requests): go test -run '^$' -bench RunWithFaults ./cmd/bench-action/
func BenchmarkActionRunWithFaults(b *testing.B) {
	clock := fakegithub.NewSimClock(time.Date(2026, 11, 26, 6, 0, 0, 0, time.UTC))
	h := &harness{t: b, dir: b.TempDir(), clock: clock}
	h.gh = fakegithub.New(b, fakegithub.Options{Owner: owner, Repo: repo, Clock: clock.Now})
	pr := h.gh.AddPullRequest(owner, repo, "a")
	h.gh.RandomFaults(20261126, 0.15, fakegithub.Fault{RetryAfter: 20 * time.Second},
		fakegithub.FaultServerError, fakegithub.FaultBadGateway, fakegithub.FaultDisconnect,
		fakegithub.FaultSecondaryRateLimit, fakegithub.FaultPrimaryRateLimit429,
		fakegithub.FaultNotFound, fakegithub.FaultNotAccessible, fakegithub.FaultBodyTooLong)
	inputs := map[string]string{"exceptions": "../../examples/kube-bench-exceptions.yaml"}
	for b.Loop() {
		clock.Reset()
		h.run("pull_request", pr, fakegithub.ActionsToken, fleet(nil), inputs)
	}
}
