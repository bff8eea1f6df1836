package verdict

import (
	"slices"
	"strings"

	"github.com/bench-action/bench-action/exceptions"
)

// ExceptionChange is an exception a pull request adds, changes or removes.
type ExceptionChange struct {
	Kind      string // "added", "changed", "removed"
	Exception *exceptions.Exception
	// Old is the base branch's version of a changed exception (its review
	// date, id or owner before), nil for an added or removed one. An
	// exception whose check_id changed is one change, not a removal and an
	// addition: a removed and an added exception with the same reason
	// (or description) and owner are paired.
	Old *exceptions.Exception
	// SilencesNew is set when the exception accepts a FAIL that is new in
	// this pull request: a PR silencing its own regression must be visible.
	SilencesNew bool
}

// CompareExceptions lists the exceptions head adds, changes or removes
// compared with base (the base branch's file; nil when it has none), and
// marks those that accept a FAIL the pull request itself introduced: a
// pull request that silences its own regression must be visible.
func CompareExceptions(base, head *exceptions.File, v *Verdict) []ExceptionChange {
	key := func(e *exceptions.Exception) string {
		return strings.Join([]string{e.CheckID, e.Benchmark, strings.Join(e.Nodes, ","), strings.Join(e.Clusters, ",")}, "\x00")
	}
	same := func(a, b *exceptions.Exception) bool {
		return a.CheckDescription == b.CheckDescription && a.Reason == b.Reason && a.Owner == b.Owner &&
			a.ReviewDate == b.ReviewDate && a.RiskAcceptedBy == b.RiskAcceptedBy
	}
	silences := map[*exceptions.Exception]bool{}
	if v != nil {
		for _, f := range v.Findings {
			if f.State == StateAccepted && f.New && f.Exception != nil {
				silences[f.Exception] = true
			}
		}
	}
	before := map[string]*exceptions.Exception{}
	if base != nil {
		for i := range base.Exceptions {
			before[key(&base.Exceptions[i])] = &base.Exceptions[i]
		}
	}
	var out []ExceptionChange
	seen := map[string]bool{}
	if head != nil {
		for i := range head.Exceptions {
			e := &head.Exceptions[i]
			k := key(e)
			seen[k] = true
			old, ok := before[k]
			switch {
			case !ok:
				out = append(out, ExceptionChange{Kind: "added", Exception: e, SilencesNew: silences[e]})
			case !same(old, e):
				out = append(out, ExceptionChange{Kind: "changed", Exception: e, Old: old, SilencesNew: silences[e]})
			}
		}
	}
	if base != nil {
		for i := range base.Exceptions {
			e := &base.Exceptions[i]
			if seen[key(e)] {
				continue
			}
			if j := renamed(out, e); j >= 0 {
				out[j].Kind, out[j].Old = "changed", e
				continue
			}
			out = append(out, ExceptionChange{Kind: "removed", Exception: e})
		}
	}
	slices.SortStableFunc(out, func(a, b ExceptionChange) int {
		if a.SilencesNew != b.SilencesNew {
			if a.SilencesNew {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// renamed finds the added exception that is removed exception old under
// another key (its check_id or scope changed): same owner, and the same
// reason or the same check description. -1 when there is none.
func renamed(changes []ExceptionChange, old *exceptions.Exception) int {
	for i, ch := range changes {
		e := ch.Exception
		if ch.Kind != "added" || e.Owner != old.Owner {
			continue
		}
		if e.Reason == old.Reason || e.CheckDescription != "" && e.CheckDescription == old.CheckDescription {
			return i
		}
	}
	return -1
}
