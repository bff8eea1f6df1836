// Package githubapi is bench-action's GitHub adapter: it implements
// [action.CommentPublisher] (one sticky comment per pull request and
// cluster), [action.IssueTracker] (one tracking issue per owner) and
// [action.ReviewPublisher] (review comments with suggested changes) with
// go-github, and is the only package that imports go-github.
//
// # Sections
//
//   - [New] and [Config]: token, API URL (github.com or GHES /api/v3),
//     repository, and the injected sleep and clock.
//   - [Client.UpsertComment]: the sticky comment. Every page of the pull
//     request's comments is read; a comment is bench-action's when its body
//     starts with the marker AND its author is the token's identity (GET
//     /user, or github-actions[bot] for a GITHUB_TOKEN, or [Config.Login]),
//     so a marker in someone else's comment is never edited. The oldest is
//     kept, duplicates are deleted, and an identical body is not written.
//   - [Client.SyncIssues]: tracking issues listed with labels= and
//     state=all through the Issues API (never the Search API).
//   - [Client.ChangedLines] and [Client.SyncReview]: the lines a pull
//     request changes (its files' patches, every page), and bench-action's
//     review comments with suggested changes, found by marker and author,
//     edited in place, deleted when no longer wanted, the new ones posted
//     as one review; nothing written when nothing changed.
//   - Faults: 5xx and network errors are retried with exponential backoff
//     and jitter; a secondary rate limit waits Retry-After; a primary rate
//     limit waits for the reset when it falls within [Config.MaxWait] and
//     fails with a clear message otherwise; 403 "Resource not accessible by
//     integration" wraps [action.ErrReadOnly]; a body over 65,536
//     characters is [ErrBodyTooLong]. Writes go one at a time, spaced by
//     [Config.WriteGap]. A create that fails with a retryable error is not
//     blindly re-sent: the adapter lists again and only creates when the
//     first attempt did not land.
//   - The token never appears in an error or a log line (errors are passed
//     through a redactor as a second line of defence).
package githubapi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/bench-action/bench-action/action"
)

var (
	_ action.CommentPublisher = (*Client)(nil)
	_ action.IssueTracker     = (*Client)(nil)
)

// Defaults of [Config].
const (
	DefaultAPIURL      = "https://api.github.com"
	DefaultMaxAttempts = 5
	DefaultMaxWait     = 2 * time.Minute
	DefaultWriteGap    = time.Second
	// MaxBodyChars is GitHub's limit on comment and issue bodies.
	MaxBodyChars = 65536
)

// ErrBodyTooLong is returned (wrapped) when a body exceeds GitHub's
// 65,536-character limit, whether found before sending or answered by
// GitHub with 422.
var ErrBodyTooLong = errors.New("body is longer than GitHub's 65536-character limit")

// ErrRateLimited is returned (wrapped) when GitHub's rate limit would make
// the call wait longer than [Config.MaxWait].
var ErrRateLimited = errors.New("GitHub API rate limit exceeded")

// Config says which repository to write to and how.
type Config struct {
	// Token authenticates every request (GITHUB_TOKEN or a PAT).
	Token string
	// APIURL is the REST API root: GITHUB_API_URL, e.g.
	// https://api.github.com or https://ghes.example.com/api/v3 (default
	// api.github.com). Nothing else is ever called.
	APIURL string
	// Owner and Repo name the repository.
	Owner, Repo string
	// HTTPClient sends the requests (default: a client with a 30 s timeout).
	HTTPClient *http.Client
	// Sleep waits; injected so tests do not really sleep (default: a sleep
	// that ends early when the context is done).
	Sleep func(time.Duration)
	// Clock gives the time, for rate-limit resets and write spacing
	// (default time.Now).
	Clock func() time.Time
	// MaxAttempts bounds the tries of one request (default 5).
	MaxAttempts int
	// MaxWait bounds the total time one UpsertComment or SyncIssues call
	// spends waiting on retries and rate limits (default 2 minutes).
	MaxWait time.Duration
	// WriteGap spaces write requests (default 1 s; negative: no gap).
	WriteGap time.Duration
	// Login is the account the token writes as, when GET /user cannot tell
	// (a GitHub App's installation token: "<app-slug>[bot]"). Empty: GET
	// /user, and for a GITHUB_TOKEN github-actions[bot].
	Login string
	// Logf receives one line per retry or wait (default: discarded).
	Logf func(format string, args ...any)
}

// Client is the GitHub adapter; safe for concurrent use.
type Client struct {
	cfg     Config
	base    *url.URL
	http    *http.Client
	wait    func(ctx context.Context, d time.Duration) error
	now     func() time.Time
	logf    func(format string, args ...any)
	jitter  func() float64
	writeMu sync.Mutex
	lastW   time.Time

	idMu sync.Mutex
	id   *identity
}

// New returns a client for cfg.
func New(cfg Config) (*Client, error) {
	if cfg.Owner == "" || cfg.Repo == "" {
		return nil, errors.New("github client: owner and repo are required")
	}
	if cfg.Token == "" {
		return nil, errors.New("github client: a token is required")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	base, err := url.Parse(cfg.APIURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("github client: api url %q is not an http(s) URL", redactURL(cfg.APIURL))
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.WriteGap == 0 {
		cfg.WriteGap = DefaultWriteGap
	}
	c := &Client{cfg: cfg, base: base, http: cfg.HTTPClient, now: cfg.Clock, logf: cfg.Logf, jitter: rand.Float64}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.logf == nil {
		c.logf = func(string, ...any) {}
	}
	if cfg.Sleep != nil {
		c.wait = func(ctx context.Context, d time.Duration) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			cfg.Sleep(d)
			return ctx.Err()
		}
	} else {
		c.wait = sleepCtx
	}
	return c, nil
}

// gh returns a go-github client for one request. A fresh one each time on
// purpose: go-github remembers rate limits and refuses requests on its own
// by the wall clock, which would bypass our injected clock and our bounded
// waits; this adapter does that bookkeeping itself.
func (c *Client) gh() *github.Client {
	g := github.NewClient(c.http).WithAuthToken(c.cfg.Token)
	u := *c.base
	g.BaseURL = &u
	g.UserAgent = "bench-action"
	return g
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// identity is the account the token writes as.
type identity struct {
	login string
	id    int64  // 0 when unknown
	typ   string // "" when any type
}

func (id identity) owns(u *github.User) bool {
	if u == nil || !strings.EqualFold(u.GetLogin(), id.login) {
		return false
	}
	if id.id != 0 && u.GetID() != id.id {
		return false
	}
	return id.typ == "" || u.GetType() == id.typ
}

// self finds the token's identity once.
func (c *Client) self(ctx context.Context, b *budget) (identity, error) {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	if c.id != nil {
		return *c.id, nil
	}
	if c.cfg.Login != "" {
		c.id = &identity{login: c.cfg.Login}
		return *c.id, nil
	}
	var u *github.User
	err := c.read(ctx, b, "get the token's user", func(g *github.Client) (*github.Response, error) {
		var resp *github.Response
		var err error
		u, resp, err = g.Users.Get(ctx, "")
		return resp, err
	})
	switch {
	case err == nil:
		c.id = &identity{login: u.GetLogin(), id: u.GetID(), typ: u.GetType()}
	case errors.Is(err, action.ErrReadOnly) || statusOf(err) == http.StatusForbidden:
		// An installation token (GITHUB_TOKEN) may not read /user: its
		// writes are github-actions[bot]'s.
		c.id = &identity{login: "github-actions[bot]", typ: "Bot"}
	default:
		return identity{}, err
	}
	return *c.id, nil
}

// budget bounds the total wait of one public call.
type budget struct {
	max    time.Duration
	waited time.Duration
}

func (c *Client) newBudget() *budget { return &budget{max: c.cfg.MaxWait} }

func (c *Client) repoName() string { return c.cfg.Owner + "/" + c.cfg.Repo }
