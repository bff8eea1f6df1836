package fakegithub

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	pathpkg "path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

type repo struct {
	owner, name string
	id          int64
	nextNumber  int
	issues      map[int]*issue
	comments    map[int64]*comment
	labels      map[string]*label // by lower-case name
	files       map[string][]byte // by ref + "\x00" + path

	pullFiles      map[int][]PullFile // by pull request number
	heads          map[int]string     // head SHA by pull request number
	reviews        map[int64]*review
	reviewComments map[int64]*reviewComment
}

type issue struct {
	id          int64
	number      int
	title, body string
	state       string
	stateReason string
	labels      []string
	assignees   []string
	user        User
	pull        bool
	created     time.Time
	updated     time.Time
	closed      *time.Time
	closedBy    *User
}

type comment struct {
	id      int64
	issue   int
	user    User
	body    string
	created time.Time
	updated time.Time
}

type label struct {
	id          int64
	name, color string
	description string
}

func (r *repo) sortedIssues() []*issue {
	out := make([]*issue, 0, len(r.issues))
	for _, is := range r.issues {
		out = append(out, is)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].number < out[j].number })
	return out
}

func (r *repo) sortedComments(n int) []*comment {
	var out []*comment
	for _, c := range r.comments {
		if c.issue == n {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// newIssue and newComment are called with s.mu held.
func (s *Server) newIssue(r *repo, title, body string, u User) *issue {
	r.nextNumber++
	now := s.clock().UTC().Truncate(time.Second)
	is := &issue{id: s.newID(), number: r.nextNumber, title: title, body: body, state: "open", user: u, created: now, updated: now}
	r.issues[is.number] = is
	return is
}

func (s *Server) newComment(r *repo, n int, u User, body string) *comment {
	now := s.clock().UTC().Truncate(time.Second)
	c := &comment{id: s.newID(), issue: n, user: u, body: body, created: now, updated: now}
	r.comments[c.id] = c
	if is := r.issues[n]; is != nil {
		is.updated = now
	}
	return c
}

func (s *Server) ensureLabel(r *repo, name string) *label {
	key := strings.ToLower(name)
	if l, ok := r.labels[key]; ok {
		return l
	}
	l := &label{id: s.newID(), name: name, color: "ededed"}
	r.labels[key] = l
	return l
}

// routes are the operations the fake serves, as [http.ServeMux] patterns.
// A route's name in [Server.Counts], [Request.Route] and [Fault.Route] is
// its path as GitHub's documentation writes it ("{path...}" is "{path}").
var routes = []struct {
	method, path string
	handle       func(*reqCtx)
}{
	{"GET", "/user", handleGetUser},
	{"GET", "/repos/{owner}/{repo}/issues", handleListIssues},
	{"POST", "/repos/{owner}/{repo}/issues", handleCreateIssue},
	{"GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", handleGetComment},
	{"PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", handleUpdateComment},
	{"DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", handleDeleteComment},
	{"GET", "/repos/{owner}/{repo}/issues/{issue_number}", handleGetIssue},
	{"PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", handleUpdateIssue},
	{"GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", handleListComments},
	{"POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", handleCreateComment},
	{"GET", "/repos/{owner}/{repo}/labels", handleListLabels},
	{"POST", "/repos/{owner}/{repo}/labels", handleCreateLabel},
	{"GET", "/repos/{owner}/{repo}/labels/{name}", handleGetLabel},
	{"GET", "/repos/{owner}/{repo}/contents/{path...}", handleGetContent},
	{"GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", handleListPullFiles},
	{"GET", "/repos/{owner}/{repo}/pulls/{pull_number}/comments", handleListReviewComments},
	{"POST", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", handleCreateReview},
	{"GET", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", handleGetReviewComment},
	{"PATCH", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", handleUpdateReviewComment},
	{"DELETE", "/repos/{owner}/{repo}/pulls/comments/{comment_id}", handleDeleteReviewComment},
}

// commentRoutes are the paths of the routes of one issue comment and of
// one pull request review comment.
var commentRoutes = map[string]bool{
	"/repos/{owner}/{repo}/issues/comments/{comment_id}": true,
	"/repos/{owner}/{repo}/pulls/comments/{comment_id}":  true,
}

// newMux routes each request, its path without the server's prefix, to
// an [Server.endpoint]:
//
//   - every route under /repos/{owner}/{repo}/ is served under
//     /repositories/{repository_id}/ too, the form of GitHub's Link headers;
//   - a path of a route asked with another method is counted under that
//     route and answered 404, as GitHub does;
//   - any other path is counted under itself and answered 404, and so is a
//     path that is not clean (".../issues//comments"), which ServeMux would
//     redirect: a URL built wrong fails loudly.
//
// GET .../issues/comments/{comment_id} and GET .../issues/{issue_number}/comments
// both match .../issues/comments/comments (and the same for pulls), so one
// ServeMux refuses the pair as a conflict. GitHub serves the comment: the
// comment routes sit on a mux in front that hands every other request to
// the rest.
func (s *Server) newMux() http.Handler {
	front, rest := http.NewServeMux(), http.NewServeMux()
	registered := map[string]bool{}
	for _, rt := range routes {
		mux := rest
		if commentRoutes[rt.path] {
			mux = front
		}
		name := strings.ReplaceAll(rt.path, "...}", "}")
		paths := []string{rt.path}
		if sub, ok := strings.CutPrefix(rt.path, "/repos/{owner}/{repo}/"); ok {
			paths = append(paths, "/repositories/{repository_id}/"+sub)
		}
		for _, p := range paths {
			mux.Handle(rt.method+" "+p, s.endpoint(name, rt.handle))
			if !registered[p] {
				registered[p] = true
				mux.Handle(p, s.endpoint(name, nil)) // any other method
			}
		}
	}
	unknown := s.endpoint("", nil)
	rest.Handle("/", unknown)
	front.Handle("/", rest)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.EscapedPath(); p != cleanPath(p) {
			unknown(w, r)
			return
		}
		front.ServeHTTP(w, r)
	})
}

// cleanPath is p as ServeMux cleans it: no "." or ".." element, no empty
// one, the trailing slash kept.
func cleanPath(p string) string {
	np := pathpkg.Clean("/" + p)
	if strings.HasSuffix(p, "/") && np != "/" {
		np += "/"
	}
	return np
}

// reqCtx carries one request through its handler.
type reqCtx struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	body []byte
	tok  *token
}

func (c *reqCtx) error(status int, msg string) {
	c.s.rateHeaders(c.w.Header())
	writeError(c.w, status, msg, docsRoot)
}

func (c *reqCtx) json(status int, v any) {
	c.s.rateHeaders(c.w.Header())
	writeJSON(c.w, status, v)
}

// repo resolves the repository, answering 404 when it does not exist. Call
// with s.mu held.
func (c *reqCtx) repo() *repo {
	if id := c.r.PathValue("repository_id"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		if r := c.s.reposByID[n]; r != nil {
			return r
		}
		return nil
	}
	return c.s.repos[strings.ToLower(c.r.PathValue("owner")+"/"+c.r.PathValue("repo"))]
}

// write refuses a write from a read-only token. Call with s.mu held.
func (c *reqCtx) writable() bool {
	if c.tok.readOnly {
		c.error(http.StatusForbidden, "Resource not accessible by integration")
		return false
	}
	return true
}

func (c *reqCtx) base() string {
	return "http://" + c.r.Host + c.s.prefix
}

func (c *reqCtx) web() string { return "http://" + c.r.Host }

func handleGetUser(c *reqCtx) {
	if c.tok.bot {
		c.error(http.StatusForbidden, "Resource not accessible by integration")
		return
	}
	u := userJSON(c.base(), c.web(), c.tok.user)
	now := c.s.clock().UTC().Format(time.RFC3339)
	for k, v := range map[string]any{
		"user_view_type": "private", "name": nil, "company": nil, "blog": "", "location": nil,
		"email": nil, "hireable": nil, "bio": nil, "twitter_username": nil, "notification_email": nil,
		"public_repos": 2, "public_gists": 0, "followers": 0, "following": 0,
		"created_at": now, "updated_at": now, "private_gists": 0, "total_private_repos": 0,
		"owned_private_repos": 0, "disk_usage": 0, "collaborators": 0, "two_factor_authentication": true,
	} {
		u[k] = v
	}
	c.json(http.StatusOK, u)
}

// pageParams reads per_page (default 30, at most 100) and page (default 1).
func pageParams(q url.Values) (perPage, page int) {
	perPage, page = 30, 1
	if v, err := strconv.Atoi(q.Get("per_page")); err == nil && v > 0 {
		perPage = min(v, 100)
	}
	if v, err := strconv.Atoi(q.Get("page")); err == nil && v > 0 {
		page = v
	}
	return perPage, page
}

// paginate sets GitHub's Link header for total items and returns the slice
// bounds of the page. Links use /repositories/{id}/..., as GitHub's do.
func (c *reqCtx) paginate(total int, r *repo) (lo, hi int) {
	q := c.r.URL.Query()
	perPage, page := pageParams(q)
	last := max((total+perPage-1)/perPage, 1)
	link := func(p int, rel string) string {
		q2 := url.Values{}
		for k, v := range q {
			q2[k] = v
		}
		q2.Set("page", strconv.Itoa(p))
		rest := strings.TrimPrefix(c.r.URL.Path, fmt.Sprintf("/repos/%s/%s", c.r.PathValue("owner"), c.r.PathValue("repo")))
		if id := c.r.PathValue("repository_id"); id != "" {
			rest = strings.TrimPrefix(c.r.URL.Path, "/repositories/"+id)
		}
		u := fmt.Sprintf("%s/repositories/%d%s?%s", c.base(), r.id, rest, q2.Encode())
		return fmt.Sprintf("<%s>; rel=%q", u, rel)
	}
	var links []string
	if page > 1 {
		links = append(links, link(min(page-1, last), "prev"))
	}
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"))
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo = min((page-1)*perPage, total)
	hi = min(lo+perPage, total)
	return lo, hi
}

func handleListIssues(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	if r == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	q := c.r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	if state != "open" && state != "closed" && state != "all" {
		c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed", "errors": []map[string]string{{"resource": "Issue", "field": "state", "code": "invalid"}}, "documentation_url": "https://docs.github.com/rest/issues/issues#list-repository-issues", "status": "422"})
		return
	}
	var want []string
	if l := q.Get("labels"); l != "" {
		for _, name := range strings.Split(l, ",") {
			want = append(want, strings.ToLower(strings.TrimSpace(name)))
		}
	}
	var list []*issue
	for _, is := range r.sortedIssues() {
		if state != "all" && is.state != state {
			continue
		}
		if !hasLabels(is, want) {
			continue
		}
		list = append(list, is)
	}
	// Default order: newest first (sort=created, direction=desc).
	asc := q.Get("direction") == "asc"
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if q.Get("sort") == "updated" && !a.updated.Equal(b.updated) {
			return a.updated.Before(b.updated) == asc
		}
		return (a.number < b.number) == asc
	})
	lo, hi := c.paginate(len(list), r)
	out := make([]map[string]any, 0, hi-lo)
	for _, is := range list[lo:hi] {
		out = append(out, c.issueJSON(r, is))
	}
	c.json(http.StatusOK, out)
}

func hasLabels(is *issue, want []string) bool {
	for _, w := range want {
		found := false
		for _, l := range is.labels {
			if strings.ToLower(l) == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

type issueRequest struct {
	Title       *string          `json:"title"`
	Body        *string          `json:"body"`
	State       *string          `json:"state"`
	StateReason *string          `json:"state_reason"`
	Labels      *json.RawMessage `json:"labels"`
	Assignees   *[]string        `json:"assignees"`
}

func (c *reqCtx) decode(v any) bool {
	if err := json.Unmarshal(c.body, v); err != nil {
		c.error(http.StatusBadRequest, "Problems parsing JSON")
		return false
	}
	return true
}

// labelNames reads labels given as names or as {"name": ...} objects.
func labelNames(raw json.RawMessage) ([]string, bool) {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, false
	}
	var out []string
	for _, it := range items {
		var name string
		if err := json.Unmarshal(it, &name); err == nil {
			out = append(out, name)
			continue
		}
		var obj struct{ Name string }
		if err := json.Unmarshal(it, &obj); err != nil {
			return nil, false
		}
		out = append(out, obj.Name)
	}
	return out, true
}

func tooLong(s *string) bool { return s != nil && utf8.RuneCountInString(*s) > MaxBodyChars }

func handleCreateIssue(c *reqCtx) {
	var req issueRequest
	if !c.decode(&req) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	if r == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	if req.Title == nil || *req.Title == "" {
		c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed", "errors": []map[string]string{{"resource": "Issue", "code": "missing_field", "field": "title"}}, "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue", "status": "422"})
		return
	}
	if tooLong(req.Body) {
		c.s.rateHeaders(c.w.Header())
		writeBodyTooLong(c.w, "Issue")
		return
	}
	var labels []string
	if req.Labels != nil {
		names, ok := labelNames(*req.Labels)
		if !ok {
			c.error(http.StatusBadRequest, "Problems parsing JSON")
			return
		}
		labels = names
	}
	body := ""
	if req.Body != nil {
		body = *req.Body
	}
	is := c.s.newIssue(r, *req.Title, body, c.tok.user)
	is.labels = c.s.applyLabels(r, labels)
	if req.Assignees != nil {
		is.assignees = append([]string(nil), *req.Assignees...)
	}
	c.w.Header().Set("Location", c.issueURL(r, is))
	c.json(http.StatusCreated, c.issueJSON(r, is))
}

// applyLabels creates missing labels, as GitHub does for a user with push
// access, and returns the names as stored.
func (s *Server) applyLabels(r *repo, names []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		out = append(out, s.ensureLabel(r, n).name)
	}
	return out
}

func (c *reqCtx) issueNumber() (int, bool) {
	n, err := strconv.Atoi(c.r.PathValue("issue_number"))
	return n, err == nil
}

func handleGetIssue(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	n, ok := c.issueNumber()
	if r == nil || !ok || r.issues[n] == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, c.issueJSON(r, r.issues[n]))
}

func handleUpdateIssue(c *reqCtx) {
	var req issueRequest
	if !c.decode(&req) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	n, ok := c.issueNumber()
	if r == nil || !ok || r.issues[n] == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	if tooLong(req.Body) {
		c.s.rateHeaders(c.w.Header())
		writeBodyTooLong(c.w, "Issue")
		return
	}
	is := r.issues[n]
	now := c.s.clock().UTC().Truncate(time.Second)
	if req.Title != nil {
		is.title = *req.Title
	}
	if req.Body != nil {
		is.body = *req.Body
	}
	if req.Labels != nil {
		names, ok := labelNames(*req.Labels)
		if !ok {
			c.error(http.StatusBadRequest, "Problems parsing JSON")
			return
		}
		is.labels = c.s.applyLabels(r, names)
	}
	if req.Assignees != nil {
		is.assignees = append([]string(nil), *req.Assignees...)
	}
	if req.State != nil {
		switch *req.State {
		case "open":
			if is.state == "closed" {
				is.state, is.closed, is.closedBy = "open", nil, nil
				is.stateReason = "reopened"
			}
		case "closed":
			if is.state == "open" {
				is.state = "closed"
				t := now
				is.closed = &t
				u := c.tok.user
				is.closedBy = &u
				is.stateReason = "completed"
			}
			if req.StateReason != nil && *req.StateReason != "" {
				is.stateReason = *req.StateReason
			}
		default:
			c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed", "errors": []map[string]string{{"resource": "Issue", "code": "invalid", "field": "state"}}, "documentation_url": "https://docs.github.com/rest/issues/issues#update-an-issue", "status": "422"})
			return
		}
	}
	is.updated = now
	c.json(http.StatusOK, c.issueJSON(r, is))
}

func handleListComments(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	n, ok := c.issueNumber()
	if r == nil || !ok || r.issues[n] == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	list := r.sortedComments(n)
	lo, hi := c.paginate(len(list), r)
	out := make([]map[string]any, 0, hi-lo)
	for _, cm := range list[lo:hi] {
		out = append(out, c.commentJSON(r, cm))
	}
	c.json(http.StatusOK, out)
}

type commentRequest struct {
	Body *string `json:"body"`
}

func handleCreateComment(c *reqCtx) {
	var req commentRequest
	if !c.decode(&req) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	n, ok := c.issueNumber()
	if r == nil || !ok || r.issues[n] == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	if req.Body == nil || *req.Body == "" {
		c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed", "errors": []map[string]string{{"resource": "IssueComment", "code": "missing_field", "field": "body"}}, "documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment", "status": "422"})
		return
	}
	if tooLong(req.Body) {
		c.s.rateHeaders(c.w.Header())
		writeBodyTooLong(c.w, "IssueComment")
		return
	}
	cm := c.s.newComment(r, n, c.tok.user, *req.Body)
	c.w.Header().Set("Location", fmt.Sprintf("%s/repos/%s/%s/issues/comments/%d", c.base(), r.owner, r.name, cm.id))
	c.json(http.StatusCreated, c.commentJSON(r, cm))
}

func (c *reqCtx) comment() (*repo, *comment) {
	r := c.repo()
	id, err := strconv.ParseInt(c.r.PathValue("comment_id"), 10, 64)
	if r == nil || err != nil {
		return r, nil
	}
	return r, r.comments[id]
}

func handleGetComment(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, cm := c.comment()
	if cm == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, c.commentJSON(r, cm))
}

func handleUpdateComment(c *reqCtx) {
	var req commentRequest
	if !c.decode(&req) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, cm := c.comment()
	if cm == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	if req.Body == nil {
		c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed", "errors": []map[string]string{{"resource": "IssueComment", "code": "missing_field", "field": "body"}}, "documentation_url": "https://docs.github.com/rest/issues/comments#update-an-issue-comment", "status": "422"})
		return
	}
	if tooLong(req.Body) {
		c.s.rateHeaders(c.w.Header())
		writeBodyTooLong(c.w, "IssueComment")
		return
	}
	cm.body = *req.Body
	cm.updated = c.s.clock().UTC().Truncate(time.Second)
	c.json(http.StatusOK, c.commentJSON(r, cm))
}

func handleDeleteComment(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, cm := c.comment()
	if cm == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	delete(r.comments, cm.id)
	c.s.rateHeaders(c.w.Header())
	c.w.WriteHeader(http.StatusNoContent)
}

func handleListLabels(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	if r == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	var list []*label
	for _, l := range r.labels {
		list = append(list, l)
	}
	sort.Slice(list, func(i, j int) bool { return strings.ToLower(list[i].name) < strings.ToLower(list[j].name) })
	lo, hi := c.paginate(len(list), r)
	out := make([]map[string]any, 0, hi-lo)
	for _, l := range list[lo:hi] {
		out = append(out, c.labelJSON(r, l))
	}
	c.json(http.StatusOK, out)
}

func handleGetLabel(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	if r == nil || r.labels[strings.ToLower(c.r.PathValue("name"))] == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, c.labelJSON(r, r.labels[strings.ToLower(c.r.PathValue("name"))]))
}

func handleCreateLabel(c *reqCtx) {
	var req struct {
		Name        string  `json:"name"`
		Color       string  `json:"color"`
		Description *string `json:"description"`
	}
	if !c.decode(&req) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	if r == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	if req.Name == "" || r.labels[strings.ToLower(req.Name)] != nil {
		code := "already_exists"
		if req.Name == "" {
			code = "missing_field"
		}
		c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed", "errors": []map[string]string{{"resource": "Label", "code": code, "field": "name"}}, "documentation_url": "https://docs.github.com/rest/issues/labels#create-a-label", "status": "422"})
		return
	}
	l := c.s.ensureLabel(r, req.Name)
	if req.Color != "" {
		l.color = strings.TrimPrefix(req.Color, "#")
	}
	if req.Description != nil {
		l.description = *req.Description
	}
	c.json(http.StatusCreated, c.labelJSON(r, l))
}

// JSON shapes, with the fields GitHub returns.

func nodeID(prefix string, id int64) string {
	return fmt.Sprintf("%s_kwDO%08X", prefix, id)
}

func userJSON(api, web string, u User) map[string]any {
	base := api + "/users/" + url.PathEscape(u.Login)
	return map[string]any{
		"login": u.Login, "id": u.ID, "node_id": nodeID("U", u.ID),
		"avatar_url":          fmt.Sprintf("%s/avatars/u/%d?v=4", web, u.ID),
		"gravatar_id":         "",
		"url":                 base,
		"html_url":            web + "/" + url.PathEscape(u.Login),
		"followers_url":       base + "/followers",
		"following_url":       base + "/following{/other_user}",
		"gists_url":           base + "/gists{/gist_id}",
		"starred_url":         base + "/starred{/owner}{/repo}",
		"subscriptions_url":   base + "/subscriptions",
		"organizations_url":   base + "/orgs",
		"repos_url":           base + "/repos",
		"events_url":          base + "/events{/privacy}",
		"received_events_url": base + "/received_events",
		"type":                u.Type,
		"user_view_type":      "public",
		"site_admin":          false,
	}
}

func (c *reqCtx) issueURL(r *repo, is *issue) string {
	return fmt.Sprintf("%s/repos/%s/%s/issues/%d", c.base(), r.owner, r.name, is.number)
}

func (c *reqCtx) issueJSON(r *repo, is *issue) map[string]any {
	api, web := c.base(), c.web()
	repoURL := fmt.Sprintf("%s/repos/%s/%s", api, r.owner, r.name)
	u := c.issueURL(r, is)
	labels := make([]map[string]any, 0, len(is.labels))
	for _, n := range is.labels {
		if l := r.labels[strings.ToLower(n)]; l != nil {
			labels = append(labels, c.labelJSON(r, l))
		}
	}
	kind := "issues"
	if is.pull {
		kind = "pull"
	}
	ncomments := 0
	for _, cm := range r.comments {
		if cm.issue == is.number {
			ncomments++
		}
	}
	var closedAt, closedBy, stateReason any
	if is.closed != nil {
		closedAt = is.closed.Format(time.RFC3339)
	}
	if is.closedBy != nil {
		closedBy = userJSON(api, web, *is.closedBy)
	}
	if is.stateReason != "" {
		stateReason = is.stateReason
	}
	out := map[string]any{
		"url":                      u,
		"repository_url":           repoURL,
		"labels_url":               u + "/labels{/name}",
		"comments_url":             u + "/comments",
		"events_url":               u + "/events",
		"html_url":                 fmt.Sprintf("%s/%s/%s/%s/%d", web, r.owner, r.name, kind, is.number),
		"id":                       is.id,
		"node_id":                  nodeID("I", is.id),
		"number":                   is.number,
		"title":                    is.title,
		"user":                     userJSON(api, web, is.user),
		"labels":                   labels,
		"state":                    is.state,
		"locked":                   false,
		"assignee":                 nil,
		"assignees":                assigneesJSON(is.assignees),
		"milestone":                nil,
		"comments":                 ncomments,
		"created_at":               is.created.Format(time.RFC3339),
		"updated_at":               is.updated.Format(time.RFC3339),
		"closed_at":                closedAt,
		"author_association":       "MEMBER",
		"active_lock_reason":       nil,
		"body":                     is.body,
		"closed_by":                closedBy,
		"reactions":                reactionsJSON(u + "/reactions"),
		"timeline_url":             u + "/timeline",
		"performed_via_github_app": nil,
		"state_reason":             stateReason,
	}
	if is.user.Type == "Bot" {
		out["author_association"] = "CONTRIBUTOR"
	}
	if is.pull {
		out["pull_request"] = map[string]any{
			"url":       fmt.Sprintf("%s/pulls/%d", repoURL, is.number),
			"html_url":  fmt.Sprintf("%s/%s/%s/pull/%d", web, r.owner, r.name, is.number),
			"diff_url":  fmt.Sprintf("%s/%s/%s/pull/%d.diff", web, r.owner, r.name, is.number),
			"patch_url": fmt.Sprintf("%s/%s/%s/pull/%d.patch", web, r.owner, r.name, is.number),
			"merged_at": nil,
		}
		out["draft"] = false
	}
	return out
}

func (c *reqCtx) commentJSON(r *repo, cm *comment) map[string]any {
	api, web := c.base(), c.web()
	kind := "issues"
	if is := r.issues[cm.issue]; is != nil && is.pull {
		kind = "pull"
	}
	u := fmt.Sprintf("%s/repos/%s/%s/issues/comments/%d", api, r.owner, r.name, cm.id)
	assoc := "MEMBER"
	if cm.user.Type == "Bot" {
		assoc = "NONE"
	}
	return map[string]any{
		"url":                      u,
		"html_url":                 fmt.Sprintf("%s/%s/%s/%s/%d#issuecomment-%d", web, r.owner, r.name, kind, cm.issue, cm.id),
		"issue_url":                fmt.Sprintf("%s/repos/%s/%s/issues/%d", api, r.owner, r.name, cm.issue),
		"id":                       cm.id,
		"node_id":                  nodeID("IC", cm.id),
		"user":                     userJSON(api, web, cm.user),
		"created_at":               cm.created.Format(time.RFC3339),
		"updated_at":               cm.updated.Format(time.RFC3339),
		"author_association":       assoc,
		"body":                     cm.body,
		"reactions":                reactionsJSON(u + "/reactions"),
		"performed_via_github_app": nil,
	}
}

func (c *reqCtx) labelJSON(r *repo, l *label) map[string]any {
	var desc any
	if l.description != "" {
		desc = l.description
	}
	return map[string]any{
		"id":          l.id,
		"node_id":     nodeID("LA", l.id),
		"url":         fmt.Sprintf("%s/repos/%s/%s/labels/%s", c.base(), r.owner, r.name, url.PathEscape(l.name)),
		"name":        l.name,
		"color":       l.color,
		"default":     false,
		"description": desc,
	}
}

func reactionsJSON(u string) map[string]any {
	return map[string]any{
		"url": u, "total_count": 0, "+1": 0, "-1": 0, "laugh": 0, "hooray": 0,
		"confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
	}
}

// handleGetContent answers GET /repos/{owner}/{repo}/contents/{path}?ref=
// for a file stored with [Server.SetFile], as GitHub does for a file.
func handleGetContent(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r := c.repo()
	ref := c.r.URL.Query().Get("ref")
	if ref == "" {
		ref = "main"
	}
	path := c.r.PathValue("path")
	var data []byte
	var ok bool
	if r != nil && r.files != nil {
		data, ok = r.files[ref+"\x00"+path]
	}
	if !ok {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	enc := base64.StdEncoding.EncodeToString(data)
	var lines []string
	for len(enc) > 60 {
		lines, enc = append(lines, enc[:60]), enc[60:]
	}
	lines = append(lines, enc)
	sum := sha1.Sum(append([]byte(fmt.Sprintf("blob %d\x00", len(data))), data...))
	sha := hex.EncodeToString(sum[:])
	self := fmt.Sprintf("%s/repos/%s/%s/contents/%s?ref=%s", c.base(), r.owner, r.name, path, url.QueryEscape(ref))
	gitURL := fmt.Sprintf("%s/repos/%s/%s/git/blobs/%s", c.base(), r.owner, r.name, sha)
	htmlURL := fmt.Sprintf("%s/%s/%s/blob/%s/%s", c.web(), r.owner, r.name, ref, path)
	c.json(http.StatusOK, map[string]any{
		"type": "file", "encoding": "base64", "size": len(data), "name": pathpkg.Base(path), "path": path,
		"content": strings.Join(lines, "\n") + "\n", "sha": sha, "url": self, "git_url": gitURL, "html_url": htmlURL,
		"download_url": fmt.Sprintf("%s/%s/%s/raw/%s/%s", c.web(), r.owner, r.name, ref, path),
		"_links":       map[string]any{"self": self, "git": gitURL, "html": htmlURL},
	})
}

// assigneesJSON is an issue's assignees as GitHub lists them (users; the
// fake knows only their logins).
func assigneesJSON(logins []string) []any {
	out := make([]any, 0, len(logins))
	for _, l := range logins {
		out = append(out, map[string]any{"login": l, "type": "User"})
	}
	return out
}
