package fakegithub

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Default identities known to every [Server].
const (
	// ActionsToken is a GITHUB_TOKEN-style installation token: it acts as
	// github-actions[bot] (type Bot) and GET /user answers 403.
	ActionsToken = "ghs_fakeActionsToken0000000000000000000"
	// ReadOnlyToken is the token of a fork pull request: it reads but every
	// write answers 403 "Resource not accessible by integration".
	ReadOnlyToken = "ghs_fakeReadOnlyToken000000000000000000"
	// PATToken is a personal access token of the user "octocat" (type User).
	PATToken = "ghp_fakePersonalAccessToken00000000000000"
	// OtherUserToken is a personal access token of "mallory" (type User),
	// for comments written by someone else (marker forgery).
	OtherUserToken = "ghp_fakeOtherUserToken000000000000000000"

	// BotLogin is the login GitHub gives GITHUB_TOKEN's writes.
	BotLogin = "github-actions[bot]"
	// BotID is github-actions[bot]'s user id on github.com.
	BotID = 41898282

	// MaxBodyChars is GitHub's limit on issue and comment bodies.
	MaxBodyChars = 65536
)

// Options configures a [Server]. The zero value is usable.
type Options struct {
	// Owner and Repo name the repository created at start
	// (default "octo-org" and "cluster-config").
	Owner, Repo string
	// PathPrefix mounts the API under a prefix, as GitHub Enterprise Server
	// does ("/api/v3"). Requests outside it get 404.
	PathPrefix string
	// Clock gives the server's time (created_at, rate-limit resets).
	// Default time.Now; share a [SimClock] with the client under test.
	Clock func() time.Time
	// Wrap, when set, wraps the server's handler (a contract validator, a
	// logger).
	Wrap func(http.Handler) http.Handler
}

// User is an account as the API shows it.
type User struct {
	Login string
	ID    int64
	Type  string // "User" or "Bot"
}

// Server is a stateful fake of GitHub's REST API on an httptest server bound
// to loopback. All its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the API, prefix included, without a trailing
	// slash (give it to the client as GITHUB_API_URL).
	URL string

	srv    *httptest.Server
	prefix string
	clock  func() time.Time
	api    http.Handler // the routes, under the prefix

	mu        sync.Mutex
	tokens    map[string]*token
	repos     map[string]*repo
	reposByID map[int64]*repo
	nextID    int64
	counts    map[string]int
	log       []Request
	faults    []*Fault
	random    *randomFaults
	seq       atomic.Int64 // requests received, for X-RateLimit-Used
}

type token struct {
	user     User
	readOnly bool
	bot      bool // installation token: GET /user is refused
}

// Request is one request the server received, as recorded in [Server.Log].
type Request struct {
	Method string
	Route  string // e.g. "/repos/{owner}/{repo}/issues"
	Path   string
	Query  string
	Status int
	Fault  FaultKind // "" when none was injected
	Body   string
}

// New starts a fake GitHub on loopback and stops it when the test ends.
func New(t interface {
	Helper()
	Cleanup(func())
}, opts Options) *Server {
	t.Helper()
	s := NewServer(opts)
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a fake GitHub on loopback; call Close when done.
func NewServer(opts Options) *Server {
	if opts.Owner == "" {
		opts.Owner = "octo-org"
	}
	if opts.Repo == "" {
		opts.Repo = "cluster-config"
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	s := &Server{
		prefix:    strings.TrimSuffix(opts.PathPrefix, "/"),
		clock:     opts.Clock,
		tokens:    map[string]*token{},
		repos:     map[string]*repo{},
		reposByID: map[int64]*repo{},
		counts:    map[string]int{},
		nextID:    1000,
	}
	s.tokens[ActionsToken] = &token{user: User{Login: BotLogin, ID: BotID, Type: "Bot"}, bot: true}
	s.tokens[ReadOnlyToken] = &token{user: User{Login: BotLogin, ID: BotID, Type: "Bot"}, bot: true, readOnly: true}
	s.tokens[PATToken] = &token{user: User{Login: "octocat", ID: 583231, Type: "User"}}
	s.tokens[OtherUserToken] = &token{user: User{Login: "mallory", ID: 1337, Type: "User"}}
	s.AddRepo(opts.Owner, opts.Repo)
	s.api = http.StripPrefix(s.prefix, s.newMux())

	var h http.Handler = http.HandlerFunc(s.serve)
	if opts.Wrap != nil {
		h = opts.Wrap(h)
	}
	s.srv = httptest.NewServer(h) // httptest listens on 127.0.0.1 only
	s.URL = s.srv.URL + s.prefix
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Client returns an HTTP client for the server (plain net/http, no auth).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// AddToken registers a token acting as user. A bot token is refused on
// GET /user, as installation tokens are; a read-only one refuses writes.
func (s *Server) AddToken(tok string, u User, bot, readOnly bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[tok] = &token{user: u, bot: bot, readOnly: readOnly}
}

// AddRepo creates an empty repository (idempotent).
func (s *Server) AddRepo(owner, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(owner + "/" + name)
	if _, ok := s.repos[key]; ok {
		return
	}
	r := &repo{owner: owner, name: name, id: s.newID(), issues: map[int]*issue{}, comments: map[int64]*comment{}, labels: map[string]*label{}}
	s.repos[key] = r
	s.reposByID[r.id] = r
}

// SetFile stores a file of the repository at ref (a branch name or a
// commit SHA), served by GET /repos/{owner}/{repo}/contents/{path}?ref=.
func (s *Server) SetFile(owner, name, ref, path string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	if r.files == nil {
		r.files = map[string][]byte{}
	}
	r.files[ref+"\x00"+path] = append([]byte(nil), data...)
}

// AddPullRequest creates pull request number n in owner/name (it shares the
// issue numbering, as on GitHub) and returns n.
func (s *Server) AddPullRequest(owner, name, title string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	is := s.newIssue(r, title, "", User{Login: "octocat", ID: 583231, Type: "User"})
	is.pull = true
	return is.number
}

// SeedComment writes a comment on issue or pull request n as the user of
// tok, bypassing faults and counts (to set up a scenario). It returns the
// comment id.
func (s *Server) SeedComment(owner, name string, n int, tok, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	c := s.newComment(r, n, s.tokens[tok].user, body)
	return c.id
}

// Comment is a comment as stored by the fake.
type Comment struct {
	ID        int64
	Issue     int
	Author    User
	Body      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Issue is an issue as stored by the fake.
type Issue struct {
	Number      int
	Title, Body string
	State       string
	StateReason string
	Labels      []string
	Assignees   []string
	Author      User
	PullRequest bool
}

// Comments returns the comments of issue or pull request n, oldest first.
func (s *Server) Comments(owner, name string, n int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	var out []Comment
	for _, c := range r.sortedComments(n) {
		out = append(out, Comment{ID: c.id, Issue: c.issue, Author: c.user, Body: c.body, CreatedAt: c.created, UpdatedAt: c.updated})
	}
	return out
}

// Issues returns every issue (not pull request) of the repository, by number.
func (s *Server) Issues(owner, name string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	var out []Issue
	for _, is := range r.sortedIssues() {
		if is.pull {
			continue
		}
		out = append(out, Issue{Number: is.number, Title: is.title, Body: is.body, State: is.state, StateReason: is.stateReason, Labels: append([]string(nil), is.labels...), Assignees: append([]string(nil), is.assignees...), Author: is.user})
	}
	return out
}

// Labels returns the names of the repository's labels, sorted.
func (s *Server) Labels(owner, name string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	var out []string
	for _, l := range r.labels {
		out = append(out, l.name)
	}
	sort.Strings(out)
	return out
}

// Counts returns how many requests were received per "METHOD route",
// e.g. "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}".
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Writes returns how many write requests (POST, PATCH, PUT, DELETE) were
// received, faulted ones included.
func (s *Server) Writes() int { return s.total(true) }

// Reads returns how many GET requests were received.
func (s *Server) Reads() int { return s.total(false) }

func (s *Server) total(writes bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, v := range s.counts {
		if strings.HasPrefix(k, "GET ") != writes {
			n += v
		}
	}
	return n
}

// ResetCounts forgets the counts and the log (the state stays).
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
	s.log = nil
}

// Log returns every request received since the last ResetCounts.
func (s *Server) Log() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.log...)
}

// CountSummary formats Counts as "reads=N writes=N (METHOD route=N, ...)".
func (s *Server) CountSummary() string {
	c := s.Counts()
	keys := make([]string, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+strconv.Itoa(c[k]))
	}
	return fmt.Sprintf("reads=%d writes=%d (%s)", s.Reads(), s.Writes(), strings.Join(parts, ", "))
}

func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}

func (s *Server) repo(owner, name string) *repo {
	r := s.repos[strings.ToLower(owner+"/"+name)]
	if r == nil {
		panic(fmt.Sprintf("fakegithub: no repository %s/%s (AddRepo first)", owner, name))
	}
	return r
}

// serve is the entry of every request: the API is mounted under the
// prefix, as go-github's tests mount theirs, so that a client that drops
// it fails loudly.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, s.prefix+"/") {
		writeError(w, http.StatusNotFound, "Not Found", docsRoot) // not counted
		return
	}
	s.api.ServeHTTP(w, r)
}

// endpoint answers the requests of one route: it counts and logs them,
// injects the scripted faults, checks the token and calls handle. A nil
// handle answers 404; route "" names each request by its path.
func (s *Server) endpoint(route string, handle func(*reqCtx)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		routeName := route
		if routeName == "" {
			routeName = r.URL.Path
		}
		body, _ := readBody(r)

		s.mu.Lock()
		s.seq.Add(1)
		s.counts[r.Method+" "+routeName]++
		entry := Request{Method: r.Method, Route: routeName, Path: s.prefix + r.URL.Path, Query: r.URL.RawQuery, Body: string(body)}
		fault := s.pickFault(r.Method, routeName)
		s.mu.Unlock()

		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			entry.Status = rec.status
			s.mu.Lock()
			s.log = append(s.log, entry)
			s.mu.Unlock()
		}()

		if fault != nil {
			entry.Fault = fault.Kind
			if fault.Delay > 0 {
				select {
				case <-time.After(fault.Delay):
				case <-r.Context().Done():
					return
				}
			}
			if !fault.AfterApply && fault.Kind != FaultDelay {
				s.writeFault(rec, r, fault)
				return
			}
		}

		if handle == nil {
			writeError(rec, http.StatusNotFound, "Not Found", docsRoot)
			return
		}
		tok, ok := s.auth(r)
		if !ok {
			writeError(rec, http.StatusUnauthorized, "Bad credentials", docsRoot)
			return
		}
		ctx := &reqCtx{s: s, w: rec, r: r, body: body, tok: tok}
		if fault != nil && fault.AfterApply {
			// The write lands, but the answer is lost (a 502 from a proxy).
			ctx.w = &discardWriter{header: http.Header{}}
			handle(ctx)
			s.writeFault(rec, r, fault)
			return
		}
		handle(ctx)
	}
}

func (s *Server) auth(r *http.Request) (*token, bool) {
	h := r.Header.Get("Authorization")
	var tok string
	switch {
	case strings.HasPrefix(h, "Bearer "):
		tok = strings.TrimPrefix(h, "Bearer ")
	case strings.HasPrefix(h, "token "):
		tok = strings.TrimPrefix(h, "token ")
	default:
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.tokens[tok]
	return t, ok
}

// rateHeaders sets the X-RateLimit-* headers GitHub sends on every answer.
func (s *Server) rateHeaders(h http.Header) {
	used := int(s.seq.Load())
	reset := s.clock().Add(time.Hour).Unix()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(5000-used, 1)))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
	h.Set("X-RateLimit-Used", strconv.Itoa(used))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%04X:%06X", used, used*7919))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Hijack lets a disconnect fault reach the connection under the recorder.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := r.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("fakegithub: response writer cannot hijack")
	}
	return hj.Hijack()
}

type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

const docsRoot = "https://docs.github.com/rest"

// writeError writes GitHub's error body {"message", "documentation_url", "status"}.
func writeError(w http.ResponseWriter, status int, msg, docs string) {
	writeJSON(w, status, map[string]any{"message": msg, "documentation_url": docs, "status": strconv.Itoa(status)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Server Error"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	defer r.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 32*1024)
	for {
		n, err := r.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
		if sb.Len() > 4<<20 {
			break
		}
	}
	return []byte(sb.String()), nil
}

// randomFaults injects faults at random with a fixed seed.
type randomFaults struct {
	rng   *rand.Rand
	rate  float64
	kinds []FaultKind
	opts  Fault
}

// SeedIssue opens an issue as the user of tok, bypassing faults and counts,
// with state "open" or "closed"; it returns its number.
func (s *Server) SeedIssue(owner, name, tok, title, body string, labels []string, state string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	is := s.newIssue(r, title, body, s.tokens[tok].user)
	is.labels = s.applyLabels(r, labels)
	if state == "closed" {
		t := is.created
		is.state, is.closed, is.stateReason = "closed", &t, "completed"
	}
	return is.number
}

// LabelIssue adds a label to issue or pull request n (set-up helper).
func (s *Server) LabelIssue(owner, name string, n int, lbl string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	is := r.issues[n]
	is.labels = s.applyLabels(r, append(is.labels, lbl))
}

// SetIssueBody sets the body of issue or pull request n (set-up helper).
func (s *Server) SetIssueBody(owner, name string, n int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repo(owner, name).issues[n].body = body
}
