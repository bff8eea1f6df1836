package action

import (
	"context"
	"fmt"

	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// ChangedLines are the lines a pull request adds or changes, by file
// (its path relative to the repository root): the head side of the diff.
type ChangedLines map[string]map[int]bool

// Has reports whether the pull request changed line of path.
func (c ChangedLines) Has(path string, line int) bool { return c[path][line] }

// Review is the review comments bench-action keeps on a pull request for
// one cluster: suggested changes on lines the pull request changed.
type Review struct {
	PullRequest int
	// CommitID is the head commit the comments are about; "" lets GitHub
	// take the pull request's latest.
	CommitID string
	// MarkerPrefix starts the marker of every comment of this cluster
	// (render.ReviewMarkerPrefix): the comments of an earlier run are found
	// by it, and the ones no longer wanted deleted.
	MarkerPrefix string
	// Body is the body of the review a run posts when it has new comments.
	Body     string
	Comments []render.ReviewSuggestion // each Body starts with its Marker
}

// ReviewOutcome says what SyncReview did.
type ReviewOutcome struct {
	ReviewID int64 // the review posted, 0 when none was
	URL      string
	Created  int // comments posted (in one review)
	Edited   int // comments edited in place
	Deleted  int // comments no longer wanted, deleted
	Kept     int // comments left as they are
}

// Writes is how many comments SyncReview wrote (created, edited or
// deleted); 0 for an unchanged rerun.
func (o ReviewOutcome) Writes() int { return o.Created + o.Edited + o.Deleted }

// ReviewPublisher keeps bench-action's review comments on a pull request.
type ReviewPublisher interface {
	// ChangedLines reads the files of the pull request (every page) and
	// returns the lines each one adds or changes.
	ChangedLines(ctx context.Context, pr int) (ChangedLines, error)
	// SyncReview lists the pull request's review comments (every page),
	// takes as bench-action's those whose body starts with r.MarkerPrefix
	// and whose author is the token's identity, and matches them to
	// r.Comments by marker: one on the same path and line is kept, edited
	// in place when its body differs; the missing ones are posted together
	// as one review (event COMMENT, body r.Body); the others, and
	// duplicates, are deleted. An unchanged rerun writes nothing.
	SyncReview(ctx context.Context, r Review) (ReviewOutcome, error)
}

// publishReview posts the review comments with suggested changes for the
// new FAILs that `gate --configs` traced to a line the pull request
// changed. Nothing is asked of GitHub when no finding was traced.
func (p *Publisher) publishReview(ctx context.Context, v *verdict.Verdict, pr int, headSHA string, res *Published) {
	traced := false
	for i := range v.Findings {
		if v.Findings[i].Where != nil {
			traced = true
			break
		}
	}
	if !traced {
		return
	}
	changed, err := p.Reviews.ChangedLines(ctx, pr)
	if err != nil {
		res.Degraded = append(res.Degraded, degrade(p.Runner, "review comments", err))
		return
	}
	want := render.ReviewSuggestions(v, changed.Has)
	out, err := p.Reviews.SyncReview(ctx, Review{PullRequest: pr, CommitID: headSHA, MarkerPrefix: render.ReviewMarkerPrefix(v.Report.Cluster),
		Body: render.ReviewBody(v.Report.Cluster, len(want)), Comments: want})
	if err != nil {
		res.Degraded = append(res.Degraded, degrade(p.Runner, "review comments", err))
		return
	}
	res.Review = &out
	msg := fmt.Sprintf("bench-action: review comments: %d posted, %d edited, %d deleted, %d unchanged", out.Created, out.Edited, out.Deleted, out.Kept)
	if out.URL != "" {
		msg += " " + out.URL
	}
	_ = p.Runner.Log("info", msg)
}
