package fakegithub

import (
	"sync"
	"time"
)

// SimClock is a simulated clock shared by the fake and the client under
// test: Sleep advances it at once and records the total, so a test of
// retries and rate limits runs instantly and can assert how long the client
// would have waited.
type SimClock struct {
	mu     sync.Mutex
	now    time.Time
	slept  time.Duration
	sleeps []time.Duration
}

// NewSimClock returns a clock that starts at start.
func NewSimClock(start time.Time) *SimClock { return &SimClock{now: start} }

// Now returns the simulated time.
func (c *SimClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep advances the clock by d (negative or zero: no-op but recorded).
func (c *SimClock) Sleep(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.now = c.now.Add(d)
		c.slept += d
	}
	c.sleeps = append(c.sleeps, d)
}

// Slept returns the total simulated time slept.
func (c *SimClock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}

// Sleeps returns every Sleep call's argument, in order.
func (c *SimClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// Reset forgets the sleeps (the time stays).
func (c *SimClock) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept, c.sleeps = 0, nil
}
