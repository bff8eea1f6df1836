package fakegithub_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// TestRoutes pins how a request finds its route: the name it is counted
// under and the status it gets.
func TestRoutes(t *testing.T) {
	t.Parallel()
	type result struct {
		Status int
		Counts map[string]int
	}
	const repo = "/repos/octo-org/cluster-config"
	for _, tc := range []struct {
		name, prefix, method, path string
		want                       result
	}{
		{"issue", "", "GET", repo + "/issues/1", result{200, map[string]int{"GET /repos/{owner}/{repo}/issues/{issue_number}": 1}}},
		{"owner and repo fold case", "", "GET", "/repos/Octo-Org/Cluster-Config/issues/1", result{200, map[string]int{"GET /repos/{owner}/{repo}/issues/{issue_number}": 1}}},
		{"comments of an issue", "", "GET", repo + "/issues/1/comments", result{200, map[string]int{"GET /repos/{owner}/{repo}/issues/{issue_number}/comments": 1}}},
		{"comment by id", "", "GET", repo + "/issues/comments/1003", result{200, map[string]int{"GET /repos/{owner}/{repo}/issues/comments/{comment_id}": 1}}},
		{"a comment named comments beats an issue named comments", "", "GET", repo + "/issues/comments/comments", result{404, map[string]int{"GET /repos/{owner}/{repo}/issues/comments/{comment_id}": 1}}},
		{"by repository id", "", "GET", "/repositories/1001/issues/1/comments", result{200, map[string]int{"GET /repos/{owner}/{repo}/issues/{issue_number}/comments": 1}}},
		{"comment by repository id", "", "GET", "/repositories/1001/issues/comments/1003", result{200, map[string]int{"GET /repos/{owner}/{repo}/issues/comments/{comment_id}": 1}}},
		{"file path spans slashes", "", "GET", repo + "/contents/config/x.yaml", result{200, map[string]int{"GET /repos/{owner}/{repo}/contents/{path}": 1}}},
		{"escaped slash stays in its segment", "", "GET", repo + "/labels/a%2Fb", result{200, map[string]int{"GET /repos/{owner}/{repo}/labels/{name}": 1}}},
		{"other method: counted under the route", "", "PUT", repo + "/issues/1", result{404, map[string]int{"PUT /repos/{owner}/{repo}/issues/{issue_number}": 1}}},
		{"other method on a comment", "", "POST", repo + "/issues/comments/1003", result{404, map[string]int{"POST /repos/{owner}/{repo}/issues/comments/{comment_id}": 1}}},
		{"unknown path: counted under itself", "", "GET", repo + "/pulls", result{404, map[string]int{"GET " + repo + "/pulls": 1}}},
		{"unclean path: 404, not a redirect", "", "GET", repo + "//issues/1", result{404, map[string]int{"GET " + repo + "//issues/1": 1}}},
		{"trailing slash", "", "GET", repo + "/issues/", result{404, map[string]int{"GET " + repo + "/issues/": 1}}},
		{"under the prefix", "/api/v3", "GET", "/api/v3" + repo + "/issues/1", result{200, map[string]int{"GET /repos/{owner}/{repo}/issues/{issue_number}": 1}}},
		{"prefix dropped: 404, not counted", "/api/v3", "GET", repo + "/issues/1", result{404, map[string]int{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := fakegithub.New(t, fakegithub.Options{PathPrefix: tc.prefix})
			pr := srv.AddPullRequest("octo-org", "cluster-config", "x")
			if id := srv.SeedComment("octo-org", "cluster-config", pr, fakegithub.PATToken, "hello"); id != 1003 {
				t.Fatalf("comment id %d: the table expects 1003 (after repository 1001 and pull request 1002)", id)
			}
			srv.SetFile("octo-org", "cluster-config", "main", "config/x.yaml", []byte("a: 1\n"))
			srv.LabelIssue("octo-org", "cluster-config", pr, "a/b")
			host := strings.TrimSuffix(srv.URL, tc.prefix)
			req, _ := http.NewRequest(tc.method, host+tc.path, nil)
			req.Header.Set("Authorization", "Bearer "+fakegithub.PATToken)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			got := result{resp.StatusCode, srv.Counts()}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", tc.method, tc.path, diff)
			}
		})
	}
}
