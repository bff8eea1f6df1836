package exceptions

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// State is what became of an exception in one evaluation.
type State uint8

// The states, in the order a reader should worry about them last to first.
const (
	// Active: the exception holds and accepts at least one FAIL.
	Active State = iota + 1
	// Expiring: as Active, but the review date is within the warning window.
	Expiring
	// Expired: the review date has passed. The FAILs it matches are open
	// again, owned by the exception's owner (see [Evaluation.Expired]).
	Expired
	// Unused: it holds but matches no FAIL: the control passes, is not
	// reported as FAIL (a manual check is WARN), or the id is wrong.
	Unused
	// Retargeted: the id now names a different control than
	// check_description says (benchmark versions renumber controls). It
	// does not apply.
	Retargeted
	// Unpinned: as Active, but the exception names neither
	// check_description nor benchmark, so a benchmark that renumbers its
	// controls would move it onto another control without a word. `bench-action
	// exceptions pin` writes both.
	Unpinned
)

var stateNames = [...]string{Active: "active", Expiring: "expiring", Expired: "expired", Unused: "unused", Retargeted: "retargeted", Unpinned: "unpinned"}

// String returns the state's name: "active", "expiring", "expired",
// "unused", "retargeted" or "unpinned".
func (s State) String() string {
	if s == 0 || int(s) >= len(stateNames) {
		return fmt.Sprintf("State(%d)", uint8(s))
	}
	return stateNames[s]
}

// MarshalText implements [encoding.TextMarshaler] with String.
func (s State) MarshalText() ([]byte, error) {
	if s == 0 || int(s) >= len(stateNames) {
		return nil, fmt.Errorf("marshal state: invalid state %d", uint8(s))
	}
	return []byte(s.String()), nil
}

// Evaluation is the outcome of matching a file's exceptions to results.
type Evaluation struct {
	// Accepted holds each FAIL accepted by an exception in force, and the
	// exception that accepts it.
	Accepted map[benchresult.Key]*Exception
	// Expired holds each FAIL matched only by exceptions whose review date
	// has passed: it is open, and owned by that exception's owner.
	Expired map[benchresult.Key]*Exception
	// Statuses has one entry per exception, in the order of the file.
	Statuses []ExceptionStatus
}

// ExceptionStatus is what became of one exception.
type ExceptionStatus struct {
	Exception *Exception
	State     State
	// Matches counts the FAILs the exception matches (its id, scope and
	// description), whether or not a more specific exception won them.
	Matches int
	// Detail says why, in a sentence for people ("review date 2026-11-01
	// passed 25 days ago: 3 FAILs are open again").
	Detail string
	// Suggestion, for a retargeted or unused exception with a
	// check_description, names the one id the described control has in
	// the results' benchmark ("did you mean 4.2.11?", "did you mean
	// 5.6.*?" for a section that moved), or says it is gone ("this control
	// no longer exists in cis-1.10"); else "".
	Suggestion string
}

// Evaluate matches the exceptions of f to checks on day now.
//
// An exception matches a check when the check's effective status is FAIL
// (see [benchresult.Check.EffectiveStatus]; a check a profile made not
// applicable is never matched), its id matches CheckID (exactly, or by a
// section pattern), its benchmark, node and cluster fall in the exception's
// scope, and, when CheckDescription is given, the check is the control it
// describes. Where the catalog knows the check's benchmark, that is decided
// by identity: the description is resolved to the controls it fits best
// ([catalog.Resolve], typos forgiven), and the check is one of them or the
// control the exception's id named in the benchmark it was written for
// (its benchmark, else the nearest earlier version where the id named a
// control the description fits). For a benchmark the catalog does not
// know, the words are compared. A section pattern's description is the
// section's title ("General Policies"). It accepts the FAIL through its
// review date, inclusive.
//
// When several exceptions match one FAIL, those in force are preferred to
// expired ones, and among them the most specific wins: an exact id over a
// section pattern, a longer pattern ("1.2.*") over a shorter one ("1.*"),
// then the one that restricts more of benchmark, nodes and clusters; on a
// tie, the first in the file.
//
// An exception is expiring when its review date is at most warnDays days
// after now (0: on its last day only; negative: never). Every exception
// gets one [State]: expired (whatever else is wrong with it), else
// retargeted, else unused, else expiring, else unpinned, else active.
func Evaluate(f *File, checks []benchresult.Check, now Date, warnDays int) *Evaluation {
	ev := &Evaluation{Accepted: map[benchresult.Key]*Exception{}, Expired: map[benchresult.Key]*Exception{}}
	if f == nil {
		return ev
	}
	m := newMatcher(f, checks)
	type tally struct {
		matches  int
		sawID    bool // an in-scope check has the exact id
		sawSame  bool // ... and names the described control
		other    *benchresult.Check
		statuses map[benchresult.Status]int
	}
	tallies := make([]tally, len(f.Exceptions))
	var cands []int
	for j := range checks {
		c := &checks[j]
		if c.Control == nil {
			continue
		}
		cands = cands[:0]
		for _, i := range m.byID(c.ID) {
			e := &f.Exceptions[i]
			if !e.inScope(c) {
				continue
			}
			t := &tallies[i]
			if e.CheckDescription != "" {
				t.sawID = true
				if !m.describes(i, c) {
					if t.other == nil {
						t.other = c
					}
					continue
				}
				t.sawSame = true
			}
			if t.statuses == nil {
				t.statuses = map[benchresult.Status]int{}
			}
			t.statuses[c.EffectiveStatus()]++
			if c.EffectiveStatus() != benchresult.Fail {
				continue
			}
			t.matches++
			cands = append(cands, i)
		}
		if len(cands) == 0 {
			continue
		}
		best := cands[0]
		for _, i := range cands[1:] {
			if m.better(i, best, now) {
				best = i
			}
		}
		if e := &f.Exceptions[best]; e.Holds(now) {
			ev.Accepted[c.Key()] = e
		} else {
			ev.Expired[c.Key()] = e
		}
	}
	for i := range f.Exceptions {
		e := &f.Exceptions[i]
		t := &tallies[i]
		st := ExceptionStatus{Exception: e, Matches: t.matches}
		days := now.DaysUntil(e.ReviewDate)
		retargeted := ""
		switch {
		case t.sawID && !t.sawSame:
			retargeted = m.retargetedDetail(e, t.other)
			st.Suggestion = m.suggestFor(i, t.other, checks)
		case t.sawID:
		case e.Wildcard() && e.CheckDescription != "":
			// No result in the section: did it move or vanish?
			retargeted, st.Suggestion = m.movedSection(i)
		}
		switch {
		case days < 0:
			// Expired wins: the review date is what fails the gate.
			st.State = Expired
			switch {
			case t.matches > 0:
				st.Detail = fmt.Sprintf("review date %s passed %s ago: %s open again", e.ReviewDate, plural(-days, "day"), plural(t.matches, "FAIL")+isAre(t.matches))
			case retargeted != "":
				st.Detail = fmt.Sprintf("review date %s passed %s ago; besides, %s", e.ReviewDate, plural(-days, "day"), retargeted)
			default:
				st.Detail = fmt.Sprintf("review date %s passed %s ago, and it matches no FAIL: remove it", e.ReviewDate, plural(-days, "day"))
			}
		case retargeted != "":
			st.State = Retargeted
			st.Detail = retargeted
		case t.matches == 0:
			st.State = Unused
			st.Detail = unusedDetail(e, t.statuses)
		case warnDays >= 0 && days <= warnDays:
			st.State = Expiring
			if days == 0 {
				st.Detail = fmt.Sprintf("review date %s is today: accepts %s for the last day", e.ReviewDate, plural(t.matches, "FAIL"))
			} else {
				st.Detail = fmt.Sprintf("review date %s is in %s: accepts %s until then", e.ReviewDate, plural(days, "day"), plural(t.matches, "FAIL"))
			}
			if unpinned(e) {
				st.Detail += "; " + unpinnedNote
			}
		case unpinned(e):
			st.State = Unpinned
			st.Detail = fmt.Sprintf("accepts %s through %s, but %s", plural(t.matches, "FAIL"), e.ReviewDate, unpinnedNote)
		default:
			st.State = Active
			st.Detail = fmt.Sprintf("accepts %s through %s", plural(t.matches, "FAIL"), e.ReviewDate)
		}
		if st.State == Unused && !t.sawSame && e.CheckDescription != "" && st.Suggestion == "" {
			st.Suggestion = m.suggestUnused(i, checks)
		}
		if st.State != Retargeted && st.State != Unused && st.State != Expired {
			st.Suggestion = ""
		}
		ev.Statuses = append(ev.Statuses, st)
	}
	return ev
}

const unpinnedNote = "it names neither check_description nor benchmark: a renumbering would move it silently (run bench-action exceptions pin)"

// unpinned reports whether nothing but the id says which control the
// exception means.
func unpinned(e *Exception) bool { return e.CheckDescription == "" && e.Benchmark == "" }

func unusedDetail(e *Exception, statuses map[benchresult.Status]int) string {
	if len(statuses) == 0 {
		if e.Wildcard() {
			return fmt.Sprintf("no check in the results matches %s%s: remove it or fix the id", e.CheckID, scopeText(e))
		}
		return fmt.Sprintf("no check %s in the results%s: remove it or fix the id", e.CheckID, scopeText(e))
	}
	var parts []string
	for _, s := range []benchresult.Status{benchresult.Pass, benchresult.Warn, benchresult.Info, benchresult.NotApplicable} {
		if n := statuses[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s (%s)", s, plural(n, "result")))
		}
	}
	return fmt.Sprintf("no FAIL to accept: %s is %s; remove it", e.CheckID, strings.Join(parts, ", "))
}

func scopeText(e *Exception) string {
	var parts []string
	if e.Benchmark != "" {
		parts = append(parts, "benchmark "+e.Benchmark)
	}
	if len(e.Nodes) > 0 {
		parts = append(parts, "nodes "+strings.Join(e.Nodes, ","))
	}
	if len(e.Clusters) > 0 {
		parts = append(parts, "clusters "+strings.Join(e.Clusters, ","))
	}
	if len(parts) == 0 {
		return ""
	}
	return " for " + strings.Join(parts, ", ")
}

func inBenchmark(c *benchresult.Check) string {
	if c.Benchmark == "" {
		return ""
	}
	return " in " + c.Benchmark
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func isAre(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

// matcher holds what Evaluate computes once per file and per text.
type matcher struct {
	f          *File
	exact      map[string][]int // exceptions by exact id
	wildcards  []int            // exceptions with a section pattern
	desc       []map[string]bool
	cache      map[string]map[string]bool
	intents    map[intentKey]*intent
	resolved   map[[2]string][]catalog.Match // catalog.Resolve by benchmark and description
	benchmarks []string                      // of the results, sorted
	buf        []int
}

type intentKey struct {
	i         int
	benchmark string
	target    string
}

func newMatcher(f *File, checks []benchresult.Check) *matcher {
	m := &matcher{f: f, exact: map[string][]int{}, desc: make([]map[string]bool, len(f.Exceptions)),
		cache: map[string]map[string]bool{}, intents: map[intentKey]*intent{}, resolved: map[[2]string][]catalog.Match{}}
	for i := range f.Exceptions {
		e := &f.Exceptions[i]
		if e.Wildcard() {
			m.wildcards = append(m.wildcards, i)
		} else {
			m.exact[e.CheckID] = append(m.exact[e.CheckID], i)
		}
		if e.CheckDescription != "" {
			m.desc[i] = words(e.CheckDescription)
		}
	}
	seen := map[string]bool{}
	for j := range checks {
		if c := checks[j].Control; c != nil && !seen[c.Benchmark] {
			seen[c.Benchmark] = true
			m.benchmarks = append(m.benchmarks, c.Benchmark)
		}
	}
	sort.Strings(m.benchmarks)
	return m
}

// byID returns the exceptions whose pattern matches id, in file order.
func (m *matcher) byID(id string) []int {
	m.buf = append(m.buf[:0], m.exact[id]...)
	for _, i := range m.wildcards {
		if MatchID(m.f.Exceptions[i].CheckID, id) {
			m.buf = append(m.buf, i)
		}
	}
	sort.Ints(m.buf)
	return m.buf
}

func (m *matcher) words(text string) map[string]bool {
	w, ok := m.cache[text]
	if !ok {
		w = words(text)
		m.cache[text] = w
	}
	return w
}

func (m *matcher) intent(i int, benchmark, target string) *intent {
	k := intentKey{i, benchmark, target}
	in := m.intents[k]
	if in == nil {
		in = resolveIntent(&m.f.Exceptions[i], benchmark, target, m.resolve)
		m.intents[k] = in
	}
	return in
}

func (m *matcher) resolve(b, d string) []catalog.Match {
	k := [2]string{b, d}
	ms, ok := m.resolved[k]
	if !ok {
		ms = catalog.Resolve(b, d)
		m.resolved[k] = ms
	}
	return ms
}

// catalogControl returns the catalog's definition of a result's check.
func catalogControl(c *benchresult.Check) (catalog.Control, bool) {
	if !catalog.Known(c.Benchmark) {
		return catalog.Control{}, false
	}
	return lookup(c.Benchmark, "", string(c.Target), c.ID)
}

// describes reports whether check c is the control exception i's
// check_description describes (for a section pattern: whether c's section
// has the title it names).
func (m *matcher) describes(i int, c *benchresult.Check) bool {
	e := &m.f.Exceptions[i]
	if e.Wildcard() {
		if c.Section != strings.TrimSuffix(e.CheckID, ".*") {
			return true // a pattern above the section ("1.*"): titles say nothing
		}
		return sectionTitle(c.SectionText) == sectionTitle(e.CheckDescription)
	}
	if ctl, ok := catalogControl(c); ok {
		return m.intent(i, c.Benchmark, string(c.Target)).names(ctl)
	}
	return sameControl(e.CheckDescription, m.desc[i], m.words(c.Text))
}

// retargetedDetail says why exception e does not apply to check c.
func (m *matcher) retargetedDetail(e *Exception, c *benchresult.Check) string {
	if e.Wildcard() {
		return fmt.Sprintf("section %s now is %q%s, not %q: the exception does not apply",
			strings.TrimSuffix(e.CheckID, ".*"), c.SectionText, inBenchmark(c), e.CheckDescription)
	}
	return fmt.Sprintf("check %s now names %q%s, not %q: the exception does not apply",
		e.CheckID, c.Text, inBenchmark(c), e.CheckDescription)
}

// suggestFor names where the control (or section) exception i describes
// is in the benchmark of check c, which its id no longer names.
func (m *matcher) suggestFor(i int, c *benchresult.Check, checks []benchresult.Check) string {
	e := &m.f.Exceptions[i]
	if e.Wildcard() {
		return m.sectionSuggestion(e, c.Benchmark, checks)
	}
	if _, ok := catalogControl(c); ok {
		return m.intent(i, c.Benchmark, string(c.Target)).suggestion()
	}
	return m.suggestWords(i, checks)
}

// suggestUnused, for an exception whose id is in no result in scope,
// names where the described control is in the results' benchmarks.
func (m *matcher) suggestUnused(i int, checks []benchresult.Check) string {
	e := &m.f.Exceptions[i]
	if e.Wildcard() {
		return ""
	}
	for _, b := range m.benchmarks {
		if !catalog.Known(b) || e.Benchmark != "" && !globMatch(e.Benchmark, b) {
			continue
		}
		in := m.intent(i, b, e.Target)
		if ctl, ok := lookup(b, e.Target, "", e.CheckID); ok && in.names(ctl) {
			return "" // the control is there under its id: not run on these nodes
		}
		if s := in.suggestion(); s != "" {
			return s
		}
	}
	return m.suggestWords(i, checks)
}

// movedSection, for a section pattern with a title and no result in its
// section, says whether a benchmark of the results moved or dropped it.
func (m *matcher) movedSection(i int) (detail, suggestion string) {
	e := &m.f.Exceptions[i]
	prefix := strings.TrimSuffix(e.CheckID, ".*")
	for _, b := range m.benchmarks {
		if !catalog.Known(b) || e.Benchmark != "" && !globMatch(e.Benchmark, b) {
			continue
		}
		have := sectionText(b, prefix)
		if have != "" && sectionTitle(have) == sectionTitle(e.CheckDescription) {
			continue
		}
		if have == "" {
			detail = fmt.Sprintf("%s has no section %s, not %q: the exception does not apply", b, prefix, e.CheckDescription)
		} else {
			detail = fmt.Sprintf("section %s now is %q in %s, not %q: the exception does not apply", prefix, have, b, e.CheckDescription)
		}
		return detail, m.sectionSuggestion(e, b, nil)
	}
	return "", ""
}

// sectionSuggestion names the section pattern that has the title of
// exception e's description in benchmark b.
func (m *matcher) sectionSuggestion(e *Exception, b string, checks []benchresult.Check) string {
	prefix := strings.TrimSuffix(e.CheckID, ".*")
	var ids []string
	if catalog.Known(b) {
		ids = sectionsOf(b, e.CheckDescription)
	} else {
		seen := map[string]bool{}
		for j := range checks {
			c := &checks[j]
			if c.Control != nil && c.Benchmark == b && !seen[c.Section] && sectionTitle(c.SectionText) == sectionTitle(e.CheckDescription) {
				seen[c.Section] = true
				ids = append(ids, c.Section)
			}
		}
	}
	for _, id := range ids {
		if id != prefix {
			return "did you mean " + id + ".*?"
		}
	}
	if catalog.Known(b) {
		return "this section no longer exists in " + b
	}
	return ""
}

// better reports whether exception i wins a FAIL over exception j (i
// comes after j in the file).
func (m *matcher) better(i, j int, now Date) bool {
	a, b := &m.f.Exceptions[i], &m.f.Exceptions[j]
	if a.Holds(now) != b.Holds(now) {
		return a.Holds(now)
	}
	return a.specificity() > b.specificity()
}

// suggestWords, for benchmarks the catalog does not know, names the ids,
// other than the exception's own, whose text in the exception's scope
// matches its description by words: the best matches first, then those
// sharing the longest id prefix (4.2.11 for 4.2.12 rather than 1.3.6),
// at most three.
func (m *matcher) suggestWords(i int, checks []benchresult.Check) string {
	e := &m.f.Exceptions[i]
	type cand struct {
		id       string
		cov, jac float64
		prefix   int
	}
	best := map[string]cand{}
	for j := range checks {
		c := &checks[j]
		if c.Control == nil || c.ID == e.CheckID || !e.inScope(c) || catalog.Known(c.Benchmark) {
			continue
		}
		t := m.words(c.Text)
		if !sameControl(e.CheckDescription, m.desc[i], t) {
			continue
		}
		cov := coverage(m.desc[i], t)
		k := cand{id: c.ID, cov: cov, jac: jaccard(m.desc[i], t), prefix: commonParts(e.CheckID, c.ID)}
		if old, ok := best[c.ID]; !ok || k.cov > old.cov || k.cov == old.cov && k.jac > old.jac {
			best[c.ID] = k
		}
	}
	if len(best) == 0 {
		return ""
	}
	list := make([]cand, 0, len(best))
	for _, c := range best {
		list = append(list, c)
	}
	sort.Slice(list, func(a, b int) bool {
		x, y := list[a], list[b]
		switch {
		case x.cov != y.cov:
			return x.cov > y.cov
		case x.prefix != y.prefix:
			return x.prefix > y.prefix
		case x.jac != y.jac:
			return x.jac > y.jac
		}
		return benchresult.CompareIDs(x.id, y.id) < 0
	})
	var ids []string
	for _, c := range list {
		if c.cov != list[0].cov || c.prefix != list[0].prefix || len(ids) == 3 {
			break
		}
		ids = append(ids, c.id)
	}
	return "did you mean " + orList(ids) + "?"
}

func orList(ids []string) string {
	if len(ids) <= 1 {
		return strings.Join(ids, "")
	}
	return strings.Join(ids[:len(ids)-1], ", ") + " or " + ids[len(ids)-1]
}

// commonParts counts the leading dot-separated parts two ids share.
func commonParts(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	n := 0
	for n < len(pa) && n < len(pb) && pa[n] == pb[n] {
		n++
	}
	return n
}
