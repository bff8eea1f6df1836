package verdict

import (
	"sort"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
)

// FindingGroup is the findings of one control across the fleet.
type FindingGroup struct {
	ControlGroup
	Findings []*Finding // of the verdict, in the order of Checks
}

// Kind is the kind of the group's findings: one control is of one kind.
func (g FindingGroup) Kind() FindingKind {
	if len(g.Findings) == 0 {
		return KindFail
	}
	return g.Findings[0].Kind
}

// Risk is the threat-model risk of the group's control, or nil.
func (g FindingGroup) Risk() *Risk {
	if len(g.Findings) == 0 {
		return nil
	}
	return g.Findings[0].Risk
}

// Owners lists the distinct owners of the group's findings.
func (g FindingGroup) Owners() []string {
	if len(g.Findings) == 0 {
		return nil
	}
	same := true // the common case: one owner for the whole group
	for _, f := range g.Findings[1:] {
		if f.Owner != g.Findings[0].Owner {
			same = false
			break
		}
	}
	if same {
		return []string{g.Findings[0].Owner}
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range g.Findings {
		if !seen[f.Owner] {
			seen[f.Owner] = true
			out = append(out, f.Owner)
		}
	}
	sort.Strings(out)
	return out
}

// GroupFindings groups findings by control, highest risk first (see
// [Risk]), then in kube-bench's order, each group's findings by node.
func GroupFindings(fs []Finding) []FindingGroup {
	return groupFindingsWhere(fs, nil)
}

// groupFindingsWhere groups the findings keep accepts (nil: all) without
// copying the others.
func groupFindingsWhere(fs []Finding, keep func(*Finding) bool) []FindingGroup {
	type key struct{ bench, target, id string }
	index := map[key]int{}
	// Checks share one *Control per control and parsing worker: hash the
	// strings once per pointer.
	byPtr := map[*benchresult.Control]int{}
	var out []FindingGroup
	// Two passes: number the groups and count their findings, then fill
	// slices cut from one array of each (appending a group at a time grew
	// and copied 6 MB of slices for a 10,000-node fleet).
	group := make([]int32, len(fs)) // -1: not kept
	var count []int
	total := 0
	for i := range fs {
		f := &fs[i]
		if keep != nil && !keep(f) {
			group[i] = -1
			continue
		}
		c := f.Check
		g, ok := byPtr[c.Control]
		if !ok {
			k := key{c.Benchmark, string(c.Target), c.ID}
			if g, ok = index[k]; !ok {
				g = len(out)
				index[k] = g
				out = append(out, FindingGroup{ControlGroup: ControlGroup{Control: c.Control}})
				count = append(count, 0)
			}
			byPtr[c.Control] = g
		}
		group[i] = int32(g)
		count[g]++
		total++
	}
	checks := make([]*benchresult.Check, total)
	finds := make([]*Finding, total)
	at := 0
	for g := range out {
		n := count[g]
		out[g].Checks = checks[at : at : at+n]
		out[g].Findings = finds[at : at : at+n]
		at += n
	}
	for i, g := range group {
		if g < 0 {
			continue
		}
		out[g].Checks = append(out[g].Checks, fs[i].Check)
		out[g].Findings = append(out[g].Findings, &fs[i])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i].Risk()), rank(out[j].Risk()); ri != rj {
			return ri < rj
		}
		a := benchresult.Check{Control: out[i].Control}
		b := benchresult.Check{Control: out[j].Control}
		return benchresult.LessCheck(&a, &b)
	})
	for _, g := range out {
		sort.Sort(byNode(g))
	}
	return out
}

// byNode sorts a group's checks and findings together by node.
type byNode FindingGroup

func (g byNode) Len() int           { return len(g.Checks) }
func (g byNode) Less(i, j int) bool { return g.Checks[i].Node < g.Checks[j].Node }
func (g byNode) Swap(i, j int) {
	g.Checks[i], g.Checks[j] = g.Checks[j], g.Checks[i]
	g.Findings[i], g.Findings[j] = g.Findings[j], g.Findings[i]
}

func isNewOpen(f *Finding) bool    { return f.State == StateOpen && f.New }
func isPersisting(f *Finding) bool { return f.State == StateOpen && !f.New }
func isAccepted(f *Finding) bool   { return f.State == StateAccepted }

// NewGroups, PersistingGroups and AcceptedGroups group the verdict's
// findings of each kind by control.
func (v *Verdict) NewGroups() []FindingGroup { return groupFindingsWhere(v.Findings, isNewOpen) }

// PersistingGroups groups the open FAILs already FAIL in the baseline.
func (v *Verdict) PersistingGroups() []FindingGroup {
	return groupFindingsWhere(v.Findings, isPersisting)
}

// AcceptedGroups groups the FAILs an exception accepts.
func (v *Verdict) AcceptedGroups() []FindingGroup { return groupFindingsWhere(v.Findings, isAccepted) }

// filterFindings keeps the findings for which keep is true.
func filterFindings(fs []Finding, keep func(Finding) bool) []Finding {
	var out []Finding
	for _, f := range fs {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// NewFindings, PersistingFindings and AcceptedFindings split the verdict's findings.
func (v *Verdict) NewFindings() []Finding {
	return filterFindings(v.Findings, func(f Finding) bool { return f.State == StateOpen && f.New })
}

// PersistingFindings are open FAILs already FAIL in the baseline.
func (v *Verdict) PersistingFindings() []Finding {
	return filterFindings(v.Findings, func(f Finding) bool { return f.State == StateOpen && !f.New })
}

// AcceptedFindings are FAILs an exception accepts.
func (v *Verdict) AcceptedFindings() []Finding {
	return filterFindings(v.Findings, func(f Finding) bool { return f.State == StateAccepted })
}

// ExceptionProblems are the exceptions that need attention: expired,
// expiring, unused and retargeted ones, most urgent first.
func (v *Verdict) ExceptionProblems() []exceptions.ExceptionStatus {
	var out []exceptions.ExceptionStatus
	for _, s := range v.Exceptions {
		if s.State != exceptions.Active {
			out = append(out, s)
		}
	}
	rank := func(s exceptions.State) int {
		switch s {
		case exceptions.Expired:
			return 0
		case exceptions.Retargeted:
			return 1
		case exceptions.Expiring:
			return 2
		}
		return 3
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i].State) < rank(out[j].State) })
	return out
}

// VerdictWord is "pass" or "fail".
func (v *Verdict) VerdictWord() string {
	if v.Pass {
		return "pass"
	}
	return "fail"
}
