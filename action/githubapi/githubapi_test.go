package githubapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/action/githubapi"
	"github.com/bench-action/bench-action/internal/fakegithub"
	"github.com/bench-action/bench-action/internal/fakegithub/scenarios"
	"github.com/bench-action/bench-action/render"
)

func factory(t testing.TB, tg scenarios.Target) scenarios.Adapter {
	c, err := githubapi.New(githubapi.Config{
		Token: tg.Token, APIURL: tg.APIURL, Owner: tg.Owner, Repo: tg.Repo,
		HTTPClient: tg.HTTPClient, Sleep: tg.Sleep, Clock: tg.Clock, Logf: tg.Logf,
		WriteGap: tg.WriteGap,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	scenarios.Run(t, factory, scenarios.Options{})
}

func TestWritesAreSpaced(t *testing.T) {
	t.Parallel()
	clock := fakegithub.NewSimClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	srv := fakegithub.New(t, fakegithub.Options{Clock: clock.Now})
	pr := srv.AddPullRequest("octo-org", "cluster-config", "x")
	c, err := githubapi.New(githubapi.Config{Token: fakegithub.ActionsToken, APIURL: srv.URL, Owner: "octo-org", Repo: "cluster-config",
		HTTPClient: srv.Client(), Sleep: clock.Sleep, Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	want := []render.TrackingIssue{}
	for _, o := range []string{"a", "b", "c"} {
		want = append(want, scenarios.Issue(o, "x"))
	}
	if _, err := c.SyncIssues(context.Background(), scenarios.Label, scenarios.IssueMarkerPrefix, want); err != nil {
		t.Fatal(err)
	}
	m := "<!-- m -->"
	if _, err := c.UpsertComment(context.Background(), action.StickyComment{PullRequest: pr, Marker: m, Body: m}); err != nil {
		t.Fatal(err)
	}
	// Writes: labels bench-action, owner:a..c (4), issues (3), comment (1) = 8;
	// the 7 gaps between them are one second each by default.
	if w, s := srv.Writes(), clock.Slept(); w != 8 || s != 7*time.Second {
		t.Fatalf("writes %d, slept %s; want 8 writes spaced by 1s (%v)", w, s, clock.Sleeps())
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		cfg  githubapi.Config
		want string
	}{
		{"no repo", githubapi.Config{Token: "t", Owner: "o"}, "owner and repo"},
		{"no token", githubapi.Config{Owner: "o", Repo: "r"}, "token"},
		{"bad url", githubapi.Config{Token: "t", Owner: "o", Repo: "r", APIURL: "ftp://x"}, "api url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := githubapi.New(tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %q", err, tc.want)
			}
		})
	}
}

func TestErrorsAreTyped(t *testing.T) {
	t.Parallel()
	srv := fakegithub.New(t, fakegithub.Options{})
	pr := srv.AddPullRequest("octo-org", "cluster-config", "x")
	c, _ := githubapi.New(githubapi.Config{Token: fakegithub.ReadOnlyToken, APIURL: srv.URL, Owner: "octo-org", Repo: "cluster-config", HTTPClient: srv.Client(), WriteGap: -1})
	m := "<!-- m -->"
	_, err := c.UpsertComment(context.Background(), action.StickyComment{PullRequest: pr, Marker: m, Body: m})
	if !errors.Is(err, action.ErrReadOnly) {
		t.Fatalf("%v", err)
	}
	_, err = c.UpsertComment(context.Background(), action.StickyComment{PullRequest: pr, Marker: m, Body: m + strings.Repeat("é", githubapi.MaxBodyChars)})
	if !errors.Is(err, githubapi.ErrBodyTooLong) {
		t.Fatalf("%v", err)
	}
}

// TestIssueAssignees: a new tracking issue is assigned to its owner's
// assignees; on an update the missing ones are added and people assigned
// by hand stay.
func TestIssueAssignees(t *testing.T) {
	t.Parallel()
	clock := fakegithub.NewSimClock(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	srv := fakegithub.New(t, fakegithub.Options{Clock: clock.Now})
	c, err := githubapi.New(githubapi.Config{Token: fakegithub.ActionsToken, APIURL: srv.URL, Owner: "octo-org", Repo: "cluster-config",
		HTTPClient: srv.Client(), Sleep: clock.Sleep, Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	sync := func(assignees ...string) []string {
		t.Helper()
		w := scenarios.Issue("platform-team", "x")
		w.Assignees = assignees
		if _, err := c.SyncIssues(context.Background(), scenarios.Label, scenarios.IssueMarkerPrefix, []render.TrackingIssue{w}); err != nil {
			t.Fatal(err)
		}
		issues := srv.Issues("octo-org", "cluster-config")
		if len(issues) != 1 {
			t.Fatalf("%d issues, want 1", len(issues))
		}
		return issues[0].Assignees
	}
	if got := strings.Join(sync("alice"), ","); got != "alice" {
		t.Errorf("created with assignees %q, want alice", got)
	}
	writes := srv.Writes()
	if got := strings.Join(sync("Alice"), ","); got != "alice" || srv.Writes() != writes {
		t.Errorf("assignees %q after %d writes, want alice and no write (logins compare without case)", got, srv.Writes()-writes)
	}
	if got := strings.Join(sync("bob"), ","); got != "alice,bob" {
		t.Errorf("updated to assignees %q, want alice,bob (alice stays)", got)
	}
}
