package fakegithub

import (
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// FaultKind names a failure GitHub really produces.
type FaultKind string

// The faults a [Server] can inject. Each answers with GitHub's status code,
// headers and body.
const (
	// FaultSecondaryRateLimit: 403, Retry-After (default 60 s), "You have
	// exceeded a secondary rate limit...".
	FaultSecondaryRateLimit FaultKind = "secondary-rate-limit"
	// FaultPrimaryRateLimit: 403, X-RateLimit-Remaining: 0 and a reset
	// (default 60 s ahead), "API rate limit exceeded for ...".
	FaultPrimaryRateLimit FaultKind = "primary-rate-limit"
	// FaultPrimaryRateLimit429 is the same as a 429 Too Many Requests.
	FaultPrimaryRateLimit429 FaultKind = "primary-rate-limit-429"
	// FaultBodyTooLong: 422 Validation Failed "body is too long (maximum is
	// 65536 characters)". (The server also answers it on its own to a body
	// over the limit.)
	FaultBodyTooLong FaultKind = "body-too-long"
	// FaultNotAccessible: 403 "Resource not accessible by integration".
	FaultNotAccessible FaultKind = "not-accessible"
	// FaultNotFound: 404 Not Found.
	FaultNotFound FaultKind = "not-found"
	// FaultServerError: 500 Server Error.
	FaultServerError FaultKind = "server-error"
	// FaultBadGateway: 502 Bad Gateway.
	FaultBadGateway FaultKind = "bad-gateway"
	// FaultDelay answers normally after Delay (or never, if the client
	// gives up first).
	FaultDelay FaultKind = "delay"
	// FaultDisconnect closes the connection without an answer (a network
	// error for the client).
	FaultDisconnect FaultKind = "disconnect"
)

// SecondaryRateLimitMessage is the message GitHub sends with a secondary
// rate limit.
const SecondaryRateLimitMessage = "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. If you reach out to GitHub Support for help, please include the request ID FAKE:0001:000001."

// Fault scripts one kind of failure on some requests.
type Fault struct {
	Kind FaultKind
	// Method restricts the fault to one method ("" any; "WRITE" any of
	// POST, PATCH, PUT, DELETE).
	Method string
	// Route restricts it to one route pattern as in [Server.Counts], e.g.
	// "/repos/{owner}/{repo}/issues/{issue_number}/comments" ("" any).
	Route string
	// Nth fires the fault from the Nth matching request on (1-based;
	// 0 means the first).
	Nth int
	// Times is how many times it fires (0 means once; negative, always).
	Times int
	// RetryAfter for secondary limits (default 60 s); ResetIn for primary
	// limits (default 60 s from the server's clock).
	RetryAfter, ResetIn time.Duration
	// Delay holds the answer back (any kind; FaultDelay then answers
	// normally).
	Delay time.Duration
	// AfterApply performs the request and then answers with the fault, as
	// when a proxy times out after GitHub has written (only for kinds that
	// answer with a status).
	AfterApply bool

	seen, fired int
}

// AddFault scripts f and returns it; it fires on the matching requests it
// selects, in the order faults were added.
func (s *Server) AddFault(f Fault) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	fc := f
	s.faults = append(s.faults, &fc)
	return &fc
}

// ClearFaults removes every scripted and random fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
	s.random = nil
}

// RandomFaults injects one of kinds into each request with probability
// rate, drawn from a generator seeded with seed (reproducible for one
// sequence of requests). template supplies RetryAfter, ResetIn and Delay.
func (s *Server) RandomFaults(seed int64, rate float64, template Fault, kinds ...FaultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.random = &randomFaults{rng: rand.New(rand.NewSource(seed)), rate: rate, kinds: kinds, opts: template}
}

// Fired returns how many times f fired.
func (s *Server) Fired(f *Fault) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return f.fired
}

// pickFault is called with s.mu held.
func (s *Server) pickFault(method, route string) *Fault {
	for _, f := range s.faults {
		if !methodMatches(f.Method, method) || (f.Route != "" && f.Route != route) {
			continue
		}
		f.seen++
		nth := max(f.Nth, 1)
		times := f.Times
		if times == 0 {
			times = 1
		}
		if f.seen >= nth && (times < 0 || f.fired < times) {
			f.fired++
			c := *f
			return &c
		}
	}
	if rf := s.random; rf != nil && len(rf.kinds) > 0 && route != "/user" {
		if rf.rng.Float64() < rf.rate {
			c := rf.opts
			c.Kind = rf.kinds[rf.rng.Intn(len(rf.kinds))]
			return &c
		}
	}
	return nil
}

func methodMatches(want, got string) bool {
	switch want {
	case "":
		return true
	case "WRITE":
		return got != http.MethodGet && got != http.MethodHead
	default:
		return strings.EqualFold(want, got)
	}
}

func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	h := w.Header()
	switch f.Kind {
	case FaultDisconnect:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	case FaultSecondaryRateLimit:
		s.rateHeaders(h)
		ra := f.RetryAfter
		if ra <= 0 {
			ra = 60 * time.Second
		}
		h.Set("Retry-After", strconv.Itoa(int(ra/time.Second)))
		writeError(w, http.StatusForbidden, SecondaryRateLimitMessage,
			"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits")
	case FaultPrimaryRateLimit, FaultPrimaryRateLimit429:
		reset := f.ResetIn
		if reset <= 0 {
			reset = 60 * time.Second
		}
		s.rateHeaders(h)
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("X-RateLimit-Used", "5000")
		h.Set("X-RateLimit-Reset", strconv.FormatInt(s.clock().Add(reset).Unix(), 10))
		status := http.StatusForbidden
		if f.Kind == FaultPrimaryRateLimit429 {
			status = http.StatusTooManyRequests
		}
		writeError(w, status, "API rate limit exceeded for user ID 583231. If you reach out to GitHub Support for help, please include the request ID FAKE:0001:000001 and timestamp "+s.clock().UTC().Format("2006-01-02 15:04:05 MST")+".",
			"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits")
	case FaultBodyTooLong:
		s.rateHeaders(h)
		writeBodyTooLong(w, resourceOf(r.URL.Path))
	case FaultNotAccessible:
		s.rateHeaders(h)
		writeError(w, http.StatusForbidden, "Resource not accessible by integration", docsRoot)
	case FaultNotFound:
		s.rateHeaders(h)
		writeError(w, http.StatusNotFound, "Not Found", docsRoot)
	case FaultBadGateway:
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("{\n  \"message\": \"Server Error\"\n}\n"))
	default: // FaultServerError and unknown kinds
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"message":"Server Error"}`))
	}
}

func resourceOf(path string) string {
	if strings.Contains(path, "/comments") {
		return "IssueComment"
	}
	return "Issue"
}

// writeBodyTooLong writes GitHub's 422 for a body over 65,536 characters.
func writeBodyTooLong(w http.ResponseWriter, resource string) {
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"message": "Validation Failed",
		"errors": []map[string]string{{
			"resource": resource, "code": "custom", "field": "body",
			"message": "body is too long (maximum is 65536 characters)",
		}},
		"documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment",
		"status":            "422",
	})
}
