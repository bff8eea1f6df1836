package baseline

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// Delta is what changed between a baseline and the current results.
//
// Every current FAIL is in New, Added or Persisting. Every FAIL of the baseline is
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
	// Added holds checks that FAIL now whose control the baseline's
	// benchmark version did not have at all (the catalog says so: cis-1.10
	// added 4.3.1, kube-proxy's metrics bound to localhost): the cluster
	// did not change, the benchmark did. They are not New, so that a
	// benchmark upgrade of an unchanged cluster passes "fail on new"; a
	// renderer shows them apart. So are FAILs carried from an entry whose
	// status said nothing: a WARN or INFO of a check the older version
	// marked Manual or skip, which kube-bench reported without running it
	// (gke-1.6.0's 4.1.1 is Manual, gke-1.8.0's is Automated). A FAIL
	// whose control cannot be looked up (a benchmark the catalog does not
	// know) is New.
	Added []Change
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
	// another benchmark version: by the control's identity in the catalog,
	// or by its description where the catalog cannot tell (see [Diff]).
	Carried []Carry
	// Uncarried lists every baseline entry of an older benchmark version
	// that could not be matched to a current check, whatever its status,
	// with the reason: among them the controls (and whole targets) that
	// no longer exist in the new version (Vanished). Their statuses are not
	// compared with anything: a renderer should show them, the FAILs among
	// them one by one and the others at least as a count.
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
	// By says how the entry was matched: [CarryByIdentity] or
	// [CarryByDescription].
	By string
	// Why says, for a carry by description, why the identity could not be
	// used: "benchmark gke-1.6.0 unknown to the catalog".
	Why string
}

// Ways a baseline entry is carried to another benchmark version (Carry.By).
const (
	// CarryByIdentity: the catalog knows both benchmarks and says the two
	// checks audit and test the same thing, whatever their ids and words.
	CarryByIdentity = "identity"
	// CarryByDescription: the catalog does not know one of the benchmarks
	// (or the entry's id), so the normalised descriptions were compared.
	CarryByDescription = "description"
)

// Uncarried is a baseline entry of another benchmark version that no
// current check matches.
type Uncarried struct {
	Entry
	Reason string
	// Vanished is set when the control, or its whole target, no longer
	// exists in the new benchmark version (Reason says "no longer in ...").
	Vanished bool
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
	hosts := hostBenchmarks(curBench, baseBench)
	ids := identities{}
	untested := untestedEntries{}
	for j := range entries {
		k := entries[j].Key
		s := scopeOf(k)
		bs := curBench[s]
		switch {
		case len(bs) == 0: // node or target not scanned now
			if reason, vanished, ok := hosts.targetMissing(k); ok {
				matched[j] = true
				d.Uncarried = append(d.Uncarried, Uncarried{Entry: entries[j], Reason: reason, Vanished: vanished})
			}
		case slices.Contains(bs, k.Benchmark):
			if i, ok := current[k]; ok {
				baseOf[i] = int32(j)
				matched[j] = true
			}
		default:
			toCarry[s] = append(toCarry[s], j)
		}
	}
	var carriedFrom []int32 // the baseline entry of each of d.Carried
	if len(toCarry) > 0 {
		carriedFrom = d.carry(entries, checks, current, toCarry, curBench, baseBench, ids, baseOf, matched)
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
			switch {
			case after != benchresult.Fail:
			case hosts.added(c, ids):
				d.Added = append(d.Added, ch)
			default:
				d.New = append(d.New, ch)
			}
			continue
		}
		e := &entries[j]
		ch.Before, ch.BaselineKey = e.Status, e.Key
		switch {
		case after == benchresult.Fail && e.Status == benchresult.Fail:
			d.Persisting = append(d.Persisting, ch)
		case after == benchresult.Fail && e.Key.Benchmark != ch.Key.Benchmark && untested.of(e):
			d.Added = append(d.Added, ch)
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
	for _, l := range [][]Change{d.New, d.Added, d.Persisting, d.Fixed, d.Gone, d.Changed} {
		sortChanges(l)
	}
	sortCarried(d.Carried, carriedFrom, len(entries))
	slices.SortStableFunc(d.Uncarried, func(a, b Uncarried) int { return CompareKeys(a.Key, b.Key) })
	return d
}

// host is where checks run: a node, or the cluster for cluster-wide targets.
type host struct{ cluster, node string }

func hostOf(k benchresult.Key) host {
	if k.Target.ClusterWide() {
		return host{k.Cluster, ""}
	}
	return host{k.Cluster, k.Node}
}

// hostBench holds, per host, the current benchmarks and those of the
// baseline.
type hostBench struct {
	cur, base map[host][]string
	targets   map[string][]string // the catalog's targets of a benchmark that hold checks
}

func hostBenchmarks(curBench, baseBench map[scope][]string) hostBench {
	return hostBench{cur: byHost(curBench), base: byHost(baseBench), targets: map[string][]string{}}
}

func byHost(bench map[scope][]string) map[host][]string {
	out := map[host][]string{}
	for s, bs := range bench {
		k := hostOf(benchresult.Key{Cluster: s.cluster, Node: s.node, Target: s.target})
		for _, b := range bs {
			if !slices.Contains(out[k], b) {
				out[k] = append(out[k], b)
			}
		}
	}
	return out
}

// targetMissing tells what became of a baseline entry whose target the
// results do not hold on its host although the host was scanned with
// another benchmark version: the whole target vanished from that version
// (vanished), or was not scanned. It reports false when the host was not
// scanned, or was scanned with the entry's benchmark (the target was left
// out of the run: a Gone FAIL, as for a removed node).
func (h hostBench) targetMissing(k benchresult.Key) (reason string, vanished, ok bool) {
	hk := hostOf(k)
	cur := h.cur[hk]
	if len(cur) == 0 || slices.Contains(cur, k.Benchmark) {
		return "", false, false
	}
	var fresh []string
	for _, b := range cur {
		if !slices.Contains(h.base[hk], b) {
			fresh = append(fresh, b)
		}
	}
	if len(fresh) != 1 {
		return fmt.Sprintf("the results hold no %s checks for this node (benchmarks now: %s)", k.Target, strings.Join(cur, ", ")), false, true
	}
	to := fresh[0]
	if catalog.Known(to) {
		ts, ok := h.targets[to]
		if !ok { // the targets that hold checks: gke-1.2.0's master.yaml holds none
			for _, c := range catalog.Controls(to) {
				if !slices.Contains(ts, c.Target) {
					ts = append(ts, c.Target)
				}
			}
			h.targets[to] = ts
		}
		if !slices.Contains(ts, string(k.Target)) {
			return fmt.Sprintf("no longer in %s: it has no %s target", to, k.Target), true, true
		}
	}
	return fmt.Sprintf("the results hold no %s checks of %s for this node (target not scanned?)", k.Target, to), false, true
}

// added reports whether check c, which no baseline entry was compared
// with, is of a control that every benchmark the baseline holds for its host
// (all of them other versions, all known to the catalog) lacks.
func (h hostBench) added(c *benchresult.Check, ids identities) bool {
	hk := hostOf(c.Key())
	olds := h.base[hk]
	if len(olds) == 0 && hk.node == "" {
		// A cluster-wide target the baseline's benchmark did not have
		// (rh-0.7 has no policies): the benchmarks the baseline holds for
		// the cluster's nodes, where they were replaced.
		for k, bs := range h.base {
			for _, b := range bs {
				if k.cluster == hk.cluster && len(h.cur[k]) > 0 && !slices.Contains(h.cur[k], b) && !slices.Contains(olds, b) {
					olds = append(olds, b)
				}
			}
		}
	}
	if len(olds) == 0 || slices.Contains(olds, c.Benchmark) || !catalog.Known(c.Benchmark) {
		return false
	}
	for _, old := range olds {
		if !catalog.Known(old) {
			return false
		}
		there, ok := ids.find(c.Benchmark, old, c.Target, c.ID)
		if !ok || len(there.here)+len(there.elsewhere) > 0 {
			return false
		}
	}
	return true
}

// carry matches the baseline entries of toCarry, scope by scope, to the
// current checks of the scope's new benchmark: by the control's identity
// in the catalog when the catalog knows both benchmarks, else by
// fingerprint. Entries it cannot match are marked matched too (so they are
// not Gone) and listed in Uncarried.
func (d *Delta) carry(entries []Entry, checks []benchresult.Check, current map[benchresult.Key]int, toCarry map[scope][]int, curBench, baseBench map[scope][]string, ids identities, baseOf []int32, matched []bool) (carried []int32) {
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
	n := 0
	for _, js := range toCarry {
		n += len(js)
	}
	// A Carry is a few hundred bytes and a fleet carries one per check:
	// grown by appending, the slice would be copied a dozen times.
	d.Carried = slices.Grow(d.Carried, n)
	carried = make([]int32, 0, n)
	fpr := fingerprinter{}
	uncarried := func(j int, reason string, vanished bool) {
		matched[j] = true
		d.Uncarried = append(d.Uncarried, Uncarried{Entry: entries[j], Reason: reason, Vanished: vanished})
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
				uncarried(j, reason, false)
			}
			continue
		}
		to := fresh[0]
		var byText []int        // entries carried by description
		why := map[int]string{} // entry → why it is carried by description
		for _, j := range js {
			e := &entries[j]
			from := e.Key.Benchmark
			switch {
			case !catalog.Known(to):
				why[j] = "benchmark " + to + " unknown to the catalog"
			case !catalog.Known(from):
				why[j] = "benchmark " + benchName(from) + " unknown to the catalog"
			}
			if why[j] != "" {
				byText = append(byText, j)
				continue
			}
			there, ok := ids.find(from, to, e.Key.Target, e.Key.ID)
			if !ok {
				why[j] = from + " " + string(e.Key.Target) + " " + e.Key.ID + " unknown to the catalog"
				byText = append(byText, j)
				continue
			}
			d.carryIdentity(entries, checks, current, j, to, there, baseOf, matched, &carried, uncarried)
		}
		if len(byText) > 0 {
			d.carryText(entries, checks, byScope[s], byText, to, why, fpr, baseOf, matched, &carried, uncarried)
		}
	}
	return carried
}

// carryIdentity carries entry j to the current check of benchmark to that
// is the same control: one of the ids the catalog gives for it there.
func (d *Delta) carryIdentity(entries []Entry, checks []benchresult.Check, current map[benchresult.Key]int, j int, to string, there targetIDs, baseOf []int32, matched []bool, from *[]int32, uncarried func(int, string, bool)) {
	e := &entries[j]
	if len(there.here) == 0 {
		if len(there.elsewhere) > 0 {
			uncarried(j, fmt.Sprintf("no longer in %s's %s target (now %s)", to, e.Key.Target, strings.Join(there.elsewhere, ", ")), true)
			return
		}
		uncarried(j, "no longer in "+to, true)
		return
	}
	var cands []int
	for _, id := range there.here {
		k := e.Key
		k.Benchmark, k.ID = to, id
		if i, ok := current[k]; ok {
			cands = append(cands, i)
		}
	}
	if len(cands) > 1 { // a benchmark repeats the control: take the same id
		for _, i := range cands {
			if checks[i].ID == e.Key.ID {
				cands = []int{i}
				break
			}
		}
	}
	switch {
	case len(cands) == 0:
		uncarried(j, fmt.Sprintf("the same control is %s %s, which the results do not hold", to, strings.Join(there.here, ", ")), false)
	case len(cands) > 1:
		uncarried(j, fmt.Sprintf("the same control is %s %s: cannot tell which", to, strings.Join(there.here, " and ")), false)
	case baseOf[cands[0]] >= 0:
		uncarried(j, fmt.Sprintf("%s %s is the same control and already carried from %s", to, checks[cands[0]].ID, entries[baseOf[cands[0]]].Key.ID), false)
	default:
		d.link(entries, checks, j, cands[0], baseOf, matched, from, CarryByIdentity, "")
	}
}

// carryText carries entries js to the current checks (of the scope, cur)
// of benchmark to that have the same fingerprint; why tells, per entry,
// why its identity could not be used.
func (d *Delta) carryText(entries []Entry, checks []benchresult.Check, scopeChecks, js []int, to string, why map[int]string, fpr fingerprinter, baseOf []int32, matched []bool, from *[]int32, uncarried func(int, string, bool)) {
	cur := map[string][]int{} // fingerprint → current checks of benchmark to
	for _, i := range scopeChecks {
		if c := &checks[i]; c.Benchmark == to && baseOf[i] < 0 {
			fp := fpr.of(c.Target, c.Text)
			cur[fp] = append(cur[fp], i)
		}
	}
	old := map[string][]int{} // fingerprint → baseline entries
	var fps []string
	for _, j := range js {
		e := &entries[j]
		fp := fpr.of(e.Key.Target, e.Text)
		if fp == string(e.Key.Target)+":" {
			uncarried(j, "the baseline entry has no description to match on ("+why[j]+")", false)
			continue
		}
		if old[fp] == nil {
			fps = append(fps, fp)
		}
		old[fp] = append(old[fp], j)
	}
	link := func(j, i int) {
		d.link(entries, checks, j, i, baseOf, matched, from, CarryByDescription, why[j])
	}
	for _, fp := range fps {
		olds, curs := old[fp], cur[fp]
		if len(curs) == 0 {
			for _, j := range olds {
				uncarried(j, fmt.Sprintf("no control of %s has this description (%s)", to, why[j]), false)
			}
			continue
		}
		if len(olds) == 1 && len(curs) == 1 {
			link(olds[0], curs[0])
			continue
		}
		pair(entries, checks, olds, curs, to, baseOf, matched, link, func(j int, reason string) { uncarried(j, reason+" ("+why[j]+")", false) })
	}
}

// benchName is a benchmark id as a reason shows it.
func benchName(b string) string {
	if b == "" {
		return "(none)"
	}
	return b
}

// pair matches baseline entries and current checks that share a
// description that is not unique (cis-1.8 and cis-1.10 say "Ensure that the
// --profiling argument is set to false" of the API server, the controller
// manager and the scheduler): first equal ids, then the same section (the id
// without its last part), then, when one of each is left, those two.
// Entries still unmatched are uncarried.
func pair(entries []Entry, checks []benchresult.Check, olds, curs []int, to string, baseOf []int32, matched []bool, link func(j, i int), uncarried func(int, string)) {
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
				link(j, hit)
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
		link(leftOld[0], leftCur[0])
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

func (d *Delta) link(entries []Entry, checks []benchresult.Check, j, i int, baseOf []int32, matched []bool, from *[]int32, by, why string) {
	baseOf[i] = int32(j)
	matched[j] = true
	*from = append(*from, int32(j))
	e := &entries[j]
	d.Carried = append(d.Carried, Carry{From: e.Key, To: checks[i].Key(), Status: e.Status, Text: e.Text, By: by, Why: why})
}

// untestedEntries memoises whether a baseline entry's status says nothing
// about its control: a WARN or INFO of a check its benchmark marks Manual
// or skip (kube-bench reports it without running the audit).
type untestedEntries map[benchresult.Key]bool

func (m untestedEntries) of(e *Entry) bool {
	if e.Status != benchresult.Warn && e.Status != benchresult.Info {
		return false
	}
	k := e.Key
	k.Cluster, k.Node = "", ""
	r, ok := m[k]
	if !ok {
		c, found := catalog.Lookup(k.Benchmark, string(k.Target), k.ID)
		r = found && c.Kind() != catalog.Automated
		m[k] = r
	}
	return r
}

// fingerprinter memoises fingerprints: fleets repeat the same controls on
// every node.
type fingerprinter map[string]string

func (m fingerprinter) of(t benchresult.Target, text string) string {
	k := string(t) + "\x00" + text
	fp, ok := m[k]
	if !ok {
		fp = string(t) + ":" + benchresult.NormalizeText(text)
		m[k] = fp
	}
	return fp
}

// targetIDs are the ids a control has in another benchmark: in the same
// target, and in other targets.
type targetIDs struct {
	here, elsewhere []string
}

// identities memoises catalog look-ups: fleets repeat the same controls on
// every node.
type identities map[[4]string]*targetIDs

// find returns where benchmark from's control (target, id) lives in
// benchmark to; false when the catalog does not know the control.
func (m identities) find(from, to string, target benchresult.Target, id string) (targetIDs, bool) {
	k := [4]string{from, to, string(target), id}
	if r, ok := m[k]; ok {
		if r == nil {
			return targetIDs{}, false
		}
		return *r, true
	}
	c, ok := catalog.Lookup(from, string(target), id)
	if !ok {
		m[k] = nil
		return targetIDs{}, false
	}
	r := &targetIDs{}
	for _, f := range catalog.Find(to, c.Identity) {
		if f.Target == string(target) {
			r.here = append(r.here, f.ID)
		} else {
			r.elsewhere = append(r.elsewhere, f.Target+" "+f.ID)
		}
	}
	m[k] = r
	return *r, true
}

// sortCarried sorts carries by their baseline entry (from[k] is the index
// of cs[k]'s among n entries), keeping the order of equal ones, as
// slices.SortStableFunc by CompareKeys of From would. A baseline's entries
// are sorted and unique (Parse, FromChecks), so the order of their indexes
// is the order of their keys: placed by index, checked in one pass, each
// Carry (a few hundred bytes) moves once. Otherwise positions are sorted.
func sortCarried(cs []Carry, from []int32, n int) {
	if len(cs) < 2 {
		return
	}
	pos := make([]int32, 0, len(cs)) // position i takes cs[pos[i]]
	slot := make([]int32, n)
	for k, j := range from {
		slot[j] = int32(k) + 1
	}
	for _, k := range slot {
		if k > 0 {
			pos = append(pos, k-1)
		}
	}
	byIndex := len(pos) == len(cs)
	for i := 1; byIndex && i < len(pos); i++ {
		byIndex = CompareKeys(cs[pos[i-1]].From, cs[pos[i]].From) < 0
	}
	if !byIndex {
		pos = pos[:len(cs)]
		for i := range pos {
			pos[i] = int32(i)
		}
		slices.SortFunc(pos, func(a, b int32) int {
			if c := CompareKeys(cs[a].From, cs[b].From); c != 0 {
				return c
			}
			return int(a - b)
		})
	}
	// Follow each cycle of the permutation.
	for i := range cs {
		if pos[i] == int32(i) {
			continue
		}
		tmp, j := cs[i], i
		for {
			k := int(pos[j])
			pos[j] = int32(j)
			if k == i {
				cs[j] = tmp
				break
			}
			cs[j] = cs[k]
			j = k
		}
	}
}
