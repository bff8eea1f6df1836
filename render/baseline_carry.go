package render

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
)

// carrySummary is what a renderer says about a baseline carried across
// benchmark versions: how entries were matched, what could not be
// carried, what vanished, and the FAILs of controls the old version did
// not have.
type carrySummary struct {
	byIdentity, byDescription int
	// fallback holds why entries were carried by description, each once
	// ("benchmark gke-1.6.0 unknown to the catalog"), with its count.
	fallback []countedReason
	// failed are the uncarried entries that were FAIL in the baseline.
	failed []baseline.Uncarried
	// vanished counts the other vanished entries per new benchmark and
	// status; other counts the other non-FAIL uncarried entries.
	vanished []countedReason
	other    int
	// added are FAILs of controls new in their benchmark version.
	added []baseline.Change
}

type countedReason struct {
	reason string
	n      int
	ids    []string // distinct control ids, for vanished entries
}

func (s *carrySummary) empty() bool {
	return s.byIdentity+s.byDescription == 0 && len(s.failed) == 0 && len(s.vanished) == 0 && s.other == 0 && len(s.added) == 0
}

func summarizeCarry(d *baseline.Delta) carrySummary {
	var s carrySummary
	count := func(list *[]countedReason, reason, id string) {
		for i := range *list {
			if (*list)[i].reason == reason {
				(*list)[i].n++
				if id != "" && !slices.Contains((*list)[i].ids, id) {
					(*list)[i].ids = append((*list)[i].ids, id)
				}
				return
			}
		}
		cr := countedReason{reason: reason, n: 1}
		if id != "" {
			cr.ids = []string{id}
		}
		*list = append(*list, cr)
	}
	for _, c := range d.Carried {
		if c.By == baseline.CarryByDescription {
			s.byDescription++
			count(&s.fallback, c.Why, "")
		} else {
			s.byIdentity++
		}
	}
	for _, u := range d.Uncarried {
		switch {
		case u.Status == benchresult.Fail:
			s.failed = append(s.failed, u)
		case u.Vanished:
			count(&s.vanished, fmt.Sprintf("%s %s", u.Status, vanishedFrom(u.Reason)), u.Key.ID)
		default:
			s.other++
		}
	}
	s.added = d.Added
	return s
}

// vanishedFrom is the "no longer in X" part of a reason.
func vanishedFrom(reason string) string {
	if i := strings.IndexAny(reason, ":("); i > 0 {
		return strings.TrimSpace(reason[:i])
	}
	return reason
}

// lines are the summary as plain lines, for the text and Markdown outputs.
func (s *carrySummary) lines() []string {
	var out []string
	if s.byIdentity+s.byDescription > 0 {
		out = append(out, fmt.Sprintf("%s carried to the current benchmark version: %d by identity, %d by description", baselineEntries(s.byIdentity+s.byDescription), s.byIdentity, s.byDescription))
	}
	for _, f := range s.fallback {
		out = append(out, fmt.Sprintf("%s carried by description (%s)", baselineEntries(f.n), f.reason))
	}
	for _, v := range s.vanished {
		out = append(out, fmt.Sprintf("%s %s (not FAIL in the baseline): %s", baselineEntries(v.n), v.reason, strings.Join(v.ids, ", ")))
	}
	if s.other > 0 {
		out = append(out, fmt.Sprintf("%s not FAIL in the baseline could not be carried", baselineEntries(s.other)))
	}
	if len(s.added) > 0 {
		var ids []string
		for _, ch := range s.added {
			if !slices.Contains(ids, ch.Key.Benchmark+" "+ch.Key.ID) {
				ids = append(ids, ch.Key.Benchmark+" "+ch.Key.ID)
			}
		}
		out = append(out, fmt.Sprintf("%s of controls the baseline's benchmark version did not have (not counted as new): %s", plural(len(s.added), "FAIL result"), strings.Join(ids, ", ")))
	}
	return out
}
