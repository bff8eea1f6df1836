// Package contract checks bench-action's GitHub adapter and the fake GitHub
// its tests use against GitHub's own OpenAPI description (npm
// @octokit/openapi 23.0.2, generated/api.github.com.json): every request the
// adapter sends and every response the fake returns in the adapter's
// scenario suite is validated with kin-openapi's openapi3filter.
//
// It lives in its own module so that kin-openapi stays out of the library's
// go.mod. Fetch the description with ./fetch-spec.sh; without it the test
// skips, unless BENCH_ACTION_REQUIRE_TOOLS=1 (CI), where it fails.
package contract

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/bench-action/bench-action/action/githubapi"
	"github.com/bench-action/bench-action/internal/fakegithub/scenarios"
)

const specRel = ".cache/openapi/generated/api.github.com.json"

var (
	specOnce   sync.Once
	specRouter routers.Router
	specErr    error
	specLoad   time.Duration
)

// spec loads the description once per test binary (13 MB, several seconds).
func spec(t *testing.T) routers.Router {
	t.Helper()
	path := specRel
	if dir := os.Getenv("BENCH_ACTION_CONTRACT_CACHE"); dir != "" {
		path = filepath.Join(dir, "openapi/generated/api.github.com.json")
	}
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("GitHub's OpenAPI description is not here (%s): run test/contract/fetch-spec.sh", path)
		if os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	specOnce.Do(func() {
		start := time.Now()
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromFile(path)
		if err != nil {
			specErr = fmt.Errorf("load %s: %w", path, err)
			return
		}
		// Route every request as if sent to api.github.com.
		doc.Servers = openapi3.Servers{{URL: "https://api.github.com"}}
		specRouter, specErr = gorillamux.NewRouter(doc)
		specLoad = time.Since(start)
	})
	if specErr != nil {
		t.Fatal(specErr)
	}
	return specRouter
}

// validator wraps the fake's handler and checks each exchange.
type validator struct {
	router routers.Router

	mu         sync.Mutex
	requests   int            // validated against an operation
	responses  int            // validated against a declared status
	operations map[string]int // responses validated, by "METHOD path" of GitHub's description
	undeclared map[string]int
	problems   []string
}

func (v *validator) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))

		// The request as api.github.com would see it.
		vr := r.Clone(context.Background())
		u := *r.URL
		u.Scheme, u.Host = "https", "api.github.com"
		u.Path = strings.TrimPrefix(u.Path, "/api/v3") // GHES serves the same API under /api/v3
		u.RawPath = ""
		vr.URL, vr.Host, vr.RequestURI = &u, "api.github.com", ""
		vr.Body = io.NopCloser(bytes.NewReader(body))

		route, params, err := v.router.FindRoute(vr)
		if err != nil {
			// GitHub's {path} parameter of the contents API spans slashes
			// ("config/kube-bench-exceptions.yaml"); the router matches one
			// segment, so match with the file path escaped as one.
			if segs := strings.SplitN(u.Path, "/", 6); len(segs) == 6 && segs[1] == "repos" && segs[4] == "contents" {
				u2 := u
				u2.Path = strings.Join(segs[:5], "/") + "/" + strings.ReplaceAll(segs[5], "/", "%2F")
				vr2 := vr.Clone(context.Background())
				vr2.URL = &u2
				if route, params, err = v.router.FindRoute(vr2); err == nil {
					params["path"] = segs[5]
				}
			}
		}
		if err != nil {
			v.problem("%s %s: no operation in GitHub's API: %v", r.Method, u.Path, err)
			next.ServeHTTP(w, r)
			return
		}
		in := &openapi3filter.RequestValidationInput{Request: vr, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			v.problem("request %s %s: %v", r.Method, route.Path, err)
		}
		v.count(func() { v.requests++ })

		cw := &captureWriter{real: w, header: http.Header{}}
		next.ServeHTTP(cw, r)
		if cw.hijacked || cw.status == 0 {
			return // a disconnect fault, or the client gave up on a slow answer
		}
		status := cw.status
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: status, Header: cw.header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
		out.SetBodyBytes(cw.buf.Bytes())
		err = openapi3filter.ValidateResponse(context.Background(), out)
		var re *openapi3filter.ResponseError
		switch {
		case err == nil:
			v.count(func() { v.responses++; v.operations[r.Method+" "+route.Path]++ })
		case errors.As(err, &re) && re.Reason == "status is not supported":
			// GitHub's description does not list every status GitHub sends
			// (429, 500, 502, 403 on some writes): counted, not failed.
			v.count(func() { v.undeclared[fmt.Sprintf("%d %s %s", status, r.Method, route.Path)]++ })
		default:
			v.problem("response %d to %s %s: %v", status, r.Method, route.Path, err)
		}
		for k, vs := range cw.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(status)
		_, _ = w.Write(cw.buf.Bytes())
	})
}

func (v *validator) count(f func()) {
	v.mu.Lock()
	defer v.mu.Unlock()
	f()
}

func (v *validator) problem(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if len(msg) > 2000 {
		msg = msg[:2000] + "..."
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.problems = append(v.problems, msg)
}

// captureWriter buffers a response so it can be validated before it is
// sent; it passes hijacking through for disconnect faults.
type captureWriter struct {
	real     http.ResponseWriter
	header   http.Header
	status   int
	buf      bytes.Buffer
	hijacked bool
}

func (c *captureWriter) Header() http.Header { return c.header }
func (c *captureWriter) WriteHeader(s int) {
	if c.status == 0 {
		c.status = s
	}
}
func (c *captureWriter) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.buf.Write(b)
}
func (c *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := c.real.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("cannot hijack")
	}
	c.hijacked = true
	return hj.Hijack()
}

func factory(t testing.TB, tg scenarios.Target) scenarios.Adapter {
	c, err := githubapi.New(githubapi.Config{
		Token: tg.Token, APIURL: tg.APIURL, Owner: tg.Owner, Repo: tg.Repo,
		HTTPClient: tg.HTTPClient, Sleep: tg.Sleep, Clock: tg.Clock, Logf: tg.Logf, WriteGap: tg.WriteGap,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestScenariosAgainstGitHubOpenAPI runs the adapter's whole scenario suite
// with every exchange validated.
func TestScenariosAgainstGitHubOpenAPI(t *testing.T) {
	start := time.Now()
	router := spec(t)
	v := &validator{router: router, undeclared: map[string]int{}, operations: map[string]int{}}
	t.Run("suite", func(t *testing.T) {
		scenarios.Run(t, factory, scenarios.Options{Wrap: v.wrap})
	})
	v.mu.Lock()
	defer v.mu.Unlock()
	var und []string
	for k, n := range v.undeclared {
		und = append(und, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(und)
	t.Logf("spec loaded in %s; validated %d requests and %d responses over %d operations; %d responses with a status the description does not declare: %s; total %s",
		specLoad.Round(time.Millisecond), v.requests, v.responses, len(v.operations), len(und), strings.Join(und, "; "), time.Since(start).Round(time.Millisecond))
	if v.requests == 0 || v.responses == 0 {
		t.Fatal("nothing was validated")
	}
	// Every call the adapter makes has a request and a successful response
	// validated at least once.
	for _, op := range adapterOperations {
		if v.operations[op] == 0 {
			t.Errorf("no successful response to %s was validated: the scenarios do not cover it", op)
		}
	}
	for _, p := range v.problems {
		t.Error(p)
	}
}

// adapterOperations are the operations of GitHub's API the adapter calls.
var adapterOperations = []string{
	"GET /user",
	"GET /repos/{owner}/{repo}/issues",
	"POST /repos/{owner}/{repo}/issues",
	"PATCH /repos/{owner}/{repo}/issues/{issue_number}",
	"GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
	"POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
	"PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}",
	"DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}",
	"GET /repos/{owner}/{repo}/contents/{path}",
	"GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
	"GET /repos/{owner}/{repo}/pulls/{pull_number}/comments",
	"POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
	"PATCH /repos/{owner}/{repo}/pulls/comments/{comment_id}",
	"DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}",
}

// TestValidatorCatchesAMismatch is a sanity check of the validator: a
// request GitHub's description refuses is reported.
func TestValidatorCatchesAMismatch(t *testing.T) {
	router := spec(t)
	v := &validator{router: router, undeclared: map[string]int{}}
	h := v.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id": "not a number"}`))
	}))
	req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1/repos/o/r/issues/comments/1", nil)
	rec := &captureWriter{header: http.Header{}}
	h.ServeHTTP(rec, req)
	if len(v.problems) == 0 {
		t.Fatal("an issue comment without its required fields passed validation")
	}
}
