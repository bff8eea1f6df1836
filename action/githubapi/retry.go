package githubapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"

	"github.com/bench-action/bench-action/action"
)

// A request is sent by read or write (both retry; use them for idempotent
// requests) or by tryWrite (one attempt, for creates: the caller checks
// whether a failed create landed before sending it again).

// requestFunc sends one request with g. Retrying reads only its error:
// go-github carries a failed answer's status and headers in it
// (ErrorResponse, RateLimitError). The response is for the caller, who
// keeps what it needs of it (the next page) in the closure.
type requestFunc func(g *github.Client) (*github.Response, error)

// read sends an idempotent GET with retries.
func (c *Client) read(ctx context.Context, b *budget, op string, fn requestFunc) error {
	return c.retry(ctx, b, op, false, fn)
}

// write sends an idempotent write (PATCH, DELETE) with retries, one write at
// a time, spaced by WriteGap.
func (c *Client) write(ctx context.Context, b *budget, op string, fn requestFunc) error {
	return c.retry(ctx, b, op, true, fn)
}

func (c *Client) retry(ctx context.Context, b *budget, op string, isWrite bool, fn requestFunc) error {
	for attempt := 1; ; attempt++ {
		retryable, err := c.tryOnce(ctx, b, op, isWrite, attempt, fn)
		if err == nil || !retryable {
			return err
		}
	}
}

// tryWrite sends a non-idempotent write once. When it fails with a
// retryable error it has already waited, and reports retryable = true: the
// caller looks whether the write landed, then calls again.
func (c *Client) tryWrite(ctx context.Context, b *budget, op string, attempt int, fn requestFunc) (retryable bool, err error) {
	return c.tryOnce(ctx, b, op, true, attempt, fn)
}

// tryOnce sends one attempt. On a retryable failure within the limits it
// waits and returns (true, err); otherwise (false, err) with err final.
func (c *Client) tryOnce(ctx context.Context, b *budget, op string, isWrite bool, attempt int, fn requestFunc) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, c.fail(op, err)
	}
	var err error
	if isWrite {
		err = c.paced(ctx, fn)
	} else {
		_, err = fn(c.gh())
	}
	if err == nil {
		return false, nil
	}
	d := c.classify(err, attempt)
	switch {
	case d.final != nil:
		return false, c.fail(op, d.final)
	case attempt >= c.cfg.MaxAttempts:
		return false, c.fail(op, fmt.Errorf("%w after %d attempts: %w", errGaveUp, attempt, err))
	}
	if b.waited+d.wait > b.max {
		if d.primary {
			return false, c.fail(op, fmt.Errorf("%w: it resets at %s, in %s, later than the %s this run may wait: %w",
				ErrRateLimited, d.reset.UTC().Format(time.RFC3339), d.wait.Round(time.Second), b.max, err))
		}
		return false, c.fail(op, fmt.Errorf("%w: waiting %s more would exceed the %s this run may wait: %w",
			errGaveUp, d.wait.Round(time.Millisecond), b.max, err))
	}
	c.logf("github: %s: %s; retrying in %s (attempt %d of %d)", op, redact(d.why, c.cfg.Token), d.wait.Round(time.Millisecond), attempt+1, c.cfg.MaxAttempts)
	b.waited += d.wait
	if werr := c.wait(ctx, d.wait); werr != nil {
		return false, c.fail(op, werr)
	}
	return true, err
}

// paced sends a write when the previous one is WriteGap old. The pacing
// wait is not a retry: it does not count against the budget.
func (c *Client) paced(ctx context.Context, fn requestFunc) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if gap := c.cfg.WriteGap; gap > 0 && !c.lastW.IsZero() {
		if d := c.lastW.Add(gap).Sub(c.now()); d > 0 {
			if err := c.wait(ctx, d); err != nil {
				return err
			}
		}
	}
	_, err := fn(c.gh())
	c.lastW = c.now()
	return err
}

// errGaveUp marks a retryable failure that ran out of attempts or time.
var errGaveUp = errors.New("gave up")

// decision is what to do after a failed attempt.
type decision struct {
	final   error         // do not retry; return this
	wait    time.Duration // else wait this long
	primary bool          // a primary rate limit
	reset   time.Time
	why     string
}

const (
	backoffBase = time.Second
	backoffMax  = 30 * time.Second
	// secondaryDefault is what GitHub asks when a secondary limit names no
	// Retry-After: wait at least a minute.
	secondaryDefault = time.Minute
)

func (c *Client) backoff(attempt int) time.Duration {
	d := backoffBase << (attempt - 1)
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	// Jitter: between half and all of d.
	return d/2 + time.Duration(c.jitter()*float64(d/2))
}

// permanentError marks an error that no retry can mend (a bad request
// built locally, an answer that is not what was asked for).
type permanentError struct{ error }

func (p permanentError) Unwrap() error { return p.error }

func (c *Client) classify(err error, attempt int) decision {
	var perm permanentError
	if errors.As(err, &perm) {
		return decision{final: perm.error}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
		return decision{final: err}
	}
	var abuse *github.AbuseRateLimitError
	if errors.As(err, &abuse) {
		w := secondaryDefault
		if abuse.RetryAfter != nil && *abuse.RetryAfter > 0 {
			w = *abuse.RetryAfter
		}
		return decision{wait: w, why: "secondary rate limit"}
	}
	var rl *github.RateLimitError
	if errors.As(err, &rl) {
		return c.primary(rl.Rate.Reset.Time, err)
	}
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		status := er.Response.StatusCode
		h := er.Response.Header
		msg := er.Message
		switch {
		case status == http.StatusForbidden && strings.Contains(msg, "Resource not accessible by integration"):
			return decision{final: fmt.Errorf("%w: %w", action.ErrReadOnly, err)}
		case status == http.StatusUnprocessableEntity && tooLong(er):
			return decision{final: fmt.Errorf("%w: %w", ErrBodyTooLong, err)}
		case status == http.StatusTooManyRequests || status == http.StatusForbidden:
			if ra := h.Get("Retry-After"); ra != "" {
				if s, perr := strconv.Atoi(ra); perr == nil && s >= 0 {
					return decision{wait: time.Duration(s) * time.Second, why: "secondary rate limit"}
				}
			}
			if h.Get("X-RateLimit-Remaining") == "0" {
				if s, perr := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); perr == nil {
					return c.primary(time.Unix(s, 0), err)
				}
			}
			if strings.Contains(strings.ToLower(msg), "secondary rate limit") {
				return decision{wait: secondaryDefault, why: "secondary rate limit"}
			}
			if status == http.StatusTooManyRequests {
				return decision{wait: c.backoff(attempt), why: "429 Too Many Requests"}
			}
			return decision{final: err}
		case status >= 500:
			return decision{wait: c.backoff(attempt), why: fmt.Sprintf("GitHub answered %d", status)}
		default:
			return decision{final: err}
		}
	}
	// Anything else is a transport failure (connection reset, timeout, a
	// truncated answer): retry.
	return decision{wait: c.backoff(attempt), why: "network error"}
}

func (c *Client) primary(reset time.Time, err error) decision {
	w := reset.Sub(c.now()) + time.Second
	if w < time.Second {
		w = time.Second
	}
	return decision{wait: w, primary: true, reset: reset, why: "primary rate limit, waiting for its reset"}
}

func tooLong(er *github.ErrorResponse) bool {
	for _, e := range er.Errors {
		if strings.Contains(e.Message, "too long") {
			return true
		}
	}
	return strings.Contains(er.Message, "too long")
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func statusOf(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// opError is every error the client returns: the operation, the
// repository, and the cause, with the token redacted from the text.
type opError struct {
	op, repo, token string
	err             error
}

func (e *opError) Error() string {
	return redact(fmt.Sprintf("github %s: %s: %v", e.repo, e.op, e.err), e.token)
}

func (e *opError) Unwrap() error { return e.err }

func (c *Client) fail(op string, err error) error {
	var oe *opError
	if errors.As(err, &oe) {
		return err
	}
	return &opError{op: op, repo: c.repoName(), token: c.cfg.Token, err: err}
}

// redact removes the token from s, should any layer below have put it
// there.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	return strings.ReplaceAll(s, token, "[REDACTED]")
}

func redactURL(s string) string {
	if i := strings.Index(s, "@"); i >= 0 {
		if j := strings.Index(s, "://"); j >= 0 && j < i {
			return s[:j+3] + "[REDACTED]" + s[i:]
		}
	}
	return s
}
