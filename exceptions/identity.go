package exceptions

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// intent is what an exception's check_description means in one benchmark
// the catalog knows: the controls it describes there, and where the
// control the exception was written for lives now.
type intent struct {
	// described holds the identities of the controls the description fits
	// best in the benchmark (several on a tie: "--profiling" fits the API
	// server, controller manager and scheduler checks alike).
	described map[catalog.Identity]bool
	top       []catalog.Match
	// decisive: the best fits share something distinctive with the
	// description (a flag, a file, a tested value), or there is one.
	decisive bool
	// exact: the description is the text of a control of the benchmark
	// (up to case, spaces and the assessment status): it names that
	// control and its best fits in other targets, never a control found
	// through another version.
	exact bool
	// source is the benchmark where the exception's id named a control the
	// description fits (the one it was written for), "" when none does;
	// identity is that control's identity.
	source   string
	identity catalog.Identity
	searched bool // source was looked for
	resolve  func(b, d string) []catalog.Match
	e        *Exception
	b        string
	target   string

	// verbatim: the description repeats, word for word, the text the
	// exception's id has in source (it was copied from that version).
	verbatim, verbatimSearched bool
	// now holds the controls of b that the source control is
	// ([catalog.Find]), once looked up.
	now      []catalog.Control
	nowFound bool
}

// resolveIntent reads description d of exception e in benchmark b.
// resolve is catalog.Resolve, or a cache of it.
func resolveIntent(e *Exception, b, target string, resolve func(b, d string) []catalog.Match) *intent {
	return &intent{e: e, b: b, target: target, resolve: resolve}
}

// fit resolves the description in the benchmark, once.
func (in *intent) fit() {
	if in.described != nil {
		return
	}
	in.described = map[catalog.Identity]bool{}
	in.top = topMatches(in.resolve(in.b, in.e.CheckDescription))
	// A description that is a control's text names it, and the controls
	// of other targets whose words it fits as well (1.3.6 of the
	// controller manager and 4.2.11 of the kubelet differ by "Ensure" and
	// "Verify": the id and target decide); not another control of its own
	// target, nor what another version reads in it.
	if exact := verbatim(in.b, benchresult.NormalizeText(in.e.CheckDescription)); len(exact) > 0 {
		in.exact = true
		targets := map[string]bool{}
		for _, m := range exact {
			targets[m.Target] = true
		}
		for _, m := range in.top {
			if !targets[m.Target] {
				exact = append(exact, m)
			}
		}
		in.top = exact
	}
	for _, m := range in.top {
		in.described[m.Identity] = true
	}
	in.decisive = decisive(in.top)
}

// texts holds, per benchmark, its controls by normalised text.
var texts sync.Map // benchmark → map[string][]catalog.Control

// verbatim returns, as matches, the controls of benchmark b whose text is
// a description, given normalised ([benchresult.NormalizeText]).
func verbatim(b, norm string) []catalog.Match {
	v, ok := texts.Load(b)
	if !ok {
		byText := map[string][]catalog.Control{}
		for _, c := range catalog.Controls(b) {
			t := benchresult.NormalizeText(c.Text)
			byText[t] = append(byText[t], c)
		}
		v, _ = texts.LoadOrStore(b, byText)
	}
	var out []catalog.Match
	for _, c := range v.(map[string][]catalog.Control)[norm] {
		out = append(out, catalog.Match{Control: c, Why: []string{"text"}})
	}
	return out
}

// decisive reports whether the best matches of a description single out
// a control: at most three of them (one per component, as --profiling
// fits three), or matches naming a flag, a file or a value of it, not
// just words ("admission control plugin" fits a dozen checks alike).
func decisive(top []catalog.Match) bool {
	if len(top) > 0 && len(top) <= 3 {
		return true
	}
	for _, m := range top {
		for _, w := range m.Why {
			if !strings.HasPrefix(w, "word ") {
				return true
			}
		}
	}
	return false
}

// findVerbatim looks, once, for a version of the family whose text for
// the exception's id is the description, word for word: the exception was
// copied from it, whatever the words fit best now (cis-1.24's 1.2.3 "is
// not set" is not cis-1.7's "is set").
func (in *intent) findVerbatim() {
	if in.verbatimSearched {
		return
	}
	in.verbatimSearched = true
	e := in.e
	for _, s := range sourceCandidates(e, in.b) {
		if c, ok := lookup(s, e.Target, in.target, e.CheckID); ok && sameWording(c.Text, e.CheckDescription) {
			in.source, in.identity, in.verbatim, in.searched = s, c.Identity, true, true
			return
		}
	}
}

// findSource looks, once, for the benchmark the exception was written for.
func (in *intent) findSource() {
	if in.findVerbatim(); in.searched {
		return
	}
	in.searched = true
	in.fit()
	e, b, target := in.e, in.b, in.target
	norm := benchresult.NormalizeText(e.CheckDescription)
	for _, s := range sourceCandidates(e, b) {
		ms := verbatim(s, norm)
		if len(ms) == 0 {
			ms = topMatches(in.resolve(s, e.CheckDescription))
			// The words fit the id's control there less than they fit
			// their best control here: they describe that one (a
			// control that version lacks, or words it shared).
			if len(ms) > 0 && in.decisive && len(in.top) > 0 && ms[0].Score < in.top[0].Score {
				continue
			}
		}
		if !decisive(ms) {
			continue
		}
		if c, ok := lookup(s, e.Target, target, e.CheckID); ok {
			for _, m := range ms {
				if m.Identity == c.Identity {
					in.source, in.identity = s, c.Identity
					return
				}
			}
		}
	}
}

// names reports whether control c of the benchmark is the one the
// exception describes: c when the description is c's text; when it is
// another version's text of its id, that control, by identity; else a decisive best
// fit of its description there; else the control the exception was
// written for, by identity, when a benchmark is found where its id named
// a control its description fits; else a best fit.
func (in *intent) names(c catalog.Control) bool {
	if sameWording(c.Text, in.e.CheckDescription) {
		return true
	}
	if in.findVerbatim(); in.verbatim {
		return in.isSource(c)
	}
	if in.fit(); in.exact {
		return in.described[c.Identity]
	}
	if in.decisive && in.described[c.Identity] {
		return true
	}
	in.findSource()
	if in.source != "" {
		return in.isSource(c)
	}
	return in.described[c.Identity]
}

// isSource reports whether control c of the benchmark is the control the
// exception was written for: its identity, or what [catalog.Find] makes
// of it (a "text" identity finds a later definition by its words).
func (in *intent) isSource(c catalog.Control) bool {
	if c.Identity == in.identity {
		return true
	}
	if !in.nowFound {
		in.now, in.nowFound = catalog.Find(in.b, in.identity), true
	}
	for _, f := range in.now {
		if f.Target == c.Target && f.ID == c.ID {
			return true
		}
	}
	return false
}

// suggestion is the one id the described control has in benchmark b,
// near the exception's id and target; or that it no longer exists there.
func (in *intent) suggestion() string {
	in.findSource()
	e, b, target := in.e, in.b, in.target
	var cands []catalog.Control
	if in.source != "" {
		cands = catalog.Find(b, in.identity)
		if len(cands) == 0 {
			return "this control no longer exists in " + b
		}
	} else if in.fit(); in.decisive {
		for _, m := range in.top {
			cands = append(cands, m.Control)
		}
	}
	var best *catalog.Control
	for i := range cands {
		c := &cands[i]
		if c.ID == e.CheckID && c.Target == target {
			continue
		}
		if best == nil || closer(c, best, e.CheckID, target) {
			best = c
		}
	}
	if best == nil {
		return ""
	}
	return "did you mean " + best.ID + "?"
}

// sameWording reports whether two control texts are the same but for case,
// spacing, the assessment status and a final full stop.
func sameWording(a, b string) bool {
	return strings.TrimRight(benchresult.NormalizeText(a), ". ") == strings.TrimRight(benchresult.NormalizeText(b), ". ")
}

// closer orders candidates: same target, then more leading id parts in
// common with the exception's id, then the lower id.
func closer(a, b *catalog.Control, id, target string) bool {
	if (a.Target == target) != (b.Target == target) {
		return a.Target == target
	}
	if pa, pb := commonParts(a.ID, id), commonParts(b.ID, id); pa != pb {
		return pa > pb
	}
	return benchresult.CompareIDs(a.ID, b.ID) < 0
}

// topMatches keeps the matches with the best score.
func topMatches(ms []catalog.Match) []catalog.Match {
	if len(ms) == 0 {
		return nil
	}
	n := 1
	for n < len(ms) && ms[n].Score == ms[0].Score {
		n++
	}
	return ms[:n]
}

// lookup finds a check of a benchmark: in the exception's target when it
// has one, else in the target of the result at hand, else by id alone.
func lookup(b, scope, target, id string) (catalog.Control, bool) {
	if scope != "" {
		return catalog.Lookup(b, scope, id)
	}
	if c, ok := catalog.Lookup(b, target, id); ok {
		return c, true
	}
	return catalog.Lookup(b, "", id)
}

// sourceCandidates lists the benchmarks an exception may have been
// written for, most likely first: its own benchmark when that is one
// benchmark the catalog knows; else the other versions of b's family,
// the ones before b (nearest first), then the ones after.
func sourceCandidates(e *Exception, b string) []string {
	k := [2]string{e.Benchmark, b}
	if v, ok := candidates.Load(k); ok {
		return v.([]string)
	}
	v, _ := candidates.LoadOrStore(k, listCandidates(e, b))
	return v.([]string)
}

// candidates caches sourceCandidates by the exception's benchmark and b:
// it only reads the catalog.
var candidates sync.Map // [2]string → []string

func listCandidates(e *Exception, b string) []string {
	if e.Benchmark != "" && !strings.ContainsAny(e.Benchmark, "*?[\\") {
		if e.Benchmark != b && catalog.Known(e.Benchmark) {
			return []string{e.Benchmark}
		}
		return nil
	}
	family := familyOf(b)
	var fam []string
	for _, x := range catalog.Benchmarks() {
		if x.ID != b && familyOf(x.ID) == family && (e.Benchmark == "" || globMatch(e.Benchmark, x.ID)) {
			fam = append(fam, x.ID)
		}
	}
	fam = append(fam, b)
	sortByRelease(fam)
	at := 0
	for i, x := range fam {
		if x == b {
			at = i
		}
	}
	var out []string
	for i := at - 1; i >= 0; i-- {
		out = append(out, fam[i])
	}
	return append(out, fam[at+1:]...)
}

var versionPart = regexp.MustCompile(`^v?[0-9]+(\.[0-9]+)*$`)

// familyOf is a benchmark id without its version, its other parts in
// any order: "cis-1.10" and "cis-1.7" are "#-cis", "k3s-cis-1.24" and
// "cis-1.6-k3s" (the k3s benchmark before kube-bench renamed it) are
// "#-cis-k3s".
func familyOf(b string) string {
	parts := strings.Split(b, "-")
	for i, p := range parts {
		if versionPart.MatchString(p) {
			parts[i] = "#"
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "-")
}

// sortByRelease orders benchmarks by the first kube-bench release that
// ships them (cis-1.20 came before cis-1.7), then by version.
func sortByRelease(ids []string) {
	rank := map[string]int{}
	for i, r := range catalog.KubeBenchReleases() {
		rank[r] = i
	}
	first := map[string]int{}
	for _, b := range catalog.Benchmarks() {
		if len(b.KubeBench) > 0 {
			first[b.ID] = rank[b.KubeBench[0]]
		}
	}
	sort.SliceStable(ids, func(i, j int) bool {
		if first[ids[i]] != first[ids[j]] {
			return first[ids[i]] < first[ids[j]]
		}
		return benchresult.CompareIDs(ids[i], ids[j]) < 0
	})
}

// sectionTitle is a section's text folded for comparison.
func sectionTitle(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9')
	}), " ")
}

// sectionsOf lists the section ids of a benchmark whose title is title.
func sectionsOf(b, title string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range catalog.Controls(b) {
		if !seen[c.Section.ID] && sectionTitle(c.Section.Text) == sectionTitle(title) {
			seen[c.Section.ID] = true
			out = append(out, c.Section.ID)
		}
	}
	return out
}

// sectionText is the title of section id in benchmark b, "" when b has none.
func sectionText(b, id string) string {
	for _, c := range catalog.Controls(b) {
		if c.Section.ID == id {
			return c.Section.Text
		}
	}
	return ""
}
