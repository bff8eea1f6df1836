package verdict_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/internal/golden"
)

// The catalog's verdict on one control of the older version of a pair
// (as catalog/pairs_test.go classifies it).
const (
	kindSame       = "same"
	kindReworded   = "reworded"
	kindRenumbered = "renumbered"
	kindVanished   = "vanished"
)

// How an exception written against the older version fares on the newer
// one's fleet.
const (
	exActive   = "active"         // accepts the FAIL of the same control, and only it
	exMoved    = "moved"          // retargeted or unused, suggesting the control's new id
	exGone     = "gone"           // retargeted or unused: "this control no longer exists"
	exScoped   = "out of scope"   // benchmark: <older version>: matches nothing, says nothing
	exMissed   = "missed"         // refuses the same control, or gives no (or no useful) suggestion
	exWrong    = "WRONG"          // accepts another control, or suggests an id that is not the control's
	exSameFail = "refused (same)" // a sub-case of missed: the id names the same control and it is refused
)

// oldFate is what became of one control of the older version.
type oldFate struct {
	old    catalog.Control
	kind   string
	reused bool              // its id names another control in the newer version
	to     []catalog.Control // the controls of the newer version with its identity

	// Baseline carry of its FAIL entry.
	carried   string // "identity" or "description": carried
	carriedTo benchresult.Key
	uncarried string // the reason, when not carried
	vanished  bool   // Uncarried.Vanished
	gone      bool   // in Delta.Gone (dropped: never right here)

	// Exceptions written against it: benchmark unset, benchmark = older version.
	ex [2]exOutcome
}

type exOutcome struct {
	state      exceptions.State
	suggestion string
	accepted   []benchresult.Key
	verdict    string // exActive, ...
	why        string // for exMissed and exWrong
}

// pairResult is one row of the table.
type pairResult struct {
	family, from, to string
	fates            []oldFate
	added            int // controls of the newer version that no control of the older one became
	// Baseline: what the new FAILs were classed as.
	newFails, addedFails, persisting int
	newList                          []string // the new FAILs
	problems                         []string // failed assertions, for t.Error
}

func (p *pairResult) count(kind string) int {
	n := 0
	for _, f := range p.fates {
		if f.kind == kind {
			n++
		}
	}
	return n
}

func (p *pairResult) reusedCount() int {
	n := 0
	for _, f := range p.fates {
		if f.reused {
			n++
		}
	}
	return n
}

func (p *pairResult) carriedBy(by string) int {
	n := 0
	for _, f := range p.fates {
		if f.carried == by {
			n++
		}
	}
	return n
}

func (p *pairResult) exCount(variant int, verdict string) int {
	n := 0
	for _, f := range p.fates {
		if f.ex[variant].verdict == verdict {
			n++
		}
	}
	return n
}

// fleet is one node's FAIL of every control of a benchmark, merged as a
// fleet (cluster-wide targets lose the node name, as Load does it).
func fleet(benchmark string) []benchresult.Check {
	nr := &benchresult.NodeResult{Node: "node-1", Source: benchmark + ".json", Format: benchresult.FormatJSON, Benchmarks: []string{benchmark}}
	for _, c := range catalog.Controls(benchmark) {
		nr.Checks = append(nr.Checks, benchresult.Check{
			Control: &benchresult.Control{
				Benchmark: benchmark, Target: benchresult.Target(c.Target),
				Section: c.Section.ID, SectionText: c.Section.Text,
				ID: c.ID, Text: c.Text, Type: c.Type, Scored: c.Scored,
			},
			Status: benchresult.Fail,
		})
	}
	return benchresult.Merge("prod", nr).Checks
}

type ctlKey struct{ target, id string }

// runPair builds the older version's FAIL fleet and the newer version's,
// carries a baseline of the first to the second, evaluates an exception
// written for each older control on the second, and checks the outcomes.
func runPair(family, from, to string) *pairResult {
	p := &pairResult{family: family, from: from, to: to}
	problem := func(format string, args ...any) {
		p.problems = append(p.problems, fmt.Sprintf("%s → %s: ", from, to)+fmt.Sprintf(format, args...))
	}
	newByKey := map[ctlKey]catalog.Control{}
	for _, c := range catalog.Controls(to) {
		newByKey[ctlKey{c.Target, c.ID}] = c
	}
	for _, o := range catalog.Controls(from) {
		f := oldFate{old: o, to: catalog.Find(to, o.Identity)}
		n, sameID := newByKey[ctlKey{o.Target, o.ID}]
		isSame := sameID && slices.ContainsFunc(f.to, func(c catalog.Control) bool { return c.Target == o.Target && c.ID == o.ID })
		switch {
		case isSame && withoutStatus(n.Text) == withoutStatus(o.Text):
			f.kind = kindSame
		case isSame:
			f.kind = kindReworded
		case len(f.to) > 0:
			f.kind = kindRenumbered
		default:
			f.kind = kindVanished
		}
		f.reused = sameID && !isSame
		p.fates = append(p.fates, f)
	}
	reached := map[ctlKey]bool{} // controls of the newer version an older one became
	for _, f := range p.fates {
		for _, c := range f.to {
			reached[ctlKey{c.Target, c.ID}] = true
		}
	}
	for _, c := range catalog.Controls(to) {
		if !reached[ctlKey{c.Target, c.ID}] {
			p.added++
		}
	}

	oldFleet, newFleet := fleet(from), fleet(to)
	identOf := func(k benchresult.Key) catalog.Identity {
		return newByKey[ctlKey{string(k.Target), k.ID}].Identity
	}

	// (a) The baseline carry.
	d := baseline.Diff(baseline.FromChecks(oldFleet), newFleet)
	fateAt := map[ctlKey]int{}
	for i, f := range p.fates {
		fateAt[ctlKey{f.old.Target, f.old.ID}] = i
	}
	for _, c := range d.Carried {
		i, ok := fateAt[ctlKey{string(c.From.Target), c.From.ID}]
		if !ok {
			problem("carried %s, not a control of %s", c.From, from)
			continue
		}
		f := &p.fates[i]
		f.carried, f.carriedTo = c.By, c.To
		if !f.becomes(c.To) {
			problem("baseline: %s %s %s (%s) carried onto %s %s, another control (%s)", f.kind, f.old.Target, f.old.ID, f.old.Identity, c.To.Target, c.To.ID, identOf(c.To))
		}
	}
	for _, u := range d.Uncarried {
		if i, ok := fateAt[ctlKey{string(u.Key.Target), u.Key.ID}]; ok {
			p.fates[i].uncarried, p.fates[i].vanished = u.Reason, u.Vanished
		}
	}
	for _, g := range d.Gone {
		if i, ok := fateAt[ctlKey{string(g.Key.Target), g.Key.ID}]; ok {
			p.fates[i].gone = true
		}
	}
	for i := range p.fates {
		f := &p.fates[i]
		switch {
		case f.gone:
			problem("baseline: %s %s %s dropped as gone", f.kind, f.old.Target, f.old.ID)
		case f.kind == kindVanished && (f.carried != "" || !f.vanished):
			problem("baseline: vanished %s %s: carried %q to %s, uncarried %q", f.old.Target, f.old.ID, f.carried, f.carriedTo.ID, f.uncarried)
		case f.kind != kindVanished && f.carried == "" && !(f.vanished && movedTarget(f)) && !p.duplicate(f):
			problem("baseline: %s %s %s not carried: %s", f.kind, f.old.Target, f.old.ID, f.uncarried)
		}
	}
	p.newFails, p.addedFails, p.persisting = len(d.New), len(d.Added), len(d.Persisting)
	for _, c := range d.New {
		p.newList = append(p.newList, fmt.Sprintf("%s (%s) %q", c.Key.ID, c.Key.Target, c.Text))
	}
	for _, c := range d.New {
		for _, f := range p.fates {
			if f.old.Target == string(c.Key.Target) && f.becomes(c.Key) && !(len(f.to) > 1 && f.carried != "") {
				problem("baseline: %s %s counts as new, but it is %s's %s %s (%s; %s)", c.Key.Target, c.Key.ID, from, f.old.ID, f.kind, f.old.Identity, carryText(&f))
			}
		}
	}

	// (b) Exceptions written against the older version, with the benchmark
	// unset, then set to it. Ids repeated across targets go to separate
	// files, so that each file's exceptions have distinct ids.
	for variant, bench := range []string{"", from} {
		var files []*exceptions.File
		var where [][2]int // fate → (file, index)
		for range p.fates {
			where = append(where, [2]int{})
		}
		seen := map[string]int{}
		for i, f := range p.fates {
			n := seen[f.old.ID]
			seen[f.old.ID]++
			if n == len(files) {
				files = append(files, &exceptions.File{Source: "exceptions.yaml"})
			}
			files[n].Exceptions = append(files[n].Exceptions, exceptions.Exception{
				CheckID: f.old.ID, CheckDescription: f.old.Text, Benchmark: bench,
				Reason: "accepted", Owner: "platform", ReviewDate: farDate, RiskAcceptedBy: "security",
			})
			where[i] = [2]int{n, len(files[n].Exceptions) - 1}
		}
		evs := make([]*exceptions.Evaluation, len(files))
		accepted := make([]map[*exceptions.Exception][]benchresult.Key, len(files))
		for n, file := range files {
			evs[n] = exceptions.Evaluate(file, newFleet, today, -1)
			accepted[n] = map[*exceptions.Exception][]benchresult.Key{}
			for k, e := range evs[n].Accepted {
				accepted[n][e] = append(accepted[n][e], k)
			}
		}
		for i := range p.fates {
			f := &p.fates[i]
			n, j := where[i][0], where[i][1]
			st := evs[n].Statuses[j]
			o := exOutcome{state: st.State, suggestion: st.Suggestion, accepted: accepted[n][st.Exception]}
			sort.Slice(o.accepted, func(a, b int) bool { return o.accepted[a].String() < o.accepted[b].String() })
			judge(f, &o, to, bench != "")
			f.ex[variant] = o
			if o.verdict == exWrong || o.verdict == exMissed {
				problem("exception (benchmark %q) on %s %s %s: %s", bench, f.kind, f.old.Target, f.old.ID, o.why)
			}
		}
	}
	return p
}

// judge classes an exception's outcome for the control of f.
func judge(f *oldFate, o *exOutcome, to string, scoped bool) {
	for _, k := range o.accepted {
		if !f.becomes(k) {
			o.verdict, o.why = exWrong, fmt.Sprintf("accepts %s %s, another control", k.Target, k.ID)
			return
		}
	}
	newIDs := map[string]bool{}
	sameHere := false
	for _, c := range f.to {
		newIDs[c.ID] = true
		if c.ID == f.old.ID {
			sameHere = true
		}
	}
	s := o.suggestion
	switch {
	case len(o.accepted) > 0 && o.state == exceptions.Active:
		o.verdict = exActive
		return
	case strings.HasPrefix(s, "did you mean "):
		id := strings.TrimSuffix(strings.TrimPrefix(s, "did you mean "), "?")
		if !newIDs[id] {
			o.verdict, o.why = exWrong, fmt.Sprintf("%s: suggests %s, the control is %s", o.state, s, idList(f.to))
			return
		}
		o.verdict = exMoved
		if sameHere {
			o.verdict, o.why = exMissed, fmt.Sprintf("%s: refuses the same control, suggests %s", o.state, s)
		}
		return
	case s == "this control no longer exists in "+to:
		if len(f.to) > 0 {
			o.verdict, o.why = exWrong, fmt.Sprintf("%s: says it no longer exists, the control is %s", o.state, idList(f.to))
			return
		}
		o.verdict = exGone
		return
	case s != "":
		o.verdict, o.why = exMissed, fmt.Sprintf("%s: unexpected suggestion %q", o.state, s)
		return
	case scoped && o.state == exceptions.Unused:
		o.verdict = exScoped
		return
	case sameHere:
		o.verdict, o.why = exMissed, fmt.Sprintf("%s: refuses the same control %s", o.state, f.old.ID)
		return
	}
	o.verdict, o.why = exMissed, fmt.Sprintf("%s with no suggestion (the control is %s)", o.state, idList(f.to))
}

func idList(cs []catalog.Control) string {
	if len(cs) == 0 {
		return "gone"
	}
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.ID+" ("+c.Target+")")
	}
	return strings.Join(ids, ", ")
}

// becomes reports whether check k of the newer version is the control
// (catalog.Find says so: by identity, or for a "text" identity by words).
func (f *oldFate) becomes(k benchresult.Key) bool {
	return slices.ContainsFunc(f.to, func(c catalog.Control) bool { return c.Target == string(k.Target) && c.ID == k.ID })
}

// duplicate reports whether f's control is, in the newer version, a
// control that another control of the older version also became and was
// carried to (a version that repeats a check: one entry carries to it).
func (p *pairResult) duplicate(f *oldFate) bool {
	for i := range p.fates {
		g := &p.fates[i]
		if g != f && g.carried != "" && f.becomes(g.carriedTo) {
			return true
		}
	}
	return false
}

// movedTarget reports whether the control lives on only in other targets
// of the newer version (the baseline lists it as vanished from its target).
func movedTarget(f *oldFate) bool {
	if len(f.to) == 0 {
		return false
	}
	for _, c := range f.to {
		if c.Target == f.old.Target {
			return false
		}
	}
	return true
}

// withoutStatus drops the assessment status a text ends with, as
// catalog/pairs_test.go does: "(Scored)" becoming "(Automated)" is no
// rewording.
func withoutStatus(t string) string {
	t = strings.TrimSpace(t)
	if a := (catalog.Control{Text: t}).Assessment(); a != "" {
		t = strings.TrimSpace(t[:strings.LastIndexByte(t, '(')])
	}
	return t
}

var (
	today   = exceptions.Date{Year: 2026, Month: 11, Day: 26}
	farDate = exceptions.Date{Year: 2099, Month: 12, Day: 31}
)

// The matrix runs once per test binary: the table test and the named
// cases share it.
var (
	matrixOnce sync.Once
	matrix     []*pairResult
)

func pairMatrix() []*pairResult {
	matrixOnce.Do(func() {
		type job struct {
			i                int
			family, from, to string
		}
		var jobs []job
		for _, f := range catalog.Families() {
			for i := 0; i+1 < len(f.Benchmarks); i++ {
				jobs = append(jobs, job{len(jobs), f.Name, f.Benchmarks[i], f.Benchmarks[i+1]})
			}
		}
		matrix = make([]*pairResult, len(jobs))
		var wg sync.WaitGroup
		ch := make(chan job)
		for w := 0; w < 2; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for j := range ch {
					matrix[j.i] = runPair(j.family, j.from, j.to)
				}
			}()
		}
		for _, j := range jobs {
			ch <- j
		}
		close(ch)
		wg.Wait()
	})
	return matrix
}

func TestPairMatrixFamilies(t *testing.T) {
	var all []string
	for _, f := range catalog.Families() {
		all = append(all, f.Benchmarks...)
	}
	for _, b := range catalog.Benchmarks() {
		if !slices.Contains(all, b.ID) {
			t.Errorf("benchmark %s is in no family of pairs_test.go", b.ID)
		}
	}
	for _, id := range all {
		if !catalog.Known(id) {
			t.Errorf("family member %s is not in the catalog", id)
		}
	}
}

// TestVersionPairsGate carries a baseline and exceptions of every
// benchmark version to the next one, on a fleet that did not change, and
// writes testdata/version-pairs-gate.md.
func TestVersionPairsGate(t *testing.T) {
	for _, p := range pairMatrix() {
		for _, msg := range p.problems {
			t.Error(msg)
		}
	}
	golden.Check(t, filepath.Join("testdata", "version-pairs-gate.md"), []byte(pairsReport(pairMatrix())))
}

func pairsReport(ps []*pairResult) string {
	var b strings.Builder
	b.WriteString(`# A baseline and exceptions across consecutive benchmark versions

Generated by ` + "`go test ./verdict -run TestVersionPairsGate -update`" + `. For each
pair of consecutive versions of a family (the catalog's; see
catalog/testdata/version-pairs.md for the controls by name), a fleet of one
node is made from the catalog alone: every control of the older version FAILs,
and on the unchanged cluster every control of the newer version FAILs. Then:

- **baseline**: a baseline of the older fleet (baseline.FromChecks) is diffed
  against the newer one (baseline.Diff). *carried* counts the older controls
  carried by identity / by description; *uncarried* those not carried (listed
  as vanished, or a check the older version repeats, already carried once);
  *new* the newer FAILs counted new (each is listed below), *added* those of
  controls the older version lacked (not new).
- **exceptions**: one exception per older control, check_id and
  check_description as the older version writes them, evaluated on the newer
  fleet (exceptions.Evaluate), first with no benchmark, then with
  ` + "`benchmark:`" + ` the older version. *active*: it accepts the FAIL of the same
  control and of no other; *moved*: retargeted or unused, and its suggestion is
  "did you mean ID?" with the control's new id; *gone*: "this control no longer
  exists in ..." for a control that vanished; *scoped*: scoped to the older
  benchmark it matches nothing in the newer one (unused, no suggestion: that is
  what ` + "`exceptions migrate`" + ` is for); *missed*: it refuses the same control, or
  says nothing useful; **WRONG**: it accepts another control, or names an id
  that is not the control's (or calls a living control gone). A missed or
  WRONG outcome fails the test, in every family.

`)
	b.WriteString("| pair | same | renumbered | reused | reworded | vanished | added | baseline: carried (identity/description) / uncarried / new / added | exceptions, no benchmark: active / moved / gone / missed / WRONG | exceptions, benchmark = older: active / moved / gone / scoped / missed / WRONG |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|---|---|---|\n")
	var tot [20]int
	for _, p := range ps {
		row := []int{
			p.count(kindSame), p.count(kindRenumbered), p.reusedCount(), p.count(kindReworded), p.count(kindVanished), p.added,
			p.carriedBy(baseline.CarryByIdentity), p.carriedBy(baseline.CarryByDescription), len(p.fates) - p.carriedBy(baseline.CarryByIdentity) - p.carriedBy(baseline.CarryByDescription), p.newFails, p.addedFails,
			p.exCount(0, exActive), p.exCount(0, exMoved), p.exCount(0, exGone), p.exCount(0, exMissed), p.exCount(0, exWrong),
			p.exCount(1, exActive), p.exCount(1, exMoved), p.exCount(1, exGone), p.exCount(1, exScoped),
		}
		for i, v := range row {
			tot[i] += v
		}
		m1, w1 := p.exCount(1, exMissed), p.exCount(1, exWrong)
		fmt.Fprintf(&b, "| %s → %s | %d | %d | %d | %d | %d | %d | %d/%d / %d / %d / %d | %d / %d / %d / %d / %s | %d / %d / %d / %d / %d / %s |\n",
			p.from, p.to, row[0], row[1], row[2], row[3], row[4], row[5],
			row[6], row[7], row[8], row[9], row[10],
			row[11], row[12], row[13], row[14], wrongCell(row[15]),
			row[16], row[17], row[18], row[19], m1, wrongCell(w1))
	}
	var m1, w1 int
	for _, p := range ps {
		m1 += p.exCount(1, exMissed)
		w1 += p.exCount(1, exWrong)
	}
	fmt.Fprintf(&b, "| **total** | %d | %d | %d | %d | %d | %d | %d/%d / %d / %d / %d | %d / %d / %d / %d / %s | %d / %d / %d / %d / %d / %s |\n",
		tot[0], tot[1], tot[2], tot[3], tot[4], tot[5], tot[6], tot[7], tot[8], tot[9], tot[10],
		tot[11], tot[12], tot[13], tot[14], wrongCell(tot[15]), tot[16], tot[17], tot[18], tot[19], m1, wrongCell(w1))
	b.WriteString("\nSingle-version families (no pair): ")
	var singles []string
	for _, f := range catalog.Families() {
		if len(f.Benchmarks) == 1 {
			singles = append(singles, f.Benchmarks[0])
		}
	}
	b.WriteString(strings.Join(singles, ", ") + ".\n")

	b.WriteString("\n# Named cases\n\n")
	b.WriteString(namedCases(ps))

	b.WriteString("\n# Every missed and WRONG outcome, every baseline entry not carried but for a vanished control, every new FAIL\n")
	any := false
	for _, p := range ps {
		var lines []string
		for _, f := range p.fates {
			for v, name := range []string{"no benchmark", "benchmark " + p.from} {
				if o := f.ex[v]; o.verdict == exMissed || o.verdict == exWrong {
					lines = append(lines, fmt.Sprintf("- %s %s (%s, %s) %q, exception with %s: %s %s", o.verdict, f.old.ID, f.old.Target, f.kind, f.old.Text, name, o.why, carryText(&f)))
				}
			}
		}
		for _, f := range p.fates {
			if f.kind != kindVanished && f.carried == "" {
				lines = append(lines, fmt.Sprintf("- baseline: %s %s (%s) not carried: %s", f.kind, f.old.ID, f.old.Target, f.uncarried))
			}
		}
		for _, n := range p.newList {
			lines = append(lines, "- baseline: new FAIL "+n)
		}
		if len(lines) > 0 {
			any = true
			fmt.Fprintf(&b, "\n## %s → %s\n\n%s\n", p.from, p.to, strings.Join(lines, "\n"))
		}
	}
	if !any {
		b.WriteString("\nnone\n")
	}
	return b.String()
}

func wrongCell(n int) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("**%d**", n)
}

func carryText(f *oldFate) string {
	switch {
	case f.carried != "":
		return fmt.Sprintf("(baseline: carried by %s to %s)", f.carried, f.carriedTo.ID)
	case f.uncarried != "":
		return "(baseline: " + f.uncarried + ")"
	}
	return ""
}

func findPair(ps []*pairResult, from, to string) *pairResult {
	for _, p := range ps {
		if p.from == from && p.to == to {
			return p
		}
	}
	return nil
}

func (p *pairResult) fate(target, id string) *oldFate {
	for i := range p.fates {
		if f := &p.fates[i]; f.old.ID == id && (target == "" || f.old.Target == target) {
			return f
		}
	}
	return nil
}

// describe is one line about an older control in a pair.
func describe(p *pairResult, f *oldFate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- %s → %s, %s %s %q: %s", p.from, p.to, f.old.Target, f.old.ID, f.old.Text, f.kind)
	if f.kind != kindSame && len(f.to) > 0 {
		fmt.Fprintf(&b, " (now %s %q)", idList(f.to), f.to[0].Text)
	}
	if f.reused {
		fmt.Fprintf(&b, "; its id now names another control")
	}
	fmt.Fprintf(&b, ".\n  Baseline: ")
	switch {
	case f.carried != "":
		fmt.Fprintf(&b, "carried by %s to %s", f.carried, f.carriedTo.ID)
	default:
		fmt.Fprintf(&b, "not carried (%s)", f.uncarried)
	}
	for v, name := range []string{"no benchmark", "benchmark " + p.from} {
		o := f.ex[v]
		fmt.Fprintf(&b, ". Exception (%s): %s, %s", name, o.verdict, o.state)
		if o.suggestion != "" {
			fmt.Fprintf(&b, " %q", o.suggestion)
		}
		if o.why != "" {
			fmt.Fprintf(&b, " (%s)", o.why)
		}
	}
	b.WriteString(".\n")
	return b.String()
}

type namedCase struct {
	from, to, target string
	ids              []string
}

var namedControlCases = []namedCase{
	{"cis-1.8", "cis-1.9", "", []string{"1.1.13", "1.1.14", "5.1.5"}},
	{"gke-1.6.0", "gke-1.8.0", "node", []string{"3.1.1", "3.1.2", "3.1.3"}},
}

func namedCases(ps []*pairResult) string {
	var b strings.Builder
	for _, nc := range namedControlCases {
		p := findPair(ps, nc.from, nc.to)
		for _, id := range nc.ids {
			if f := p.fate(nc.target, id); f != nil {
				b.WriteString(describe(p, f))
			} else {
				fmt.Fprintf(&b, "- %s → %s %s: not in %s\n", nc.from, nc.to, id, nc.from)
			}
		}
	}
	// eks 4.2.6: every eks pair where it is not the same.
	for _, p := range ps {
		if !strings.HasPrefix(p.from, "eks-") || strings.HasPrefix(p.from, "eks-stig") {
			continue
		}
		if f := p.fate("", "4.2.6"); f != nil && f.kind != kindSame {
			b.WriteString(describe(p, f))
		}
	}
	for _, c := range specialCases() {
		b.WriteString(c.line)
	}
	return b.String()
}

// specialCase is an exception written by hand, evaluated on the fleet of
// one benchmark, and what it must do.
type specialCase struct {
	line    string
	problem string
}

// specialCases are the RBAC/Node pair and the typo: exceptions whose
// description does not repeat the control's text.
func specialCases() []specialCase {
	specialOnce.Do(func() { specials = computeSpecials() })
	return specials
}

var (
	specialOnce sync.Once
	specials    []specialCase
)

func computeSpecials() []specialCase {
	var out []specialCase
	// RBAC vs Node: 1.2.7 says "includes Node" in these versions; an
	// exception meant for the RBAC control but written on 1.2.7 must not
	// accept it, and must name the RBAC control's id.
	for _, b := range []string{"cis-1.8", "cis-1.9", "cis-1.10", "cis-1.11", "cis-1.12"} {
		ctl, ok := catalog.Lookup(b, "master", "1.2.7")
		rbac := textControl(b, "master", "--authorization-mode argument includes RBAC")
		if !ok || !strings.Contains(ctl.Text, "includes Node") || rbac == nil {
			out = append(out, specialCase{line: fmt.Sprintf("- %s: 1.2.7 is %q, RBAC control %v: case does not apply\n", b, ctl.Text, rbac)})
			continue
		}
		e := exceptions.Exception{CheckID: "1.2.7", CheckDescription: "--authorization-mode includes RBAC"}
		out = append(out, evalSpecial(b, "RBAC/Node", e, "did you mean "+rbac.ID+"?"))
	}
	// The typo: the API server's --profiling control of cis-1.8 (1.2.16),
	// described with "--profilling", on cis-1.8 itself (where the id is
	// right) and on cis-1.9 (where it moved).
	prof := textControl("cis-1.8", "master", "--profiling argument is set to false")
	if prof == nil {
		return append(out, specialCase{problem: "cis-1.8 has no API server --profiling control"})
	}
	typo := strings.Replace(prof.Text, "--profiling", "--profilling", 1)
	for _, b := range []string{"cis-1.8", "cis-1.9", "cis-1.10"} {
		now := catalog.Find(b, prof.Identity)
		if len(now) != 1 {
			out = append(out, specialCase{problem: fmt.Sprintf("cis-1.8 %s is %d controls in %s", prof.ID, len(now), b)})
			continue
		}
		e := exceptions.Exception{CheckID: prof.ID, CheckDescription: typo}
		want := ""
		if now[0].ID != prof.ID {
			want = "did you mean " + now[0].ID + "?"
		}
		out = append(out, evalSpecial(b, "typo", e, want))
		if now[0].ID != prof.ID {
			e.CheckID = now[0].ID
			out = append(out, evalSpecial(b, "typo", e, ""))
		}
	}
	return out
}

// textControl is the control of a benchmark's target whose text contains s.
func textControl(b, target, s string) *catalog.Control {
	for _, c := range catalog.Controls(b) {
		if c.Target == target && strings.Contains(c.Text, s) {
			return &c
		}
	}
	return nil
}

// evalSpecial evaluates exception e on benchmark b's FAIL fleet: it must
// accept its id's FAIL (want == "") or be retargeted with suggestion want.
func evalSpecial(b, name string, e exceptions.Exception, want string) specialCase {
	e.Reason, e.Owner, e.ReviewDate, e.RiskAcceptedBy = "accepted", "platform", farDate, "security"
	f := &exceptions.File{Source: "exceptions.yaml", Exceptions: []exceptions.Exception{e}}
	ev := exceptions.Evaluate(f, fleet(b), today, -1)
	st := ev.Statuses[0]
	var accepted []string
	for k := range ev.Accepted {
		accepted = append(accepted, k.ID)
	}
	sort.Strings(accepted)
	got := fmt.Sprintf("%s, accepts [%s]", st.State, strings.Join(accepted, " "))
	if st.Suggestion != "" {
		got += fmt.Sprintf(", %q", st.Suggestion)
	}
	c := specialCase{line: fmt.Sprintf("- %s, on %s: exception {check_id: %s, check_description: %q}: %s.\n", name, b, e.CheckID, e.CheckDescription, got)}
	switch {
	case want == "" && (st.State != exceptions.Active || len(accepted) != 1 || accepted[0] != e.CheckID):
		c.problem = fmt.Sprintf("%s on %s: %s, want active accepting %s", name, b, got, e.CheckID)
	case want != "" && (st.State != exceptions.Retargeted || st.Suggestion != want || len(accepted) != 0):
		c.problem = fmt.Sprintf("%s on %s: %s, want retargeted %q", name, b, got, want)
	}
	return c
}

// TestVersionPairsNamedCases checks the cases issue 13 names.
func TestVersionPairsNamedCases(t *testing.T) {
	ps := pairMatrix()
	for _, c := range specialCases() {
		if c.problem != "" {
			t.Error(c.problem)
		}
	}
	// cis-1.8 → cis-1.9 rewords 1.1.13, 1.1.14 and 5.1.5; gke-1.6.0 →
	// gke-1.8.0 rewords 3.1.1-3.1.3: each is carried and its exception
	// keeps accepting it.
	for _, nc := range namedControlCases {
		p := findPair(ps, nc.from, nc.to)
		if p == nil {
			t.Fatalf("no pair %s → %s", nc.from, nc.to)
		}
		for _, id := range nc.ids {
			f := p.fate(nc.target, id)
			if f == nil {
				t.Errorf("%s → %s: no %s", nc.from, nc.to, id)
				continue
			}
			if f.kind != kindReworded || f.carried != baseline.CarryByIdentity || f.carriedTo.ID != id || f.ex[0].verdict != exActive {
				t.Errorf("%s → %s %s: %s, carried %q to %s, exception %s %s", nc.from, nc.to, id, f.kind, f.carried, f.carriedTo.ID, f.ex[0].verdict, f.ex[0].why)
			}
		}
	}
}
