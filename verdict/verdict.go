package verdict

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
)

// FailOn is the gate's policy on open FAILs.
type FailOn string

// The policies.
const (
	FailOnNew  FailOn = "new"  // open FAILs that are not FAIL in the baseline fail the gate (the default)
	FailOnAny  FailOn = "any"  // any open FAIL fails the gate
	FailOnNone FailOn = "none" // findings never fail the gate
)

// ParseFailOn reads a policy name.
func ParseFailOn(s string) (FailOn, error) {
	switch FailOn(s) {
	case FailOnNew, FailOnAny, FailOnNone:
		return FailOn(s), nil
	case "":
		return FailOnNew, nil
	}
	return "", fmt.Errorf("unknown fail-on %q (want new, any or none)", s)
}

// Config is what the gate needs besides the results. Its zero value gates
// on new FAILs with no exceptions and no baseline.
type Config struct {
	Exceptions   *exceptions.File   // nil: no exceptions
	Baseline     *baseline.Baseline // nil: no baseline, every open FAIL is new
	FailOn       FailOn
	AllowExpired bool            // expired exceptions do not fail the gate
	WarnDays     int             // an exception expiring within this many days is reported
	Now          exceptions.Date // today, for review dates
	// ManualAsWarn reads a WARN of a Manual check whose test failed as
	// kube-bench does (a WARN, not gated). By default it is a finding of
	// kind [KindFailedManual], gated like a FAIL.
	ManualAsWarn bool
}

// FindingState is what the gate made of a FAIL.
type FindingState string

// The states of a FAIL.
const (
	StateOpen     FindingState = "open"     // not covered by a valid exception
	StateAccepted FindingState = "accepted" // covered by an exception through its review date
)

// Finding is one FAIL the operator can act on (profiles' not-applicable
// checks are not findings), or one failed test of a Manual check (see
// [KindFailedManual]), with what the gate made of it.
type Finding struct {
	Check     *benchresult.Check
	Kind      FindingKind
	Risk      *Risk // the threat-model risk its control guards against; nil: none
	State     FindingState
	New       bool                  // not failing in the baseline (always true without one)
	Owner     string                // who must act: owners list, else the exception's owner, else "unowned"
	Exception *exceptions.Exception // the accepting exception, or the expired one that no longer does
	Where     *Location             // where the configuration sets it (see [Verdict.Locate]); nil: not traced
}

// Counts are the figures of a verdict. Fail, New, Persisting, Fixed and
// Accepted count results: one control on one node (a check identity), so a
// control failing on 3 nodes counts 3. Expired, Expiring, Unused and
// Retargeted count exceptions. `gate --format json` prints them as "counts".
type Counts struct {
	Fail       int // open FAILs, failed Manual checks included
	New        int
	Persisting int
	Fixed      int
	Accepted   int
	Expired    int
	Expiring   int
	Unused     int
	Retargeted int
	// FailedManual counts the open findings of kind [KindFailedManual]
	// (in Fail, and in New or Persisting).
	FailedManual int
}

// Verdict is the gate's decision and everything that led to it.
type Verdict struct {
	Report   *benchresult.Report
	Config   Config
	Pass     bool
	Reasons  []string // why it failed, or why it passed
	Findings []Finding
	Delta    *baseline.Delta // nil without a baseline
	// Fixed are the findings of the baseline that are gone although their
	// checks are still there: the baseline's FAILs that pass, warn or are
	// skipped now (Delta.Fixed), and failed Manual checks whose test passes
	// now (a WARN → PASS in Delta.Changed). Sorted by identity.
	Fixed      []baseline.Change
	Exceptions []exceptions.ExceptionStatus // every exception with its state
	Counts     Counts
	Drift      []benchresult.Drift
	Mixed      map[string][]string
}

// Evaluate runs the gate: exceptions, then the baseline diff, then the
// policy. It never fails: bad input is refused earlier, by the parsers.
func Evaluate(r *benchresult.Report, cfg Config) *Verdict {
	if cfg.FailOn == "" {
		cfg.FailOn = FailOnNew
	}
	v := &Verdict{Report: r, Config: cfg, Drift: benchresult.FindDrift(r), Mixed: benchresult.MixedBenchmarks(r)}

	ix := controlIndex{}
	// One byte a check (a FindingKind is 16): 275k checks of a 10,000-node
	// fleet are live next to the findings at the gate's peak.
	kinds := make([]kindCode, len(r.Checks))
	fails, nManual := 0, 0
	for i := range r.Checks {
		kinds[i] = codeOf(ix.kindOf(&r.Checks[i], cfg.ManualAsWarn))
		if kinds[i] != kindNone {
			fails++
		}
		if kinds[i] == kindManual {
			nManual++
		}
	}

	var ev *exceptions.Evaluation
	if cfg.Exceptions != nil {
		ev = exceptions.Evaluate(cfg.Exceptions, asGated(r.Checks, kinds), cfg.Now, cfg.WarnDays)
		v.Exceptions = ev.Statuses
	}
	var newKeys map[benchresult.Key]bool
	if cfg.Baseline != nil {
		v.Delta = baseline.Diff(cfg.Baseline, r.Checks)
		if !v.Delta.Legacy {
			v.Fixed = fixedFindings(v.Delta, ix, cfg.ManualAsWarn)
			newKeys = make(map[benchresult.Key]bool, len(v.Delta.New))
			for _, d := range v.Delta.New {
				newKeys[d.Key] = true
			}
			if nManual > 0 {
				// Only a baseline asks which failed Manual checks are new.
				manual := make(map[benchresult.Key]bool, nManual)
				for i := range r.Checks {
					if kinds[i] == kindManual {
						manual[r.Checks[i].Key()] = true
					}
				}
				for k, before := range failingBefore(cfg.Baseline, v.Delta, manual) {
					if before {
						delete(manual, k)
					}
				}
				for k := range manual {
					newKeys[k] = true
				}
			}
		}
	}
	v.Findings = make([]Finding, 0, fails)
	for i := range r.Checks {
		c := &r.Checks[i]
		if kinds[i] == kindNone {
			continue
		}
		f := Finding{Check: c, Kind: kinds[i].kind(), Risk: ix.info(c).risk, State: StateOpen, New: true}
		if ev != nil {
			k := c.Key()
			if e, ok := ev.Accepted[k]; ok {
				f.State, f.Exception = StateAccepted, e
			} else if e, ok := ev.Expired[k]; ok {
				f.Exception = e
			}
		}
		if newKeys != nil {
			f.New = newKeys[c.Key()]
		}
		f.Owner = exceptions.Unowned
		if cfg.Exceptions != nil {
			f.Owner = cfg.Exceptions.OwnerOf(c, ev)
		}
		v.Findings = append(v.Findings, f)
	}
	v.count()
	v.decide()
	return v
}

func (v *Verdict) count() {
	c := &v.Counts
	for _, f := range v.Findings {
		switch {
		case f.State == StateAccepted:
			c.Accepted++
		default:
			c.Fail++
			if f.Kind == KindFailedManual {
				c.FailedManual++
			}
			if f.New {
				c.New++
			} else {
				c.Persisting++
			}
		}
	}
	if v.Delta != nil {
		if v.Delta.Legacy {
			c.New = max(0, c.Fail-v.Delta.LegacyFailCount)
			c.Persisting = c.Fail - c.New
		} else {
			c.Fixed = len(v.Fixed)
		}
	}
	for _, s := range v.Exceptions {
		switch s.State {
		case exceptions.Expired:
			c.Expired++
		case exceptions.Expiring:
			c.Expiring++
		case exceptions.Unused:
			c.Unused++
		case exceptions.Retargeted:
			c.Retargeted++
		}
	}
}

func (v *Verdict) decide() {
	c := v.Counts
	newManual := 0
	for _, f := range v.Findings {
		if f.State == StateOpen && f.New && f.Kind == KindFailedManual {
			newManual++
		}
	}
	var reasons []string
	fail := false
	switch v.Config.FailOn {
	case FailOnAny:
		if c.Fail > 0 {
			fail = true
			reasons = append(reasons, plural(c.Fail, "open FAIL result")+" (fail-on any)"+manualNote(c.FailedManual))
		}
	case FailOnNew:
		switch {
		case v.Delta != nil && v.Delta.Legacy && c.New > 0:
			fail = true
			reasons = append(reasons, fmt.Sprintf("%s, above the baseline's %d (fail-on new)", plural(c.Fail, "open FAIL result"), v.Delta.LegacyFailCount)+manualNote(c.FailedManual))
		case c.New > 0 && v.Delta == nil:
			fail = true
			reasons = append(reasons, fmt.Sprintf("%s and no baseline to compare with, so %s new (fail-on new)", plural(c.New, "open FAIL result"), allAre(c.New))+manualNote(newManual))
		case c.New > 0:
			fail = true
			reasons = append(reasons, plural(c.New, "new open FAIL result")+" not in the baseline (fail-on new)"+manualNote(newManual))
		}
	}
	if c.Expired > 0 {
		if v.Config.AllowExpired {
			reasons = append(reasons, plural(c.Expired, "expired exception")+", allowed by --allow-expired")
		} else {
			fail = true
			reasons = append(reasons, plural(c.Expired, "expired exception")+": renew the review date or fix the control")
		}
	}
	if !fail {
		switch {
		case v.Config.FailOn == FailOnNone:
			reasons = append(reasons, "fail-on none: "+plural(c.Fail, "open FAIL result")+" reported, not gated")
		case c.Fail == 0:
			reasons = append(reasons, "no open FAILs")
		default:
			reasons = append(reasons, "no new FAILs; "+plural(c.Fail, "open FAIL result")+" already in the baseline")
		}
	}
	v.Pass = !fail
	v.Reasons = reasons
}

// Open returns the open findings, new ones first, then highest risk
// first (see [Risk]), then by check order.
func (v *Verdict) Open() []Finding {
	var out []Finding
	for _, f := range v.Findings {
		if f.State == StateOpen {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].New != out[j].New {
			return out[i].New
		}
		return rank(out[i].Risk) < rank(out[j].Risk)
	})
	return out
}

// Accepted returns the findings accepted by an exception.
func (v *Verdict) Accepted() []Finding {
	var out []Finding
	for _, f := range v.Findings {
		if f.State == StateAccepted {
			out = append(out, f)
		}
	}
	return out
}

// Owners lists every owner with open findings or exception problems, sorted.
func (v *Verdict) Owners() []string {
	seen := map[string]bool{}
	for _, f := range v.Findings {
		if f.State == StateOpen {
			seen[f.Owner] = true
		}
	}
	for _, s := range v.Exceptions {
		if s.State == exceptions.Expired || s.State == exceptions.Expiring {
			seen[s.Exception.Owner] = true
		}
	}
	out := make([]string, 0, len(seen))
	for o := range seen {
		out = append(out, o)
	}
	sort.Strings(out)
	return out
}

// plural is n followed by word, with an "s" unless n is 1.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// manualNote says how many of the results counted before it are failed
// tests of Manual checks, which kube-bench itself reports as WARN.
func manualNote(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "; 1 of them is a failed test of a check that is Manual in its benchmark (kube-bench reports WARN; --manual-as-warn ignores it)"
	}
	return "; " + strconv.Itoa(n) + " of them are failed tests of checks that are Manual in their benchmark (kube-bench reports WARN; --manual-as-warn ignores them)"
}

func allAre(n int) string {
	if n == 1 {
		return "it is"
	}
	return "all are"
}
