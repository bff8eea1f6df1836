package action

import (
	"sort"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
)

// FindingGroup is the findings of one control across the fleet.
type FindingGroup struct {
	ControlGroup
	Findings []Finding
}

// Owners lists the distinct owners of the group's findings.
func (g FindingGroup) Owners() []string {
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

// GroupFindings groups findings by control, in kube-bench's order.
func GroupFindings(fs []Finding) []FindingGroup {
	byCheck := make(map[*benchresult.Check]Finding, len(fs))
	checks := make([]*benchresult.Check, 0, len(fs))
	for _, f := range fs {
		byCheck[f.Check] = f
		checks = append(checks, f.Check)
	}
	groups := GroupByControl(checks)
	out := make([]FindingGroup, 0, len(groups))
	for _, g := range groups {
		fg := FindingGroup{ControlGroup: g}
		for _, c := range g.Checks {
			fg.Findings = append(fg.Findings, byCheck[c])
		}
		out = append(out, fg)
	}
	return out
}

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

func exceptionWhere(e *exceptions.Exception) string {
	if e.Line > 0 {
		return e.Source + ":" + itoa(e.Line)
	}
	return e.Source
}

func joinOwners(owners []string) string { return strings.Join(owners, ", ") }
