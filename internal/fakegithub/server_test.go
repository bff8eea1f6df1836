package fakegithub_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/fakegithub"
)

func get(t *testing.T, srv *fakegithub.Server, tok, path string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestLinkHeaderAndPages(t *testing.T) {
	t.Parallel()
	srv := fakegithub.New(t, fakegithub.Options{PathPrefix: "/api/v3"})
	pr := srv.AddPullRequest("octo-org", "cluster-config", "x")
	for i := 0; i < 5; i++ {
		srv.SeedComment("octo-org", "cluster-config", pr, fakegithub.PATToken, fmt.Sprint(i))
	}
	resp, body := get(t, srv, fakegithub.PATToken, fmt.Sprintf("/repos/octo-org/cluster-config/issues/%d/comments?per_page=2&page=2", pr))
	link := resp.Header.Get("Link")
	for _, want := range []string{`page=1&per_page=2>; rel="prev"`, `page=3&per_page=2>; rel="next"`, `page=3&per_page=2>; rel="last"`, `rel="first"`, "/api/v3/repositories/"} {
		if !strings.Contains(link, want) {
			t.Errorf("Link %q lacks %q", link, want)
		}
	}
	var page []map[string]any
	if err := json.Unmarshal(body, &page); err != nil || len(page) != 2 || page[0]["body"] != "2" {
		t.Fatalf("page 2: %s", body)
	}
	// The Link URL itself is served.
	next := strings.TrimPrefix(strings.Split(strings.Split(link, `rel="prev", <`)[1], ">")[0], srv.URL)
	if resp, _ := get(t, srv, fakegithub.PATToken, next); resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", next, resp.StatusCode)
	}
	if resp, _ := get(t, srv, "nope", "/user"); resp.StatusCode != 401 {
		t.Fatalf("bad token: %d", resp.StatusCode)
	}
	if resp, _ := get(t, srv, fakegithub.ActionsToken, "/user"); resp.StatusCode != 403 {
		t.Fatalf("GITHUB_TOKEN on /user: %d", resp.StatusCode)
	}
	if srv.Writes() != 0 || srv.Reads() != 4 {
		t.Fatalf("counts: %s", srv.CountSummary())
	}
}

func TestWebhookExamples(t *testing.T) {
	t.Parallel()
	dir, err := fakegithub.FindWebhookExamples(".")
	if err != nil {
		if os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	for _, c := range []struct{ event, action string }{
		{"pull_request", "opened"}, {"pull_request", "synchronize"}, {"push", ""}, {"workflow_dispatch", ""},
	} {
		b, err := fakegithub.LoadWebhookExample(dir, c.event, c.action, nil)
		if err != nil || len(b) < 100 {
			t.Fatalf("%s/%s: %v", c.event, c.action, err)
		}
	}
	b, _ := fakegithub.LoadWebhookExample(dir, "pull_request", "opened", nil)
	fork, err := fakegithub.ForkPullRequest(b, "contributor")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		PullRequest struct {
			Head struct {
				Repo struct {
					Fork     bool   `json:"fork"`
					FullName string `json:"full_name"`
				} `json:"repo"`
			} `json:"head"`
		} `json:"pull_request"`
	}
	_ = json.Unmarshal(fork, &m)
	if !m.PullRequest.Head.Repo.Fork || !strings.HasPrefix(m.PullRequest.Head.Repo.FullName, "contributor/") {
		t.Fatalf("fork payload: %+v", m)
	}
}
