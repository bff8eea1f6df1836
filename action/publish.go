package action

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// maxSummaryBytes keeps the job summary under GitHub's 1 MiB limit, beyond
// which GitHub drops the whole summary.
const maxSummaryBytes = 1000 * 1000

// Publisher publishes a verdict from inside a GitHub Actions job.
type Publisher struct {
	Runner   Runner           // outputs, summary, annotations
	Comments CommentPublisher // nil: no pull-request comment (no token or repository)
	Issues   IssueTracker     // nil: no tracking issues
	Reviews  ReviewPublisher  // nil: no review comments with suggested changes
}

// PublishOptions are what Publish needs besides the verdict.
type PublishOptions struct {
	Inputs      Inputs
	Event       Event
	RunURL      string
	SummaryFile string // where the summary Markdown is also written (the summary-file output); "" for none
	Trend       string // Markdown (a Mermaid chart) for the summary
	// WriteFile writes the summary file; injected so the package does not
	// touch the file system itself.
	WriteFile        func(path string, data []byte) error
	ExceptionChanges []verdict.ExceptionChange
	// Links link exceptions to their line in the repository at the run's
	// commit.
	Links render.Links
	// FailingSince is, by check id, when each failing control started
	// failing without a break, from the history; nil: not known.
	FailingSince map[string]time.Time
	// WhereSet says in one line of Markdown where a new FAIL is set in
	// the configuration files (the configs input); nil: not traced.
	WhereSet func(verdict.FindingGroup) string
}

// Published says what Publish did.
type Published struct {
	SummaryDetail render.Detail
	Comment       *CommentOutcome
	CommentDetail render.Detail
	Issues        []IssueOutcome
	Review        *ReviewOutcome // nil: no review comments were synced
	Annotations   int
	// Degraded holds the GitHub writes that were refused or failed; the
	// gate's exit code does not depend on them.
	Degraded []string
}

// Publish writes the job summary, annotations and step outputs, then the
// sticky comment on a pull request, the review comments with suggested
// changes (when FAILs were traced to lines it changed) and the tracking
// issues. A refused
// write (a read-only token on a fork) is a warning, not an error: the
// summary, annotations and outputs are still written and the gate decides
// the exit code. The returned error is for failures of the job's own files.
func (p *Publisher) Publish(ctx context.Context, v *verdict.Verdict, opts PublishOptions) (Published, error) {
	var res Published
	a := p.Runner
	mdOpts := render.MarkdownOptions{RunURL: opts.RunURL, Trend: opts.Trend, ExceptionChanges: opts.ExceptionChanges, Links: opts.Links, WhereSet: opts.WhereSet}

	summary, detail, err := markdownWithinBytes(v, mdOpts, maxSummaryBytes)
	if err != nil {
		return res, fmt.Errorf("render summary: %w", err)
	}
	res.SummaryDetail = detail
	if err := a.AddSummary(summary); err != nil {
		return res, err
	}
	if opts.SummaryFile != "" && opts.WriteFile != nil {
		if err := opts.WriteFile(opts.SummaryFile, []byte(summary)); err != nil {
			return res, fmt.Errorf("write summary file %s: %w", opts.SummaryFile, err)
		}
	}

	for _, an := range render.Annotations(v, render.MaxAnnotations) {
		if err := a.Annotate(an); err != nil {
			return res, err
		}
		res.Annotations++
	}

	c := v.Counts
	for _, o := range [][2]string{
		{"verdict", v.VerdictWord()}, {"fail-count", strconv.Itoa(c.Fail)}, {"new-count", strconv.Itoa(c.New)},
		{"fixed-count", strconv.Itoa(c.Fixed)}, {"accepted-count", strconv.Itoa(c.Accepted)}, {"expired-count", strconv.Itoa(c.Expired)},
		{"summary-file", opts.SummaryFile},
	} {
		if err := a.SetOutput(o[0], o[1]); err != nil {
			return res, err
		}
	}

	pr := opts.Event.PullRequest
	if opts.Inputs.PullRequest > 0 {
		pr = opts.Inputs.PullRequest
	}
	if pr > 0 && opts.Inputs.Comment && p.Comments != nil {
		marker := render.CommentMarker(v.Report.Cluster)
		commentOpts := mdOpts
		commentOpts.Comment, commentOpts.Trend = true, ""
		body, d, err := render.MarkdownWithin(v, commentOpts, marker+"\n", "", render.MaxBodyRunes)
		if err != nil {
			return res, fmt.Errorf("render comment: %w", err)
		}
		res.CommentDetail = d
		out, err := p.Comments.UpsertComment(ctx, StickyComment{PullRequest: pr, Marker: marker, Body: body})
		if err != nil {
			res.Degraded = append(res.Degraded, degrade(a, "pull-request comment", err))
		} else {
			res.Comment = &out
			_ = a.Log("info", fmt.Sprintf("bench-action: pull-request comment %s %s", out.Action, out.URL))
		}
	}

	if pr > 0 && opts.Inputs.Comment && p.Reviews != nil {
		p.publishReview(ctx, v, pr, opts.Event.HeadSHA, &res)
	}

	if opts.Inputs.IssuesEnabled(opts.Event) && p.Issues != nil {
		want, err := render.TrackingIssuesWith(v, render.IssueOptions{Labels: opts.Inputs.IssueLabels, RunURL: opts.RunURL, Links: opts.Links, FailingSince: opts.FailingSince})
		if err != nil {
			return res, fmt.Errorf("render issues: %w", err)
		}
		outs, err := p.Issues.SyncIssues(ctx, opts.Inputs.IssueLabels[0], render.IssueMarkerPrefix(v.Report.Cluster), want)
		res.Issues = outs
		if err != nil {
			res.Degraded = append(res.Degraded, degrade(a, "tracking issues", err))
		}
		for _, o := range outs {
			_ = a.Log("info", fmt.Sprintf("bench-action: issue for %s %s %s", o.Owner, o.Action, o.URL))
		}
	}
	return res, nil
}

// degrade reports a refused or failed GitHub write as a warning and
// returns its description.
func degrade(a Runner, what string, err error) string {
	msg := fmt.Sprintf("could not update the %s: %v", what, err)
	if errors.Is(err, ErrReadOnly) {
		msg = fmt.Sprintf("the token cannot write the %s (a pull request from a fork, or read-only permissions): the job summary and annotations carry the result; see the fork-safe workflow in the README", what)
	}
	_ = a.Log("warning", msg)
	return msg
}

func markdownWithinBytes(v *verdict.Verdict, opts render.MarkdownOptions, limit int) (string, render.Detail, error) {
	for d := render.DetailFull; d <= render.DetailCountsOnly; d++ {
		opts.Detail = d
		var b bytes.Buffer
		if err := render.WriteMarkdown(&b, v, opts); err != nil {
			return "", d, err
		}
		if b.Len() <= limit {
			return b.String(), d, nil
		}
	}
	// Reuse the rune-limited cut: 4 bytes per rune at most.
	return render.MarkdownWithin(v, opts, "", "", limit/4)
}
