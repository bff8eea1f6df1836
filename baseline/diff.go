package baseline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
)

// Delta is what changed between a baseline and the current results.
//
// Every current FAIL is in New or Persisting. Every FAIL of the baseline is
// in Persisting, Fixed, Gone, Changed (when a profile now marks it not
// applicable) or Uncarried. Each list is sorted by identity (see [CompareKeys]).
type Delta struct {
	// Legacy is set when the baseline is the seed's FAIL-count file. The
	// lists are empty then: the caller compares its number of open FAILs
	// (after exceptions) with LegacyFailCount, and open FAILs above that
	// number fail the gate (see [Delta.ExceedsLegacy]).
	Legacy          bool
	LegacyFailCount int

	// New holds checks that FAIL now and did not FAIL in the baseline:
	// they passed or warned, or the baseline never saw them (a new node, a
	// control new in this benchmark version). A check a profile marks not
	// applicable is never new.
	New []Change
	// Persisting holds checks that FAIL now and FAILed in the baseline.
	Persisting []Change
	// Fixed holds checks that FAILed in the baseline and are present now
	// with PASS, WARN or INFO.
	Fixed []Change
	// Gone holds baseline FAILs whose identity is absent now: the node was
	// removed or not scanned, or the control was dropped. They are not
	// counted as fixed: nothing shows they were.
	Gone []Change
	// Changed holds the other status changes of checks present in both,
	// such as PASS → WARN, and FAIL → NOT APPLICABLE (a profile took the
	// control out of the operator's hands: not a fix).
	Changed []Change

	// Carried lists every baseline entry that was matched to a check of
	// another benchmark version by its control's description (see [Diff]).
	Carried []Carry
	// Uncarried lists every baseline entry of an older benchmark version
	// that could not be matched to a current check, with the reason. Their
	// statuses are not compared with anything: a renderer should show them,
	// at least the FAILs among them.
	Uncarried []Uncarried
}

// ExceedsLegacy reports whether openFails (the current FAILs not accepted by
// an exception) is above the count of a legacy baseline. It is false for an
// ID-level baseline.
func (d *Delta) ExceedsLegacy(openFails int) bool {
	return d.Legacy && openFails > d.LegacyFailCount
}

// Change is one check in a Delta list.
type Change struct {
	// Key is the current identity; for Gone, the baseline's.
	Key benchresult.Key
	// BaselineKey is the identity of the baseline entry compared with: Key
	// itself, or the entry of another benchmark version it was carried
	// from. Zero for a check the baseline has no entry for.
	BaselineKey benchresult.Key
	Text        string             // the control's description (current one when present)
	Before      benchresult.Status // in the baseline; 0 when the baseline has no entry
	After       benchresult.Status // the effective status now; 0 for Gone
	// Check is the current check, pointing into the slice given to Diff,
	// for what a renderer needs beyond this (remediation, reason). Nil for Gone.
	Check *benchresult.Check
}

// Carried reports whether the change compares the check with a baseline
// entry of another benchmark version.
func (c *Change) Carried() bool {
	return c.Before != 0 && c.BaselineKey != c.Key
}

// Carry is a baseline entry matched to a check of another benchmark version.
type Carry struct {
	From   benchresult.Key    // the baseline entry, e.g. cis-1.8 1.2.17
	To     benchresult.Key    // the current check, e.g. cis-1.10 1.2.16
	Status benchresult.Status // the baseline entry's status
	Text   string             // the baseline entry's description
}

// Uncarried is a baseline entry of another benchmark version that no
// current check matches.
type Uncarried struct {
	Entry
	Reason string
}

// scope is where a benchmark applies: a (cluster, node, target).
type scope struct {
	cluster, node string
	target        benchresult.Target
}

func scopeOf(k benchresult.Key) scope { return scope{k.Cluster, k.Node, k.Target} }

// Diff compares the current checks (one per identity, as
// [benchresult.Report].Checks holds them) with a baseline. A nil baseline
// is an empty one: every current FAIL is new.
//
// Statuses are compared as the gate sees them: a current check's
// [benchresult.Check.EffectiveStatus] with the baseline's status.
//
// Carrying across benchmark versions: benchmark versions renumber controls
// (cis-1.8's 1.2.17 "--audit-log-path" is 1.2.16 in cis-1.10, where 1.2.16
// was "--profiling" in cis-1.8). When, for a (cluster, node, target), the
// baseline holds a benchmark the results do not, and the results hold
// exactly one benchmark the baseline does not, each baseline entry of the
// old benchmark is matched to the current check whose control has the same
// fingerprint (target plus [benchresult.NormalizeText] of the description),
// never by id. Matches are listed in Carried; entries without exactly one
// match, with the reason, in Uncarried. A current check nothing was carried
// to is compared with nothing: it is new if it FAILs.
func Diff(base *Baseline, checks []benchresult.Check) *Delta {
	d := &Delta{}
	if base != nil && base.Legacy {
		d.Legacy = true
		d.LegacyFailCount = base.FailCount
		return d
	}
	var entries []Entry
	if base != nil {
		entries = base.Entries
	}

	// Index the current checks and the benchmarks of each scope.
	current := make(map[benchresult.Key]int, len(checks))
	curBench := map[scope][]string{}
	for i := range checks {
		c := &checks[i]
		if c.Control == nil {
			continue
		}
		k := c.Key()
		current[k] = i
		s := scopeOf(k)
		if bs := curBench[s]; !slices.Contains(bs, k.Benchmark) {
			curBench[s] = append(bs, k.Benchmark)
		}
	}
	baseBench := map[scope][]string{}
	for i := range entries {
		k := entries[i].Key
		s := scopeOf(k)
		if bs := baseBench[s]; !slices.Contains(bs, k.Benchmark) {
			baseBench[s] = append(bs, k.Benchmark)
		}
	}

	// Match each baseline entry to a current check: by identity, or by
	// fingerprint when its benchmark is not among the scope's current ones.
	baseOf := make([]int32, len(checks)) // index of the baseline entry compared with, -1 for none
	for i := range baseOf {
		baseOf[i] = -1
	}
	matched := make([]bool, len(entries))
	toCarry := map[scope][]int{}
	for j := range entries {
		k := entries[j].Key
		s := scopeOf(k)
		bs := curBench[s]
		switch {
		case len(bs) == 0: // node or target not scanned now
		case slices.Contains(bs, k.Benchmark):
			if i, ok := current[k]; ok {
				baseOf[i] = int32(j)
				matched[j] = true
			}
		default:
			toCarry[s] = append(toCarry[s], j)
		}
	}
	if len(toCarry) > 0 {
		d.carry(entries, checks, toCarry, curBench, baseBench, baseOf, matched)
	}

	// Classify.
	for i := range checks {
		c := &checks[i]
		if c.Control == nil {
			continue
		}
		after := c.EffectiveStatus()
		ch := Change{Key: c.Key(), Text: c.Text, After: after, Check: c}
		j := baseOf[i]
		if j < 0 {
			if after == benchresult.Fail {
				d.New = append(d.New, ch)
			}
			continue
		}
		e := &entries[j]
		ch.Before, ch.BaselineKey = e.Status, e.Key
		switch {
		case after == benchresult.Fail && e.Status == benchresult.Fail:
			d.Persisting = append(d.Persisting, ch)
		case after == benchresult.Fail:
			d.New = append(d.New, ch)
		case e.Status == benchresult.Fail && after != benchresult.NotApplicable:
			d.Fixed = append(d.Fixed, ch)
		case e.Status != after:
			d.Changed = append(d.Changed, ch)
		}
	}
	for j := range entries {
		e := &entries[j]
		if !matched[j] && e.Status == benchresult.Fail {
			d.Gone = append(d.Gone, Change{Key: e.Key, BaselineKey: e.Key, Text: e.Text, Before: e.Status})
		}
	}
	for _, l := range [][]Change{d.New, d.Persisting, d.Fixed, d.Gone, d.Changed} {
		sortChanges(l)
	}
	slices.SortStableFunc(d.Carried, func(a, b Carry) int { return CompareKeys(a.From, b.From) })
	slices.SortStableFunc(d.Uncarried, func(a, b Uncarried) int { return CompareKeys(a.Key, b.Key) })
	return d
}

// carry matches the baseline entries of toCarry, scope by scope, to the
// current checks of the scope's new benchmark by fingerprint. Entries it
// cannot match are marked matched too (so they are not Gone) and listed in
// Uncarried.
func (d *Delta) carry(entries []Entry, checks []benchresult.Check, toCarry map[scope][]int, curBench, baseBench map[scope][]string, baseOf []int32, matched []bool) {
	byScope := make(map[scope][]int, len(toCarry))
	for i := range checks {
		c := &checks[i]
		if c.Control == nil {
			continue
		}
		s := scope{c.Cluster, c.Node, c.Target}
		if _, ok := toCarry[s]; ok {
			byScope[s] = append(byScope[s], i)
		}
	}
	// Fleets repeat the same controls on every node: normalise each
	// description once.
	memo := map[string]string{}
	fingerprint := func(t benchresult.Target, text string) string {
		k := string(t) + "\x00" + text
		fp, ok := memo[k]
		if !ok {
			fp = string(t) + ":" + benchresult.NormalizeText(text)
			memo[k] = fp
		}
		return fp
	}
	uncarried := func(j int, reason string) {
		matched[j] = true
		d.Uncarried = append(d.Uncarried, Uncarried{Entry: entries[j], Reason: reason})
	}
	for s, js := range toCarry {
		var fresh []string // the scope's current benchmarks the baseline does not hold
		for _, b := range curBench[s] {
			if !slices.Contains(baseBench[s], b) {
				fresh = append(fresh, b)
			}
		}
		if len(fresh) != 1 {
			reason := "the results hold no benchmark for this node and target that the baseline lacks (" + strings.Join(curBench[s], ", ") + ")"
			if len(fresh) > 1 {
				reason = "the results hold several new benchmarks for this node and target (" + strings.Join(fresh, ", ") + "); cannot tell which one replaces it"
			}
			for _, j := range js {
				uncarried(j, reason)
			}
			continue
		}
		to := fresh[0]
		cur := map[string][]int{} // fingerprint → current checks of benchmark to
		for _, i := range byScope[s] {
			if c := &checks[i]; c.Benchmark == to {
				fp := fingerprint(c.Target, c.Text)
				cur[fp] = append(cur[fp], i)
			}
		}
		old := map[string][]int{} // fingerprint → baseline entries
		var fps []string
		for _, j := range js {
			e := &entries[j]
			fp := fingerprint(e.Key.Target, e.Text)
			if fp == string(e.Key.Target)+":" {
				uncarried(j, "the baseline entry has no description to match on")
				continue
			}
			if old[fp] == nil {
				fps = append(fps, fp)
			}
			old[fp] = append(old[fp], j)
		}
		for _, fp := range fps {
			olds, curs := old[fp], cur[fp]
			if len(curs) == 0 {
				for _, j := range olds {
					uncarried(j, fmt.Sprintf("no control of %s has this description", to))
				}
				continue
			}
			if len(olds) == 1 && len(curs) == 1 {
				d.link(entries, checks, olds[0], curs[0], baseOf, matched)
				continue
			}
			d.pair(entries, checks, olds, curs, to, baseOf, matched, uncarried)
		}
	}
}

// pair matches baseline entries and current checks that share a
// description that is not unique (cis-1.8 and cis-1.10 say "Ensure that the
// --profiling argument is set to false" of the API server, the controller
// manager and the scheduler): first equal ids, then the same section (the id
// without its last part), then, when one of each is left, those two.
// Entries still unmatched are uncarried.
func (d *Delta) pair(entries []Entry, checks []benchresult.Check, olds, curs []int, to string, baseOf []int32, matched []bool, uncarried func(int, string)) {
	free := func(i int) bool { return baseOf[i] < 0 }
	for _, same := range []func(a, b string) bool{
		func(a, b string) bool { return a == b },
		func(a, b string) bool { return section(a) == section(b) },
	} {
		for _, j := range olds {
			if matched[j] {
				continue
			}
			hit := -1
			for _, i := range curs {
				if free(i) && same(entries[j].Key.ID, checks[i].ID) {
					if hit >= 0 { // two candidates: leave it
						hit = -2
						break
					}
					hit = i
				}
			}
			if hit >= 0 {
				d.link(entries, checks, j, hit, baseOf, matched)
			}
		}
	}
	var leftOld, leftCur []int
	for _, j := range olds {
		if !matched[j] {
			leftOld = append(leftOld, j)
		}
	}
	for _, i := range curs {
		if free(i) {
			leftCur = append(leftCur, i)
		}
	}
	if len(leftOld) == 1 && len(leftCur) == 1 {
		d.link(entries, checks, leftOld[0], leftCur[0], baseOf, matched)
		return
	}
	for _, j := range leftOld {
		uncarried(j, fmt.Sprintf("%d controls of %s have this description; none matches id %s or its section", len(curs), to, entries[j].Key.ID))
	}
}

// section is the id without its last part: "1.2" for "1.2.16".
func section(id string) string {
	if i := strings.LastIndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return ""
}

func (d *Delta) link(entries []Entry, checks []benchresult.Check, j, i int, baseOf []int32, matched []bool) {
	baseOf[i] = int32(j)
	matched[j] = true
	e := &entries[j]
	d.Carried = append(d.Carried, Carry{From: e.Key, To: checks[i].Key(), Status: e.Status, Text: e.Text})
}
