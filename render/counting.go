package render

import (
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// How the renderers count. A result is one control on one node (a check);
// a control is one benchmark recommendation, grouped across the nodes it
// applies to. Every count a person reads names its unit.

// plural is n followed by word, with an "s" unless n is 1: "1 control",
// "2 controls", "0 results".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// controlsAndResults names both units of a list of FAILs grouped by
// control: "1 control, 2 results".
func controlsAndResults(groups []verdict.ControlGroup) string {
	n := 0
	for _, g := range groups {
		n += len(g.Checks)
	}
	return plural(len(groups), "control") + ", " + plural(n, "result")
}

// couldNotCheck reports whether the group's FAILs are audits kube-bench
// could not run. Groups are split by [splitUnchecked] so that all of a
// group's checks agree.
func couldNotCheck(g verdict.ControlGroup) bool {
	return len(g.Checks) > 0 && g.Checks[0].CouldNotCheck()
}

// splitUnchecked separates, control by control, the FAILs whose audit ran
// from those kube-bench could not check (a FAIL with a reason), keeping the
// order: a control that failed on some nodes and could not be checked on
// others is in both lists.
func splitUnchecked(gs []verdict.FindingGroup) (checked, unchecked []verdict.FindingGroup) {
	for _, g := range gs {
		// The common case: the whole group is on one side, which shares
		// the group's slices instead of copying them.
		switch n := countUnchecked(g.Checks); {
		case len(g.Checks) == 0:
			continue
		case n == 0:
			checked = append(checked, g)
			continue
		case n == len(g.Checks):
			unchecked = append(unchecked, g)
			continue
		}
		var a, b verdict.FindingGroup
		a.Control, b.Control = g.Control, g.Control
		for i, c := range g.Checks {
			p := &a
			if c.CouldNotCheck() {
				p = &b
			}
			p.Checks = append(p.Checks, c)
			p.Findings = append(p.Findings, g.Findings[i])
		}
		if len(a.Checks) > 0 {
			checked = append(checked, a)
		}
		if len(b.Checks) > 0 {
			unchecked = append(unchecked, b)
		}
	}
	return checked, unchecked
}

// countUnchecked counts the checks kube-bench could not check.
func countUnchecked(cs []*benchresult.Check) int {
	n := 0
	for _, c := range cs {
		if c.CouldNotCheck() {
			n++
		}
	}
	return n
}

// splitUncheckedControls is [splitUnchecked] for control groups.
func splitUncheckedControls(gs []verdict.ControlGroup) (checked, unchecked []verdict.ControlGroup) {
	for _, g := range gs {
		switch n := countUnchecked(g.Checks); {
		case len(g.Checks) == 0:
			continue
		case n == 0:
			checked = append(checked, g)
			continue
		case n == len(g.Checks):
			unchecked = append(unchecked, g)
			continue
		}
		a, b := verdict.ControlGroup{Control: g.Control}, verdict.ControlGroup{Control: g.Control}
		for _, c := range g.Checks {
			if c.CouldNotCheck() {
				b.Checks = append(b.Checks, c)
			} else {
				a.Checks = append(a.Checks, c)
			}
		}
		if len(a.Checks) > 0 {
			checked = append(checked, a)
		}
		if len(b.Checks) > 0 {
			unchecked = append(unchecked, b)
		}
	}
	return checked, unchecked
}

// interleaveUnchecked splits each mixed group in two adjacent groups, the
// checked FAILs first, so that a table row is either one or the other.
func interleaveUnchecked(gs []verdict.FindingGroup) []verdict.FindingGroup {
	out := make([]verdict.FindingGroup, 0, len(gs))
	for _, g := range gs {
		a, b := splitUnchecked([]verdict.FindingGroup{g})
		out = append(append(out, a...), b...)
	}
	return out
}

// openUnchecked counts the open FAIL results kube-bench could not check.
func openUnchecked(v *verdict.Verdict) int {
	n := 0
	for _, f := range v.Findings {
		if f.State == verdict.StateOpen && f.Check.CouldNotCheck() {
			n++
		}
	}
	return n
}

// driftCount is "1 control differs" or "N controls differ".
func driftCount(n int) string {
	if n == 1 {
		return "1 control differs"
	}
	return plural(n, "control") + " differ"
}

// interleaveUncheckedControls is [interleaveUnchecked] for control groups.
func interleaveUncheckedControls(gs []verdict.ControlGroup) []verdict.ControlGroup {
	out := make([]verdict.ControlGroup, 0, len(gs))
	for _, g := range gs {
		a, b := splitUncheckedControls([]verdict.ControlGroup{g})
		out = append(append(out, a...), b...)
	}
	return out
}

// isAre is the verb for a count.
func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

// baselineEntries is "1 baseline entry" or "N baseline entries".
func baselineEntries(n int) string {
	if n == 1 {
		return "1 baseline entry"
	}
	return strconv.Itoa(n) + " baseline entries"
}

// ExceptionSource is where an exception is written: "file:line".
func ExceptionSource(e *exceptions.Exception) string {
	if e.Line > 0 {
		return e.Source + ":" + strconv.Itoa(e.Line)
	}
	return e.Source
}

func joinOwners(owners []string) string { return strings.Join(owners, ", ") }
