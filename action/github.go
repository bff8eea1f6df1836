package action

import (
	"context"
	"errors"

	"github.com/bench-action/bench-action/render"
)

// The GitHub side of the action is reached through the small interfaces in
// this file, so the pipeline is tested with in-memory fakes and go-github
// stays in the adapter package action/githubapi.

// StickyComment is the one comment bench-action keeps on a pull request for
// one cluster. Marker is a hidden HTML comment that the body starts with and
// by which the comment is found again.
type StickyComment struct {
	PullRequest int
	Marker      string // e.g. "<!-- bench-action:comment cluster=prod -->"
	Body        string // starts with Marker
}

// CommentOutcome says what UpsertComment did.
type CommentOutcome struct {
	Action  string // "created", "updated", "unchanged"
	ID      int64
	URL     string
	Deleted int // duplicates removed (two runs raced)
}

// CommentPublisher keeps the sticky comment of a pull request.
type CommentPublisher interface {
	// UpsertComment finds bench-action's comments that start with c.Marker
	// (reading every page), keeps the oldest, deletes the others, and makes
	// its body c.Body: created when none exists, edited in place when the
	// body differs, left alone (no write request) when it is the same.
	UpsertComment(ctx context.Context, c StickyComment) (CommentOutcome, error)
}

// IssueOutcome says what SyncIssues did to one issue.
type IssueOutcome struct {
	Owner  string
	Number int
	URL    string
	Action string // "created", "updated", "reopened", "unchanged", "closed"
}

// IssueTracker keeps one tracking issue per owner.
type IssueTracker interface {
	// SyncIssues lists the issues carrying label (open and closed, every
	// page, through the Issues API), matches them to want by marker, and:
	// creates a missing one, reopens a closed one rather than opening a
	// duplicate, edits one whose title or body changed, leaves an unchanged
	// one alone, and closes the open issues with scope's marker prefix that
	// want no longer holds (their owner has nothing left).
	SyncIssues(ctx context.Context, label, markerPrefix string, want []render.TrackingIssue) ([]IssueOutcome, error)
}

// ErrReadOnly is returned (wrapped) by a publisher when GitHub refuses a
// write because the token cannot write (fork pull requests: 403 "Resource
// not accessible by integration"). The action then degrades to the job
// summary and annotations, and the gate still decides the exit code.
var ErrReadOnly = errReadOnly{}

type errReadOnly struct{}

func (errReadOnly) Error() string { return "the token cannot write to this repository" }

// FileReader reads a file of the repository at another commit: the base
// branch's exceptions file, to show what a pull request adds or changes.
type FileReader interface {
	FileAt(ctx context.Context, path, ref string) ([]byte, error)
}

// ErrNoFile is returned (wrapped) by a FileReader when the file does not
// exist at that commit.
var ErrNoFile = errors.New("no such file at that commit")
