package fakegithub

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Pull request files, reviews and review comments: what bench-action needs
// to post suggested changes on the lines a pull request changed.

// PullFile is one file of a pull request's diff, as GET
// /repos/{owner}/{repo}/pulls/{pull_number}/files lists it. Patch is the
// unified diff of the file (its hunks, from the first "@@" line); empty for
// a binary or too large file.
type PullFile struct {
	Filename         string
	Status           string // added, removed, modified, renamed, ...; default modified
	Patch            string
	PreviousFilename string
}

// ReviewComment is a pull request review comment as stored by the fake.
type ReviewComment struct {
	ID          int64
	PullRequest int
	ReviewID    int64
	Author      User
	Path        string
	StartLine   int // the first line of a multi-line comment; 0 for one line
	Line        int
	Side        string
	CommitID    string
	Body        string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Review is a pull request review as stored by the fake.
type Review struct {
	ID          int64
	PullRequest int
	Author      User
	Body        string
	State       string // COMMENTED, APPROVED, CHANGES_REQUESTED, PENDING
	CommitID    string
}

type reviewComment struct {
	ReviewComment
}

type review struct {
	Review
	submitted time.Time
}

// SetPullRequestFiles sets the diff of pull request n (set-up helper, not
// counted), and its head commit SHA.
func (s *Server) SetPullRequestFiles(owner, name string, n int, headSHA string, files []PullFile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	if r.pullFiles == nil {
		r.pullFiles = map[int][]PullFile{}
		r.heads = map[int]string{}
	}
	r.pullFiles[n] = append([]PullFile(nil), files...)
	r.heads[n] = headSHA
}

// ReviewComments returns the review comments of pull request n, oldest first.
func (s *Server) ReviewComments(owner, name string, n int) []ReviewComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	var out []ReviewComment
	for _, c := range r.sortedReviewComments(n) {
		out = append(out, c.ReviewComment)
	}
	return out
}

// Reviews returns the reviews of pull request n, oldest first.
func (s *Server) Reviews(owner, name string, n int) []Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	var out []Review
	for _, rv := range r.reviews {
		if rv.PullRequest == n {
			out = append(out, rv.Review)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SeedReviewComment writes a review comment on line of path in pull
// request n as the user of tok, bypassing faults and counts (a comment of
// someone else, or one left by an earlier run). It returns its id.
func (s *Server) SeedReviewComment(owner, name string, n int, tok, path string, line int, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repo(owner, name)
	return s.newReviewComment(r, n, 0, s.tokens[tok].user, path, 0, line, r.heads[n], body).ID
}

func (r *repo) sortedReviewComments(n int) []*reviewComment {
	var out []*reviewComment
	for _, c := range r.reviewComments {
		if c.PullRequest == n {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// newReviewComment is called with s.mu held.
func (s *Server) newReviewComment(r *repo, n int, reviewID int64, u User, path string, start, line int, commit, body string) *reviewComment {
	if r.reviewComments == nil {
		r.reviewComments = map[int64]*reviewComment{}
	}
	now := s.clock().UTC().Truncate(time.Second)
	c := &reviewComment{ReviewComment{ID: s.newID(), PullRequest: n, ReviewID: reviewID, Author: u, Path: path, StartLine: start, Line: line, Side: "RIGHT",
		CommitID: commit, Body: body, CreatedAt: now, UpdatedAt: now}}
	r.reviewComments[c.ID] = c
	return c
}

func (c *reqCtx) pullNumber() (*repo, int, bool) {
	r := c.repo()
	n, err := strconv.Atoi(c.r.PathValue("pull_number"))
	if r == nil || err != nil || r.issues[n] == nil || !r.issues[n].pull {
		return r, n, false
	}
	return r, n, true
}

func handleListPullFiles(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, n, ok := c.pullNumber()
	if !ok {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	files := r.pullFiles[n]
	lo, hi := c.paginate(len(files), r)
	out := make([]map[string]any, 0, hi-lo)
	for _, f := range files[lo:hi] {
		out = append(out, c.pullFileJSON(r, n, f))
	}
	c.json(http.StatusOK, out)
}

func (c *reqCtx) pullFileJSON(r *repo, n int, f PullFile) map[string]any {
	status := f.Status
	if status == "" {
		status = "modified"
	}
	add, del := 0, 0
	for _, l := range strings.Split(f.Patch, "\n") {
		switch {
		case strings.HasPrefix(l, "+"):
			add++
		case strings.HasPrefix(l, "-"):
			del++
		}
	}
	head := r.heads[n]
	sha := fmt.Sprintf("%040x", len(f.Filename)*7919+len(f.Patch))
	out := map[string]any{
		"sha": sha, "filename": f.Filename, "status": status, "additions": add, "deletions": del, "changes": add + del,
		"blob_url":     fmt.Sprintf("%s/%s/%s/blob/%s/%s", c.web(), r.owner, r.name, head, f.Filename),
		"raw_url":      fmt.Sprintf("%s/%s/%s/raw/%s/%s", c.web(), r.owner, r.name, head, f.Filename),
		"contents_url": fmt.Sprintf("%s/repos/%s/%s/contents/%s?ref=%s", c.base(), r.owner, r.name, f.Filename, head),
	}
	if f.Patch != "" {
		out["patch"] = f.Patch
	}
	if f.PreviousFilename != "" {
		out["previous_filename"] = f.PreviousFilename
	}
	return out
}

func handleListReviewComments(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, n, ok := c.pullNumber()
	if !ok {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	list := r.sortedReviewComments(n)
	lo, hi := c.paginate(len(list), r)
	out := make([]map[string]any, 0, hi-lo)
	for _, cm := range list[lo:hi] {
		out = append(out, c.reviewCommentJSON(r, cm))
	}
	c.json(http.StatusOK, out)
}

type draftComment struct {
	Path      *string `json:"path"`
	Position  *int    `json:"position"`
	Body      *string `json:"body"`
	Line      *int    `json:"line"`
	Side      *string `json:"side"`
	StartLine *int    `json:"start_line"`
	StartSide *string `json:"start_side"`
}

func (c *reqCtx) unprocessable(docs string, errs ...string) {
	c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Unprocessable Entity", "errors": errs, "documentation_url": docs, "status": "422"})
}

const createReviewDocs = "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request"

func handleCreateReview(c *reqCtx) {
	var req struct {
		CommitID *string        `json:"commit_id"`
		Body     *string        `json:"body"`
		Event    *string        `json:"event"`
		Comments []draftComment `json:"comments"`
	}
	if !c.decode(&req) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, n, ok := c.pullNumber()
	if !ok {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	body, event := "", ""
	if req.Body != nil {
		body = *req.Body
	}
	if req.Event != nil {
		event = *req.Event
	}
	if (event == "COMMENT" || event == "REQUEST_CHANGES") && body == "" {
		c.unprocessable(createReviewDocs, "Review body is required when the event is "+event)
		return
	}
	if utf8.RuneCountInString(body) > MaxBodyChars {
		c.s.rateHeaders(c.w.Header())
		writeBodyTooLong(c.w, "PullRequestReview")
		return
	}
	commit := r.heads[n]
	if req.CommitID != nil && *req.CommitID != "" {
		commit = *req.CommitID
	}
	for _, d := range req.Comments {
		switch {
		case d.Path == nil || d.Body == nil:
			c.unprocessable(createReviewDocs, "Path and body are required for each comment")
			return
		case d.Line == nil && d.Position == nil:
			c.unprocessable(createReviewDocs, "Pull request review thread line must be part of the diff")
			return
		case d.Line != nil && !diffHasLine(r.pullFiles[n], *d.Path, *d.Line):
			c.unprocessable(createReviewDocs, "Pull request review thread line must be part of the diff")
			return
		case (d.StartLine != nil || d.StartSide != nil) && d.Line == nil:
			c.unprocessable(createReviewDocs, "Pull request review thread start line needs a line")
			return
		case d.StartLine != nil && *d.StartLine >= *d.Line:
			// GitHub refuses start_line on a comment of one line too
			c.unprocessable(createReviewDocs, "Pull request review thread start line must precede the end line")
			return
		case d.StartLine != nil && !diffHasRange(r.pullFiles[n], *d.Path, *d.StartLine, *d.Line):
			c.unprocessable(createReviewDocs, "pull_request_review_thread.start_line must be part of the same hunk as the line.")
			return
		case utf8.RuneCountInString(*d.Body) > MaxBodyChars:
			c.s.rateHeaders(c.w.Header())
			writeBodyTooLong(c.w, "PullRequestReviewComment")
			return
		}
	}
	state := map[string]string{"COMMENT": "COMMENTED", "APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "": "PENDING"}[event]
	if r.reviews == nil {
		r.reviews = map[int64]*review{}
	}
	rv := &review{Review: Review{ID: c.s.newID(), PullRequest: n, Author: c.tok.user, Body: body, State: state, CommitID: commit},
		submitted: c.s.clock().UTC().Truncate(time.Second)}
	r.reviews[rv.ID] = rv
	for _, d := range req.Comments {
		start, line := 0, 0
		if d.Line != nil {
			line = *d.Line
		}
		if d.StartLine != nil {
			start = *d.StartLine
		}
		c.s.newReviewComment(r, n, rv.ID, c.tok.user, *d.Path, start, line, commit, *d.Body)
	}
	c.json(http.StatusOK, c.reviewJSON(r, rv))
}

var hunkHeader = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@`)

// diffHasLine reports whether line of path is on the head side of the
// diff (an added or a context line of a hunk), where GitHub accepts a
// review comment.
func diffHasLine(files []PullFile, path string, line int) bool {
	for _, f := range files {
		if f.Filename != path {
			continue
		}
		at := 0
		for _, l := range strings.Split(f.Patch, "\n") {
			if m := hunkHeader.FindStringSubmatch(l); m != nil {
				at, _ = strconv.Atoi(m[1])
				continue
			}
			if at == 0 || strings.HasPrefix(l, "-") || strings.HasPrefix(l, `\`) {
				continue
			}
			if at == line {
				return true
			}
			at++
		}
	}
	return false
}

// diffHasRange reports whether lines start..end of path are all on the
// head side of one hunk of the diff, where GitHub accepts a multi-line
// review comment (its start line "must be part of the same hunk as the
// line"). The fake models the head (RIGHT) side only.
func diffHasRange(files []PullFile, path string, start, end int) bool {
	for _, f := range files {
		if f.Filename != path {
			continue
		}
		first, n := 0, 0 // the current hunk's head-side lines: first..first+n-1
		in := func() bool { return first > 0 && start >= first && end <= first+n-1 }
		for _, l := range strings.Split(f.Patch, "\n") {
			if m := hunkHeader.FindStringSubmatch(l); m != nil {
				if in() {
					return true
				}
				first, _ = strconv.Atoi(m[1])
				n = 0
				continue
			}
			if first == 0 || strings.HasPrefix(l, "-") || strings.HasPrefix(l, `\`) {
				continue
			}
			n++
		}
		if in() {
			return true
		}
	}
	return false
}

func (c *reqCtx) reviewComment() (*repo, *reviewComment) {
	r := c.repo()
	id, err := strconv.ParseInt(c.r.PathValue("comment_id"), 10, 64)
	if r == nil || err != nil {
		return r, nil
	}
	return r, r.reviewComments[id]
}

func handleGetReviewComment(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, cm := c.reviewComment()
	if cm == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, c.reviewCommentJSON(r, cm))
}

func handleUpdateReviewComment(c *reqCtx) {
	var req commentRequest
	if !c.decode(&req) {
		return
	}
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, cm := c.reviewComment()
	if cm == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	if req.Body == nil {
		c.json(http.StatusUnprocessableEntity, map[string]any{"message": "Validation Failed", "errors": []map[string]string{{"resource": "PullRequestReviewComment", "code": "missing_field", "field": "body"}}, "documentation_url": "https://docs.github.com/rest/pulls/comments#update-a-review-comment-for-a-pull-request", "status": "422"})
		return
	}
	if tooLong(req.Body) {
		c.s.rateHeaders(c.w.Header())
		writeBodyTooLong(c.w, "PullRequestReviewComment")
		return
	}
	cm.Body = *req.Body
	cm.UpdatedAt = c.s.clock().UTC().Truncate(time.Second)
	c.json(http.StatusOK, c.reviewCommentJSON(r, cm))
}

func handleDeleteReviewComment(c *reqCtx) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	r, cm := c.reviewComment()
	if cm == nil {
		c.error(http.StatusNotFound, "Not Found")
		return
	}
	if !c.writable() {
		return
	}
	delete(r.reviewComments, cm.ID)
	c.s.rateHeaders(c.w.Header())
	c.w.WriteHeader(http.StatusNoContent)
}

func (c *reqCtx) reviewCommentJSON(r *repo, cm *reviewComment) map[string]any {
	api, web := c.base(), c.web()
	u := fmt.Sprintf("%s/repos/%s/%s/pulls/comments/%d", api, r.owner, r.name, cm.ID)
	pull := fmt.Sprintf("%s/repos/%s/%s/pulls/%d", api, r.owner, r.name, cm.PullRequest)
	html := fmt.Sprintf("%s/%s/%s/pull/%d#discussion_r%d", web, r.owner, r.name, cm.PullRequest, cm.ID)
	assoc := "MEMBER"
	if cm.Author.Type == "Bot" {
		assoc = "NONE"
	}
	var reviewID any
	if cm.ReviewID != 0 {
		reviewID = cm.ReviewID
	}
	out := map[string]any{
		"url": u, "pull_request_review_id": reviewID, "id": cm.ID, "node_id": nodeID("PRRC", cm.ID),
		"diff_hunk": diffHunkOf(cm),
		"path":      cm.Path, "commit_id": cm.CommitID, "original_commit_id": cm.CommitID,
		"user": userJSON(api, web, cm.Author), "body": cm.Body,
		"created_at": cm.CreatedAt.Format(time.RFC3339), "updated_at": cm.UpdatedAt.Format(time.RFC3339),
		"html_url": html, "pull_request_url": pull, "author_association": assoc,
		"_links": map[string]any{
			"self": map[string]any{"href": u}, "html": map[string]any{"href": html}, "pull_request": map[string]any{"href": pull},
		},
		"start_line": nil, "original_start_line": nil, "start_side": nil,
		"side": cm.Side, "subject_type": "line",
		"reactions": reactionsJSON(u + "/reactions"),
	}
	if cm.StartLine > 0 {
		out["start_line"], out["original_start_line"], out["start_side"] = cm.StartLine, cm.StartLine, cm.Side
	}
	if cm.Line > 0 {
		out["line"], out["original_line"] = cm.Line, cm.Line
	}
	return out
}

// diffHunkOf is the hunk header of the lines a comment is on.
func diffHunkOf(cm *reviewComment) string {
	first, n := max(cm.Line, 1), 1
	if cm.StartLine > 0 && cm.StartLine < cm.Line {
		first, n = cm.StartLine, cm.Line-cm.StartLine+1
	}
	return fmt.Sprintf("@@ -%d,%d +%d,%d @@", first, n, first, n)
}

func (c *reqCtx) reviewJSON(r *repo, rv *review) map[string]any {
	api, web := c.base(), c.web()
	pull := fmt.Sprintf("%s/repos/%s/%s/pulls/%d", api, r.owner, r.name, rv.PullRequest)
	html := fmt.Sprintf("%s/%s/%s/pull/%d#pullrequestreview-%d", web, r.owner, r.name, rv.PullRequest, rv.ID)
	assoc := "MEMBER"
	if rv.Author.Type == "Bot" {
		assoc = "NONE"
	}
	var commit any
	if rv.CommitID != "" {
		commit = rv.CommitID
	}
	out := map[string]any{
		"id": rv.ID, "node_id": nodeID("PRR", rv.ID), "user": userJSON(api, web, rv.Author), "body": rv.Body, "state": rv.State,
		"html_url": html, "pull_request_url": pull, "commit_id": commit, "author_association": assoc,
		"_links": map[string]any{"html": map[string]any{"href": html}, "pull_request": map[string]any{"href": pull}},
	}
	if rv.State != "PENDING" {
		out["submitted_at"] = rv.submitted.Format(time.RFC3339)
	}
	return out
}
