package benchresult

import (
	"fmt"
	"strings"
)

// Coverage says whether a result's checks are every check its totals count.
type Coverage uint8

const (
	// Complete: every check the totals count is in the result, and the
	// totals are those checks counted (the normal case).
	Complete Coverage = iota
	// SummaryOnly: the output holds kube-bench's summary and no per-check
	// results (text printed with --noresults, or the tail of a log): the
	// totals are the ones it states, and there are no checks.
	SummaryOnly
	// Incomplete: the output's own totals count checks it does not list
	// (kube-bench's test fixtures keep one result per group with the full
	// totals), read with [Options.TrustTotals]: the totals are the stated
	// ones, the checks are those listed.
	Incomplete
)

// String is "complete", "summary-only" or "incomplete".
func (c Coverage) String() string {
	switch c {
	case SummaryOnly:
		return "summary-only"
	case Incomplete:
		return "incomplete"
	}
	return "complete"
}

// MarshalText is String, for JSON.
func (c Coverage) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// HasChecks reports whether the result lists per-check results at all.
func (c Coverage) HasChecks() bool { return c != SummaryOnly }

// TotalsError says that an output's own totals (JSON "Totals" or a target's
// total_*, a text summary, a JUnit testsuite's counts) disagree with the
// results it lists: the input disagrees with itself. kube-bench writes both
// from the same counts, so the output was edited, cut or assembled by hand
// (kube-bench's own test fixtures keep one result per group with the full
// totals). With [Options.TrustTotals], Parse reads such an output with its
// stated totals instead, as [Incomplete], where it can (Trustable).
type TotalsError struct {
	What    string // which statement: `its "Totals"`, `the summary of target node`, ...
	Stated  string // what it says, e.g. "49 PASS, 12 FAIL, 14 WARN, 0 INFO"
	Counted string // what its results count
	// Versus names what Counted is, when it is not its results: "its
	// targets' own totals add up to".
	Versus string
	More   int // further statements that disagree too
	// Trustable is false where the statement cannot stand in for the
	// results: a JUnit testsuite states tests and failures, not kube-bench's
	// four totals; a total that disagrees with its own targets' totals.
	Trustable bool
}

func (e *TotalsError) Error() string {
	versus := e.Versus
	if versus == "" {
		versus = "its results count"
	}
	msg := fmt.Sprintf("the input disagrees with itself: %s says %s but %s %s", e.What, e.Stated, versus, e.Counted)
	if e.More > 0 {
		msg += fmt.Sprintf(", and %d more of its totals disagree", e.More)
	}
	return msg + " (kube-bench prints both from the same checks: was the output edited or cut?)"
}

// statement is what an output says of one target's totals, or of the sum
// of several targets (a total: targets[from:to] of its statements).
type statement struct {
	target   Target
	mask     uint8  // which of stated's counts the output states: 1 PASS, 2 FAIL, 4 WARN, 8 INFO
	stated   Totals // what it states
	counted  Totals // its checks, counted
	line     int    // where it says so (0: unknown)
	what     string // how to name it in an error
	from, to int    // a total: the targets it sums
}

const (
	allCounts    = 0xf
	countsNoInfo = 0x7 // kube-bench v0.0.x's summary: PASS, FAIL, WARN
)

// claim is what the statement says, with the counts it does not state taken
// from its checks.
func (s *statement) claim() Totals {
	t := s.counted
	if s.mask&1 != 0 {
		t.Pass = s.stated.Pass
	}
	if s.mask&2 != 0 {
		t.Fail = s.stated.Fail
	}
	if s.mask&4 != 0 {
		t.Warn = s.stated.Warn
	}
	if s.mask&8 != 0 {
		t.Info = s.stated.Info
	}
	return t
}

func (s *statement) err(source string, trustable bool, more int) error {
	what := s.what
	if what == "" {
		what = jsonTargetWhat(s.target)
	}
	return &InputError{Source: source, Line: s.line, Err: &TotalsError{What: what, Stated: fmtTotals(s.claim()), Counted: fmtTotals(s.counted), More: more, Trustable: trustable}}
}

// statements collects what an output says of its own totals while it is
// read. A nil *statements collects nothing.
type statements struct {
	targets []statement
	totals  []statement
	// Room for the statements of a usual output (five or six targets and
	// a total), so that reading them allocates nothing more.
	room      [7]statement
	totalRoom [1]statement
}

// reset empties st for another output, keeping its room.
func (st *statements) reset() {
	st.targets, st.totals = st.room[:0], st.totalRoom[:0]
}

func (st *statements) addTarget(s statement) {
	if st != nil {
		st.targets = append(st.targets, s)
	}
}

// settle compares what the output says of its totals with its checks and
// sets nr's Coverage, Totals and ByTarget. summaryOnly allows an output
// with statements and no check at all (text --noresults). It returns a
// *TotalsError (in an *InputError) where they disagree and trust is off, or
// where the statements disagree among themselves.
func (st *statements) settle(nr *NodeResult, source string, trust, summaryOnly bool) error {
	if st == nil || (len(st.targets) == 0 && len(st.totals) == 0) {
		return nil
	}
	summaryOnly = summaryOnly && len(nr.Checks) == 0
	var bad []*statement
	var inconsistent *statement
	var claimed Totals // what the statements say of the whole output
	for i := range st.totals {
		t := &st.totals[i]
		t.counted = Totals{}
		var sum Totals
		allStated := t.to > t.from && t.mask == allCounts
		for j := t.from; j < t.to; j++ {
			s := &st.targets[j]
			t.counted = t.counted.Plus(s.counted)
			sum = sum.Plus(s.claim())
			allStated = allStated && s.mask == allCounts
		}
		if t.mask == 0 {
			claimed = claimed.Plus(sum)
			continue
		}
		claimed = claimed.Plus(t.claim())
		// Its targets' totals add up to it; in a summary-only output (the
		// tail of a log) they may be fewer, never more.
		if allStated && (summaryOnly && exceeds(sum, t.claim()) || !summaryOnly && t.claim() != sum) && inconsistent == nil {
			inconsistent = t
			inconsistent.counted = sum
		} else if t.claim() != t.counted {
			bad = append(bad, t)
		}
	}
	for i := range st.targets {
		if s := &st.targets[i]; s.mask != 0 && s.claim() != s.counted {
			bad = append(bad, s)
		}
	}
	if inconsistent != nil {
		// The output's total and its targets' totals disagree: neither can
		// be trusted over the other.
		e := &TotalsError{What: inconsistent.what, Stated: fmtTotals(inconsistent.claim()), Versus: "its targets' own totals add up to", Counted: fmtTotals(inconsistent.counted)}
		return &InputError{Source: source, Line: inconsistent.line, Err: e}
	}
	if summaryOnly {
		nr.Coverage = SummaryOnly
	} else {
		if len(bad) == 0 {
			return nil
		}
		if !trust {
			return bad[0].err(source, true, len(bad)-1)
		}
		nr.Coverage = Incomplete
	}
	// What the statements say of the whole output: each total, and each
	// target no total covers.
	inTotal := make([]bool, len(st.targets))
	for _, t := range st.totals {
		for j := t.from; j < t.to; j++ {
			inTotal[j] = true
		}
	}
	for i := range st.targets {
		if !inTotal[i] {
			claimed = claimed.Plus(st.targets[i].claim())
		}
	}
	nr.Totals = claimed
	nr.ByTarget = make(map[Target]Totals, len(st.targets))
	for i := range st.targets {
		if s := &st.targets[i]; s.target != "" {
			nr.ByTarget[s.target] = nr.ByTarget[s.target].Plus(s.claim())
		}
	}
	return nil
}

// exceeds reports whether any count of a is more than b's.
func exceeds(a, b Totals) bool {
	return a.Pass > b.Pass || a.Fail > b.Fail || a.Warn > b.Warn || a.Info > b.Info
}

// Incomplete lists the inputs whose checks are not every check their totals
// count: summary-only outputs, and outputs read with [Options.TrustTotals]
// whose totals disagree with their checks.
func (r *Report) Incomplete() []InputSummary {
	var out []InputSummary
	for _, in := range r.Inputs {
		if in.Coverage != Complete {
			out = append(out, in)
		}
	}
	return out
}

// SummaryOnlyError is the error of a command that needs per-check results
// (a gate, a baseline) given inputs that hold only kube-bench's summary;
// what is what it needs them for ("gate on").
func SummaryOnlyError(what string, inputs []InputSummary) error {
	var srcs []string
	for _, in := range inputs {
		if in.Coverage == SummaryOnly {
			srcs = append(srcs, in.Source)
		}
	}
	if len(srcs) == 0 {
		return nil
	}
	verb := "holds"
	if len(srcs) > 1 {
		verb = "hold"
	}
	return fmt.Errorf("nothing to %s: %s %s only kube-bench's summary, no per-check results; run kube-bench without --noresults", what, strings.Join(srcs, ", "), verb)
}
