// Package fakegithub is a stateful fake of the part of GitHub's REST API
// that bench-action uses, on an httptest server bound to loopback, for the
// tests of the GitHub adapter (action/githubapi), of the action runtime and
// of the fault soak.
//
// # Starting one
//
//	clock := fakegithub.NewSimClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
//	srv := fakegithub.New(t, fakegithub.Options{Clock: clock.Now}) // closed at t.Cleanup
//	pr := srv.AddPullRequest("octo-org", "cluster-config", "Tighten kubelet")
//	// Point the code under test at srv.URL (GITHUB_API_URL) with one of
//	// the tokens below, srv.Client() as HTTP client, and clock.Sleep /
//	// clock.Now as its sleep and clock, so retries take no real time.
//
// [Options.PathPrefix] "/api/v3" serves the API as GitHub Enterprise
// Server does ([Server.URL] then ends in /api/v3). [Options.Wrap] wraps the
// handler (test/contract validates every exchange that way).
//
// # Identities
//
// [ActionsToken] acts as github-actions[bot] (type Bot; GET /user answers
// 403 as it does for a GITHUB_TOKEN); [ReadOnlyToken] is the same identity
// on a fork pull request (every write: 403 "Resource not accessible by
// integration"); [PATToken] is the user octocat; [OtherUserToken] is
// mallory, to plant comments bench-action must not touch. [Server.AddToken]
// adds more. Anything else gets 401 "Bad credentials".
//
// # What it serves
//
// Issues (create, get, update incl. state open/closed and state_reason,
// list with labels=, state=, sort=, direction=, per_page=, page=), issue
// comments (list per issue, create, get, update, delete), labels (list,
// get, create; created on the fly when an issue names them), a pull
// request's files (their patch, set with [Server.SetPullRequestFiles]),
// reviews (create; a comment on a line outside the diff gets GitHub's 422,
// as does a multi-line comment, start_line..line, whose lines are not all
// in one hunk, or whose start_line does not precede its line)
// and review comments (list per pull request, get, update, delete; read
// back with [Server.Reviews] and [Server.ReviewComments], planted with
// [Server.SeedReviewComment]). Pull requests
// share the issue numbering and appear in issue lists with a pull_request
// key, as on GitHub. Lists are paginated with GitHub's Link header (rel
// prev/next/last/first, /repositories/{id}/... URLs, which are served too).
// Bodies over 65,536 characters get GitHub's 422. Response bodies carry the
// fields GitHub returns and are checked against GitHub's OpenAPI
// description by test/contract.
//
// # Counting requests
//
// [Server.Counts] (per "METHOD route"), [Server.Writes], [Server.Reads],
// [Server.Log], [Server.CountSummary] and [Server.ResetCounts] let a test
// assert, for instance, that an unchanged rerun made zero write requests.
// The state is read back with [Server.Comments], [Server.Issues] and
// [Server.Labels], and set up without counting with [Server.SeedComment],
// [Server.SeedIssue], [Server.LabelIssue] and [Server.SetIssueBody].
//
// # Faults
//
// [Server.AddFault] scripts a [Fault] per method and route, from the Nth
// matching call, for some number of times: secondary rate limit (403 +
// Retry-After), primary rate limit (403 or 429 + X-RateLimit-Remaining: 0
// + X-RateLimit-Reset), 422 body too long, 403 not accessible by
// integration, 404, 500, 502, a slow answer, a dropped connection; with
// AfterApply the write lands before the fault is answered (the case that
// makes naive retries duplicate). [Server.RandomFaults] injects them at a
// seeded random rate, for soak tests.
//
// # Webhook payloads
//
// [FindWebhookExamples] and [LoadWebhookExample] read real payloads of the
// npm package @octokit/webhooks-examples (fetched by
// test/contract/fetch-spec.sh) for GITHUB_EVENT_PATH; [ForkPullRequest]
// derives a pull request from a fork, which the package lacks. Skip the
// test when FindWebhookExamples returns [ErrNoWebhookExamples].
//
// The adapter's scenario suite is in the scenarios subpackage, runnable by
// any test with a factory for the adapter.
package fakegithub
