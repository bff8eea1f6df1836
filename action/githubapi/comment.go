package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/google/go-github/v62/github"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/render"
)

// UpsertComment keeps the sticky comment of pull request c.PullRequest; see
// [action.CommentPublisher].
func (c *Client) UpsertComment(ctx context.Context, sc action.StickyComment) (action.CommentOutcome, error) {
	op := fmt.Sprintf("pull request #%d: sticky comment", sc.PullRequest)
	if err := checkBody(sc.Marker, sc.Body); err != nil {
		return action.CommentOutcome{}, c.fail(op, err)
	}
	b := c.newBudget()
	me, err := c.self(ctx, b)
	if err != nil {
		return action.CommentOutcome{}, err
	}
	for attempt := 1; ; attempt++ {
		ours, err := c.ownComments(ctx, b, sc, me)
		if err != nil {
			return action.CommentOutcome{}, err
		}
		if len(ours) == 0 {
			var created *github.IssueComment
			retry, err := c.tryWrite(ctx, b, op+": create", attempt, func(g *github.Client) (*github.Response, error) {
				var resp *github.Response
				var err error
				created, resp, err = g.Issues.CreateComment(ctx, c.cfg.Owner, c.cfg.Repo, sc.PullRequest, &github.IssueComment{Body: github.String(sc.Body)})
				return resp, err
			})
			if retry {
				continue // list again: the create may have landed
			}
			if err != nil {
				return action.CommentOutcome{}, err
			}
			return action.CommentOutcome{Action: "created", ID: created.GetID(), URL: created.GetHTMLURL()}, nil
		}

		keep, dups := ours[0], ours[1:]
		out := action.CommentOutcome{Action: "unchanged", ID: keep.GetID(), URL: keep.GetHTMLURL()}
		for _, d := range dups {
			id := d.GetID()
			err := c.write(ctx, b, fmt.Sprintf("%s: delete duplicate %d", op, id), func(g *github.Client) (*github.Response, error) {
				resp, err := g.Issues.DeleteComment(ctx, c.cfg.Owner, c.cfg.Repo, id)
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
		if !render.SameBody(keep.GetBody(), sc.Body) {
			err := c.write(ctx, b, fmt.Sprintf("%s: edit %d", op, keep.GetID()), func(g *github.Client) (*github.Response, error) {
				_, resp, err := g.Issues.EditComment(ctx, c.cfg.Owner, c.cfg.Repo, keep.GetID(), &github.IssueComment{Body: github.String(sc.Body)})
				return resp, err
			})
			if err != nil {
				return out, err
			}
			out.Action = "updated"
		}
		return out, nil
	}
}

// ownComments lists every page of the pull request's comments and returns
// bench-action's own with the marker, oldest first.
func (c *Client) ownComments(ctx context.Context, b *budget, sc action.StickyComment, me identity) ([]*github.IssueComment, error) {
	all, err := listPages(ctx, c, b, fmt.Sprintf("pull request #%d: list comments", sc.PullRequest), func(g *github.Client, opts github.ListOptions) ([]*github.IssueComment, *github.Response, error) {
		return g.Issues.ListComments(ctx, c.cfg.Owner, c.cfg.Repo, sc.PullRequest, &github.IssueListCommentsOptions{ListOptions: opts})
	})
	if err != nil {
		return nil, err
	}
	var ours []*github.IssueComment
	for _, cm := range all {
		if strings.HasPrefix(cm.GetBody(), sc.Marker) && me.owns(cm.GetUser()) {
			ours = append(ours, cm)
		}
	}
	sort.SliceStable(ours, func(i, j int) bool {
		a, b := ours[i].GetCreatedAt().Time, ours[j].GetCreatedAt().Time
		if !a.Equal(b) {
			return a.Before(b)
		}
		return ours[i].GetID() < ours[j].GetID()
	})
	return ours, nil
}

// checkBody refuses what GitHub would refuse or what would make the
// comment impossible to find again.
func checkBody(marker, body string) error {
	if strings.TrimSpace(marker) == "" {
		return errors.New("empty marker")
	}
	if !strings.HasPrefix(body, marker) {
		return fmt.Errorf("body does not start with its marker %q", marker)
	}
	if n := utf8.RuneCountInString(body); n > MaxBodyChars {
		return fmt.Errorf("%w: %d characters", ErrBodyTooLong, n)
	}
	return nil
}
