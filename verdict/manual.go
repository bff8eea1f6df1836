package verdict

import (
	"slices"
	"strings"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// FindingKind is what kind of failure a finding is.
type FindingKind string

// The kinds of finding.
const (
	// KindFail is a FAIL as kube-bench reports it.
	KindFail FindingKind = "fail"
	// KindFailedManual is a WARN of a check whose test ran and failed:
	// the benchmark calls the check Manual (not scored), so kube-bench
	// reports WARN for a failed test and PASS for a passed one (cis-1.10's
	// 1.2.1 --anonymous-auth, 4.2.4 --read-only-port). The gate reads it
	// as a failure unless [Config.ManualAsWarn].
	KindFailedManual FindingKind = "failed-manual"
)

// Label is how outputs name the kind: "FAIL", or "failed, Manual in this
// benchmark".
func (k FindingKind) Label() string {
	if k == KindFailedManual {
		return "failed, Manual in this benchmark"
	}
	return "FAIL"
}

// controlInfo is what the gate reads from the catalog about a check.
type controlInfo struct {
	testedManual bool  // a WARN of it is a failed test
	risk         *Risk // nil: none of the threat model's
}

// controlIndex looks checks up in the catalog once per control. It is
// keyed by the *benchresult.Control a report shares between the checks of
// one control (one per parsing worker), not by the control's strings: a
// pointer hashes in a word, three strings cost a WARN-heavy fleet more
// than the catalog itself. Two pointers to equal controls look up the same.
type controlIndex map[*benchresult.Control]controlInfo

func (ix controlIndex) info(c *benchresult.Check) controlInfo {
	if c.Control == nil {
		return controlInfo{}
	}
	k := c.Control
	if in, ok := ix[k]; ok {
		return in
	}
	var in controlInfo
	if cc, ok := catalog.Lookup(c.Benchmark, string(c.Target), c.ID); ok {
		// A "text" identity audits nothing kube-bench reads on a node
		// (cluster queries through kubectl): its WARN may only say that
		// the query could not run, so it stays a WARN.
		in.testedManual = cc.CarriesTest() && !cc.Scored && !strings.HasPrefix(string(cc.Identity), "text ")
		if r, ok := RiskOf(cc); ok {
			in.risk = &r
		}
	}
	ix[k] = in
	return in
}

// kindOf is the kind of finding a check is, or "" when it is none.
func (ix controlIndex) kindOf(c *benchresult.Check, manualAsWarn bool) FindingKind {
	switch c.EffectiveStatus() {
	case benchresult.Fail:
		return KindFail
	case benchresult.Warn:
		if !manualAsWarn && ix.info(c).testedManual {
			return KindFailedManual
		}
	}
	return ""
}

// kindCode is a FindingKind in a byte, for Evaluate's per-check table.
type kindCode uint8

const (
	kindNone kindCode = iota
	kindFail
	kindManual
)

func codeOf(k FindingKind) kindCode {
	switch k {
	case KindFail:
		return kindFail
	case KindFailedManual:
		return kindManual
	}
	return kindNone
}

func (c kindCode) kind() FindingKind {
	switch c {
	case kindFail:
		return KindFail
	case kindManual:
		return KindFailedManual
	}
	return ""
}

// asGated returns the checks with each failed Manual check's status set to
// FAIL, as exceptions must see them (an exception can accept a failed
// test like any FAIL). It returns checks itself when there is none.
func asGated(checks []benchresult.Check, kinds []kindCode) []benchresult.Check {
	var out []benchresult.Check
	for i, k := range kinds {
		if k != kindManual {
			continue
		}
		if out == nil {
			out = append([]benchresult.Check(nil), checks...)
		}
		out[i].Status = benchresult.Fail
	}
	if out == nil {
		return checks
	}
	return out
}

// failingBefore reports, for the failed Manual checks of keys, whether the
// baseline had them failing too (WARN or FAIL: the same control's test
// failed then), following the entries Diff carried from another benchmark
// version. A check the baseline has no entry for, or had as PASS, is new.
func failingBefore(b *baseline.Baseline, d *baseline.Delta, keys map[benchresult.Key]bool) map[benchresult.Key]bool {
	failing := func(s benchresult.Status) bool { return s == benchresult.Warn || s == benchresult.Fail }
	out := make(map[benchresult.Key]bool, len(keys))
	carried := map[benchresult.Key]bool{}
	for _, c := range d.Carried {
		if keys[c.To] {
			carried[c.To] = true
			out[c.To] = out[c.To] || failing(c.Status)
		}
	}
	for _, e := range b.Entries {
		if keys[e.Key] && !carried[e.Key] && failing(e.Status) {
			out[e.Key] = true
		}
	}
	return out
}

// fixedFindings are the baseline's findings fixed now: its FAILs that no
// longer fail, and, unless manualAsWarn, its failed Manual checks whose
// test passes now (WARN → PASS), in identity order.
func fixedFindings(d *baseline.Delta, ix controlIndex, manualAsWarn bool) []baseline.Change {
	if manualAsWarn {
		return d.Fixed
	}
	var manual []baseline.Change
	for _, ch := range d.Changed {
		if ch.Before == benchresult.Warn && ch.After == benchresult.Pass && ch.Check != nil && ix.info(ch.Check).testedManual {
			manual = append(manual, ch)
		}
	}
	if len(manual) == 0 {
		return d.Fixed
	}
	out := append(slices.Clip(d.Fixed), manual...)
	slices.SortStableFunc(out, func(a, b baseline.Change) int { return baseline.CompareKeys(a.Key, b.Key) })
	return out
}
