package githubapi

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/render"
)

var _ action.ReviewPublisher = (*Client)(nil)

// ChangedLines lists every page of the pull request's files and returns
// the lines each one adds or changes (the "+" lines of its patch's hunks);
// see [action.ReviewPublisher]. A removed file, or one without a patch
// (binary, too large), has none.
func (c *Client) ChangedLines(ctx context.Context, pr int) (action.ChangedLines, error) {
	b := c.newBudget()
	files, err := listPages(ctx, c, b, fmt.Sprintf("pull request #%d: list files", pr), func(g *github.Client, opts github.ListOptions) ([]*github.CommitFile, *github.Response, error) {
		return g.PullRequests.ListFiles(ctx, c.cfg.Owner, c.cfg.Repo, pr, &opts)
	})
	if err != nil {
		return nil, err
	}
	out := action.ChangedLines{}
	for _, f := range files {
		if f.GetStatus() == "removed" {
			continue
		}
		if lines := AddedLines(f.GetPatch()); len(lines) > 0 {
			set := out[f.GetFilename()]
			if set == nil {
				set = map[int]bool{}
				out[f.GetFilename()] = set
			}
			for _, l := range lines {
				set[l] = true
			}
		}
	}
	return out, nil
}

var hunkHeader = regexp.MustCompile(`^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@`)

// AddedLines are the head-side line numbers of the lines a unified diff
// patch adds ("+" lines), in order.
func AddedLines(patch string) []int {
	var out []int
	at := 0
	for _, l := range strings.Split(patch, "\n") {
		if m := hunkHeader.FindStringSubmatch(l); m != nil {
			at, _ = strconv.Atoi(m[1])
			continue
		}
		switch {
		case at == 0, strings.HasPrefix(l, `\`), strings.HasPrefix(l, "-"):
		case strings.HasPrefix(l, "+"):
			out = append(out, at)
			at++
		default:
			at++
		}
	}
	return out
}

// SyncReview keeps bench-action's review comments of one cluster; see
// [action.ReviewPublisher]. A comment is bench-action's when its body
// starts with r.MarkerPrefix and the token's identity wrote it, so a marker
// in someone else's comment is never touched. A review comment cannot be
// moved: one whose line moved (or that GitHub marks outdated) is deleted
// and posted again in the run's review.
func (c *Client) SyncReview(ctx context.Context, r action.Review) (action.ReviewOutcome, error) {
	op := fmt.Sprintf("pull request #%d: review comments", r.PullRequest)
	if strings.TrimSpace(r.MarkerPrefix) == "" {
		return action.ReviewOutcome{}, c.fail(op, fmt.Errorf("empty marker prefix"))
	}
	seen := map[string]bool{}
	for _, w := range r.Comments {
		if !strings.HasPrefix(w.Marker, r.MarkerPrefix) {
			return action.ReviewOutcome{}, c.fail(op, fmt.Errorf("marker %q does not start with %q", w.Marker, r.MarkerPrefix))
		}
		if seen[w.Marker] {
			return action.ReviewOutcome{}, c.fail(op, fmt.Errorf("marker %q given twice", w.Marker))
		}
		seen[w.Marker] = true
		if w.StartLine != 0 && (w.StartLine < 1 || w.StartLine >= w.Line) {
			return action.ReviewOutcome{}, c.fail(op, fmt.Errorf("%s lines %d-%d: a range must start before its last line", w.Path, w.StartLine, w.Line))
		}
		if err := checkBody(w.Marker, w.Body); err != nil {
			return action.ReviewOutcome{}, c.fail(op, fmt.Errorf("%s line %d: %w", w.Path, w.Line, err))
		}
	}
	b := c.newBudget()
	me, err := c.self(ctx, b)
	if err != nil {
		return action.ReviewOutcome{}, err
	}
	var out action.ReviewOutcome
	for attempt := 1; ; attempt++ {
		ours, err := c.ownReviewComments(ctx, b, r, me)
		if err != nil {
			return out, err
		}
		p := planReview(ours, r.Comments)
		if len(p.create) > 0 {
			req := &github.PullRequestReviewRequest{Body: github.String(r.Body), Event: github.String("COMMENT")}
			if r.CommitID != "" {
				req.CommitID = github.String(r.CommitID)
			}
			for _, w := range p.create {
				d := &github.DraftReviewComment{Path: github.String(w.Path), Line: github.Int(w.Line),
					Side: github.String("RIGHT"), Body: github.String(w.Body)}
				if w.StartLine != 0 {
					// a multi-line comment: its suggestion replaces
					// lines StartLine..Line (GitHub refuses start_line
					// on a comment of one line)
					d.StartLine, d.StartSide = github.Int(w.StartLine), github.String("RIGHT")
				}
				req.Comments = append(req.Comments, d)
			}
			var rv *github.PullRequestReview
			retry, err := c.tryWrite(ctx, b, op+": create review", attempt, func(g *github.Client) (*github.Response, error) {
				var resp *github.Response
				var err error
				rv, resp, err = g.PullRequests.CreateReview(ctx, c.cfg.Owner, c.cfg.Repo, r.PullRequest, req)
				return resp, err
			})
			if retry {
				continue // list again: the review may have landed
			}
			if err != nil {
				return out, err
			}
			out.ReviewID, out.URL, out.Created = rv.GetID(), rv.GetHTMLURL(), len(p.create)
		}
		out.Kept = p.kept
		for _, e := range p.edit {
			id, body := e.cm.GetID(), e.body
			err := c.write(ctx, b, fmt.Sprintf("%s: edit %d", op, id), func(g *github.Client) (*github.Response, error) {
				_, resp, err := g.PullRequests.EditComment(ctx, c.cfg.Owner, c.cfg.Repo, id, &github.PullRequestComment{Body: github.String(body)})
				return resp, err
			})
			if err != nil {
				return out, err
			}
			out.Edited++
		}
		for _, d := range p.delete {
			id := d.GetID()
			err := c.write(ctx, b, fmt.Sprintf("%s: delete %d", op, id), func(g *github.Client) (*github.Response, error) {
				resp, err := g.PullRequests.DeleteComment(ctx, c.cfg.Owner, c.cfg.Repo, id)
				if statusOf(err) == http.StatusNotFound {
					return resp, nil // gone already (a retried delete, another run)
				}
				return resp, err
			})
			if err != nil {
				return out, err
			}
			out.Deleted++
		}
		return out, nil
	}
}

// ownReviewComments lists every page of the pull request's review
// comments and returns bench-action's own of r's cluster, oldest first.
func (c *Client) ownReviewComments(ctx context.Context, b *budget, r action.Review, me identity) ([]*github.PullRequestComment, error) {
	all, err := listPages(ctx, c, b, fmt.Sprintf("pull request #%d: list review comments", r.PullRequest), func(g *github.Client, opts github.ListOptions) ([]*github.PullRequestComment, *github.Response, error) {
		return g.PullRequests.ListComments(ctx, c.cfg.Owner, c.cfg.Repo, r.PullRequest, &github.PullRequestListCommentsOptions{ListOptions: opts})
	})
	if err != nil {
		return nil, err
	}
	var ours []*github.PullRequestComment
	for _, cm := range all {
		if strings.HasPrefix(cm.GetBody(), r.MarkerPrefix) && me.owns(cm.GetUser()) {
			ours = append(ours, cm)
		}
	}
	sort.SliceStable(ours, func(i, j int) bool { return ours[i].GetID() < ours[j].GetID() })
	return ours, nil
}

// reviewPlan is what SyncReview writes.
type reviewPlan struct {
	create []render.ReviewSuggestion
	edit   []reviewEdit
	delete []*github.PullRequestComment
	kept   int
}

type reviewEdit struct {
	cm   *github.PullRequestComment
	body string
}

// planReview matches the comments there (oldest first) to the wanted
// ones by marker: the first on the same path and lines (line, and the
// start line of a multi-line comment) is kept (edited when its body
// differs); every other one is deleted; a wanted one without a match is
// created.
func planReview(ours []*github.PullRequestComment, want []render.ReviewSuggestion) reviewPlan {
	var p reviewPlan
	byMarker := map[string][]*github.PullRequestComment{}
	for _, cm := range ours {
		m := markerLine(cm.GetBody())
		byMarker[m] = append(byMarker[m], cm)
	}
	used := map[int64]bool{}
	for _, w := range want {
		var keep *github.PullRequestComment
		for _, cm := range byMarker[w.Marker] {
			if cm.GetPath() == w.Path && cm.Line != nil && cm.GetLine() == w.Line && cm.GetStartLine() == w.StartLine {
				keep = cm
				break
			}
		}
		if keep == nil {
			p.create = append(p.create, w)
			continue
		}
		used[keep.GetID()] = true
		if keep.GetBody() != w.Body {
			p.edit = append(p.edit, reviewEdit{cm: keep, body: w.Body})
		} else {
			p.kept++
		}
	}
	for _, cm := range ours {
		if !used[cm.GetID()] {
			p.delete = append(p.delete, cm)
		}
	}
	return p
}

// markerLine is a body's marker: its text through the first "-->".
func markerLine(body string) string {
	if i := strings.Index(body, "-->"); i >= 0 {
		return body[:i+3]
	}
	return body
}
