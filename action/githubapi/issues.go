package githubapi

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"net/http"
	"sort"
	"strings"

	"github.com/google/go-github/v62/github"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/render"
)

// SyncIssues keeps one tracking issue per owner; see [action.IssueTracker].
// An issue is bench-action's when its body starts with a marker and the
// token's identity opened it. Errors about one owner's issue (a body too
// long) are gathered and the others still synced; a read-only token, a
// rate limit beyond MaxWait or a cancelled context stop the call.
func (c *Client) SyncIssues(ctx context.Context, label, markerPrefix string, want []render.TrackingIssue) ([]action.IssueOutcome, error) {
	op := fmt.Sprintf("tracking issues (label %q)", label)
	if strings.TrimSpace(label) == "" || strings.TrimSpace(markerPrefix) == "" {
		return nil, c.fail(op, errors.New("label and marker prefix are required"))
	}
	seen := map[string]bool{}
	for _, w := range want {
		if !strings.HasPrefix(w.Marker, markerPrefix) {
			return nil, c.fail(op, fmt.Errorf("owner %s: marker %q does not start with %q", w.Owner, w.Marker, markerPrefix))
		}
		key := markerOf(w.Body, markerPrefix)
		if seen[key] {
			return nil, c.fail(op, fmt.Errorf("owner %s: marker %q given twice", w.Owner, w.Marker))
		}
		seen[key] = true
	}
	b := c.newBudget()
	me, err := c.self(ctx, b)
	if err != nil {
		return nil, err
	}
	st, err := c.listIssues(ctx, b, label, markerPrefix, me)
	if err != nil {
		return nil, err
	}

	var outcomes []action.IssueOutcome
	var errs []error
	for _, w := range want {
		oc, err := c.syncOne(ctx, b, st, label, markerPrefix, me, w)
		if err != nil {
			if stops(err) {
				return outcomes, err
			}
			errs = append(errs, err)
			continue
		}
		outcomes = append(outcomes, oc)
	}
	// Close the issues of owners with nothing left, and duplicates.
	for _, is := range st.extraOpen(seen) {
		oc, err := c.closeIssue(ctx, b, is)
		if err != nil {
			if stops(err) {
				return outcomes, err
			}
			errs = append(errs, err)
			continue
		}
		outcomes = append(outcomes, oc)
	}
	return outcomes, errors.Join(errs...)
}

func stops(err error) bool {
	return errors.Is(err, action.ErrReadOnly) || errors.Is(err, ErrRateLimited) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, errGaveUp)
}

// issueState is what listing found.
type issueState struct {
	byMarker map[string][]*github.Issue // ours, oldest first
	labels   map[string]bool            // label names known to exist (lower case)
	used     map[int]bool               // issue numbers matched to a want
}

func markerOf(body, prefix string) string {
	if !strings.HasPrefix(body, prefix) {
		return ""
	}
	if i := strings.Index(body, "-->"); i >= 0 {
		return body[:i+3]
	}
	line, _, _ := strings.Cut(body, "\n")
	return line
}

// listIssues reads every page of the issues carrying label, open and
// closed, through the Issues API.
func (c *Client) listIssues(ctx context.Context, b *budget, label, markerPrefix string, me identity) (*issueState, error) {
	st := &issueState{byMarker: map[string][]*github.Issue{}, labels: map[string]bool{}, used: map[int]bool{}}
	all, err := listPages(ctx, c, b, fmt.Sprintf("list issues labelled %q", label), func(g *github.Client, opts github.ListOptions) ([]*github.Issue, *github.Response, error) {
		return g.Issues.ListByRepo(ctx, c.cfg.Owner, c.cfg.Repo, &github.IssueListByRepoOptions{State: "all", Labels: []string{label}, Sort: "created", Direction: "asc", ListOptions: opts})
	})
	if err != nil {
		return nil, err
	}
	for _, is := range all {
		for _, l := range is.Labels {
			st.labels[strings.ToLower(l.GetName())] = true
		}
		if is.IsPullRequest() || !me.owns(is.GetUser()) {
			continue
		}
		if m := markerOf(is.GetBody(), markerPrefix); m != "" {
			st.byMarker[m] = append(st.byMarker[m], is)
		}
	}
	for _, list := range st.byMarker {
		sort.SliceStable(list, func(i, j int) bool { return list[i].GetNumber() < list[j].GetNumber() })
	}
	return st, nil
}

// pick chooses the issue of a marker: the oldest open one, else the oldest.
func (st *issueState) pick(marker string) *github.Issue {
	list := st.byMarker[marker]
	for _, is := range list {
		if is.GetState() == "open" {
			return is
		}
	}
	if len(list) > 0 {
		return list[0]
	}
	return nil
}

// extraOpen returns open issues to close: those whose marker is not wanted
// and open duplicates of a wanted one.
func (st *issueState) extraOpen(wanted map[string]bool) []*github.Issue {
	var out []*github.Issue
	var markers []string
	for m := range st.byMarker {
		markers = append(markers, m)
	}
	sort.Strings(markers)
	for _, m := range markers {
		for _, is := range st.byMarker[m] {
			if is.GetState() == "open" && !st.used[is.GetNumber()] {
				out = append(out, is)
			}
		}
	}
	return out
}

func (c *Client) syncOne(ctx context.Context, b *budget, st *issueState, label, markerPrefix string, me identity, w render.TrackingIssue) (action.IssueOutcome, error) {
	op := fmt.Sprintf("tracking issue of %s", w.Owner)
	if err := checkBody(w.Marker, w.Body); err != nil {
		return action.IssueOutcome{}, c.fail(op, err)
	}
	labels := withLabel(w.Labels, label)
	for attempt := 1; ; attempt++ {
		is := st.pick(markerOf(w.Body, markerPrefix))
		if is == nil {
			if err := c.ensureLabels(ctx, b, st, labels); err != nil {
				return action.IssueOutcome{}, err
			}
			var created *github.Issue
			retry, err := c.tryWrite(ctx, b, op+": create", attempt, func(g *github.Client) (*github.Response, error) {
				var resp *github.Response
				var err error
				req := &github.IssueRequest{Title: github.String(w.Title), Body: github.String(w.Body), Labels: &labels}
				if len(w.Assignees) > 0 {
					assignees := append([]string(nil), w.Assignees...)
					req.Assignees = &assignees
				}
				created, resp, err = g.Issues.Create(ctx, c.cfg.Owner, c.cfg.Repo, req)
				return resp, err
			})
			if retry {
				// The create may have landed: list again before another try.
				fresh, lerr := c.listIssues(ctx, b, label, markerPrefix, me)
				if lerr != nil {
					return action.IssueOutcome{}, lerr
				}
				fresh.used = st.used
				*st = *fresh
				continue
			}
			if err != nil {
				return action.IssueOutcome{}, err
			}
			st.used[created.GetNumber()] = true
			return action.IssueOutcome{Owner: w.Owner, Number: created.GetNumber(), URL: created.GetHTMLURL(), Action: "created"}, nil
		}

		st.used[is.GetNumber()] = true
		req := &github.IssueRequest{}
		act := "unchanged"
		if is.GetState() != "open" {
			req.State = github.String("open")
			act = "reopened"
		}
		if is.GetTitle() != w.Title {
			req.Title = github.String(w.Title)
		}
		if !render.SameBody(is.GetBody(), w.Body) {
			req.Body = github.String(w.Body)
		}
		if missing := missingLabels(is, labels); len(missing) > 0 {
			all := make([]string, 0, len(is.Labels)+len(missing))
			for _, l := range is.Labels {
				all = append(all, l.GetName())
			}
			all = append(all, missing...)
			if err := c.ensureLabels(ctx, b, st, missing); err != nil {
				return action.IssueOutcome{}, err
			}
			req.Labels = &all
		}
		if missing := missingAssignees(is, w.Assignees); len(missing) > 0 {
			// Add the owner's assignees; people assigned by hand stay.
			all := make([]string, 0, len(is.Assignees)+len(missing))
			for _, a := range is.Assignees {
				all = append(all, a.GetLogin())
			}
			all = append(all, missing...)
			req.Assignees = &all
		}
		if act == "unchanged" && (req.Title != nil || req.Body != nil || req.Labels != nil || req.Assignees != nil) {
			act = "updated"
		}
		oc := action.IssueOutcome{Owner: w.Owner, Number: is.GetNumber(), URL: is.GetHTMLURL(), Action: act}
		if act == "unchanged" {
			return oc, nil
		}
		n := is.GetNumber()
		err := c.write(ctx, b, fmt.Sprintf("%s: %s #%d", op, strings.TrimSuffix(act, "ed"), n), func(g *github.Client) (*github.Response, error) {
			_, resp, err := g.Issues.Edit(ctx, c.cfg.Owner, c.cfg.Repo, n, req)
			return resp, err
		})
		return oc, err
	}
}

func (c *Client) closeIssue(ctx context.Context, b *budget, is *github.Issue) (action.IssueOutcome, error) {
	n := is.GetNumber()
	err := c.write(ctx, b, fmt.Sprintf("close tracking issue #%d", n), func(g *github.Client) (*github.Response, error) {
		_, resp, err := g.Issues.Edit(ctx, c.cfg.Owner, c.cfg.Repo, n, &github.IssueRequest{State: github.String("closed"), StateReason: github.String("completed")})
		return resp, err
	})
	return action.IssueOutcome{Owner: ownerOf(is.GetBody()), Number: n, URL: is.GetHTMLURL(), Action: "closed"}, err
}

// ownerOf reads owner=NAME from a marker, for the outcome of a closed issue
// whose owner is no longer wanted ("" when the marker does not say).
func ownerOf(body string) string {
	m := markerOf(body, "<!--")
	_, rest, ok := strings.Cut(m, "owner=")
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(rest, `"`)
	end := strings.IndexAny(rest, "\" ")
	if end < 0 {
		end = strings.Index(rest, "-->")
	}
	if end < 0 {
		return strings.TrimSpace(rest)
	}
	return rest[:end]
}

func withLabel(labels []string, label string) []string {
	out := append([]string(nil), labels...)
	for _, l := range out {
		if strings.EqualFold(l, label) {
			return out
		}
	}
	return append(out, label)
}

// missingAssignees are the logins of want not assigned to the issue yet
// (logins compare without case, as GitHub's do).
func missingAssignees(is *github.Issue, want []string) []string {
	have := map[string]bool{}
	for _, a := range is.Assignees {
		have[strings.ToLower(a.GetLogin())] = true
	}
	var out []string
	for _, w := range want {
		if !have[strings.ToLower(w)] {
			have[strings.ToLower(w)] = true
			out = append(out, w)
		}
	}
	return out
}

func missingLabels(is *github.Issue, want []string) []string {
	have := map[string]bool{}
	for _, l := range is.Labels {
		have[strings.ToLower(l.GetName())] = true
	}
	var out []string
	for _, w := range want {
		if !have[strings.ToLower(w)] {
			out = append(out, w)
		}
	}
	return out
}

// ensureLabels creates the labels that do not exist yet.
func (c *Client) ensureLabels(ctx context.Context, b *budget, st *issueState, names []string) error {
	for _, name := range names {
		key := strings.ToLower(name)
		if st.labels[key] {
			continue
		}
		err := c.read(ctx, b, fmt.Sprintf("get label %q", name), func(g *github.Client) (*github.Response, error) {
			_, resp, err := g.Issues.GetLabel(ctx, c.cfg.Owner, c.cfg.Repo, name)
			return resp, err
		})
		switch {
		case err == nil:
		case statusOf(err) == http.StatusNotFound:
			err = c.write(ctx, b, fmt.Sprintf("create label %q", name), func(g *github.Client) (*github.Response, error) {
				_, resp, err := g.Issues.CreateLabel(ctx, c.cfg.Owner, c.cfg.Repo, &github.Label{
					Name: github.String(name), Color: github.String(labelColor(name)),
					Description: github.String("Managed by bench-action"),
				})
				if statusOf(err) == http.StatusUnprocessableEntity {
					return resp, nil // created meanwhile (another run, a retried create)
				}
				return resp, err
			})
			if err != nil {
				return err
			}
		default:
			return err
		}
		st.labels[key] = true
	}
	return nil
}

// labelColor gives a label a stable colour from its name.
func labelColor(name string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return fmt.Sprintf("%06x", h.Sum32()&0xffffff)
}
