package render

import (
	"io"
	"slices"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// VerdictJSON is the document `gate --format json` prints.
type VerdictJSON struct {
	Verdict    string              `json:"verdict"` // "pass" or "fail"
	Reasons    []string            `json:"reasons"`
	Counts     CountsJSON          `json:"counts"`
	Cluster    string              `json:"cluster,omitempty"`
	Benchmarks []string            `json:"benchmarks"`
	Totals     benchresult.Totals  `json:"totals"`
	Checks     []GateCheckJSON     `json:"checks"`
	Exceptions []ExceptionJSON     `json:"exceptions"`
	Baseline   *BaselineJSON       `json:"baseline,omitempty"`
	Drift      []DriftJSON         `json:"drift,omitempty"`
	Mixed      map[string][]string `json:"mixed_benchmarks,omitempty"`
}

// GateCheckJSON is one check with what the gate made of it. State is
// "open" or "accepted" for FAILs and empty otherwise.
type GateCheckJSON struct {
	CheckJSON
	State     verdict.FindingState `json:"state,omitempty"`
	New       bool                 `json:"new,omitempty"`
	Owner     string               `json:"owner,omitempty"`
	Exception *ExceptionJSON       `json:"exception,omitempty"`
}

// ExceptionJSON is an exception and its state.
type ExceptionJSON struct {
	CheckID        string   `json:"check_id"`
	Description    string   `json:"check_description,omitempty"`
	Owner          string   `json:"owner"`
	ReviewDate     string   `json:"review_date"`
	RiskAcceptedBy string   `json:"risk_accepted_by"`
	Reason         string   `json:"reason"`
	Source         string   `json:"source"`
	Line           int      `json:"line"`
	State          string   `json:"state,omitempty"`
	Matches        int      `json:"matches"`
	Detail         string   `json:"detail,omitempty"`
	Suggestion     string   `json:"suggestion,omitempty"`
	Nodes          []string `json:"nodes,omitempty"`
	Clusters       []string `json:"clusters,omitempty"`
	Benchmark      string   `json:"benchmark,omitempty"`
}

// BaselineJSON is the baseline side of a verdict.
type BaselineJSON struct {
	Legacy          bool         `json:"legacy,omitempty"`
	LegacyFailCount int          `json:"legacy_fail_count,omitempty"`
	Fixed           []ChangeJSON `json:"fixed"`
	Gone            []ChangeJSON `json:"gone"`
	Changed         []ChangeJSON `json:"changed"`
	Carried         int          `json:"carried"`
	// CarriedBy counts the carried entries by how they were matched:
	// "identity" (the catalog) and "description" (the fallback).
	CarriedBy map[string]int `json:"carried_by"`
	// DescriptionFallback says why entries were carried by description
	// ("benchmark gke-1.6.0 unknown to the catalog"), each reason once.
	DescriptionFallback []string        `json:"description_fallback,omitempty"`
	Uncarried           []UncarriedJSON `json:"uncarried"`
	// Added are FAILs of controls the baseline's benchmark version did not
	// have: not new.
	Added []ChangeJSON `json:"added"`
}

// ChangeJSON is one check whose status moved since the baseline.
type ChangeJSON struct {
	benchresult.Key
	Text   string `json:"text"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// UncarriedJSON is a baseline entry that could not be mapped to the
// current benchmark version.
type UncarriedJSON struct {
	benchresult.Key
	Reason   string `json:"reason"`
	Status   string `json:"baseline_status"`
	Vanished bool   `json:"vanished"`
}

func newExceptionJSON(e *exceptions.Exception) *ExceptionJSON {
	return &ExceptionJSON{CheckID: e.CheckID, Description: e.CheckDescription, Owner: e.Owner, ReviewDate: e.ReviewDate.String(),
		RiskAcceptedBy: e.RiskAcceptedBy, Reason: e.Reason, Source: e.Source, Line: e.Line, Nodes: e.Nodes, Clusters: e.Clusters, Benchmark: e.Benchmark}
}

func statusName(s benchresult.Status) string {
	if s == 0 {
		return ""
	}
	return s.String()
}

// NewVerdictJSON builds the JSON document of a verdict.
func NewVerdictJSON(v *verdict.Verdict) VerdictJSON {
	r := v.Report
	doc := VerdictJSON{Verdict: v.VerdictWord(), Reasons: v.Reasons, Counts: NewCountsJSON(v.Counts), Cluster: r.Cluster, Benchmarks: r.Benchmarks(),
		Totals: r.Totals(), Checks: make([]GateCheckJSON, 0, len(r.Checks)), Exceptions: []ExceptionJSON{}, Mixed: v.Mixed}
	if doc.Benchmarks == nil {
		doc.Benchmarks = []string{}
	}
	byCheck := make(map[*benchresult.Check]verdict.Finding, len(v.Findings))
	for _, f := range v.Findings {
		byCheck[f.Check] = f
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		gc := GateCheckJSON{CheckJSON: NewCheckJSON(c)}
		if f, ok := byCheck[c]; ok {
			gc.State, gc.New, gc.Owner = f.State, f.New, f.Owner
			if f.Exception != nil {
				gc.Exception = newExceptionJSON(f.Exception)
			}
		}
		doc.Checks = append(doc.Checks, gc)
	}
	for _, s := range v.Exceptions {
		ej := newExceptionJSON(s.Exception)
		ej.State, ej.Matches, ej.Detail, ej.Suggestion = s.State.String(), s.Matches, s.Detail, s.Suggestion
		doc.Exceptions = append(doc.Exceptions, *ej)
	}
	if d := v.Delta; d != nil {
		bj := &BaselineJSON{Legacy: d.Legacy, LegacyFailCount: d.LegacyFailCount, Carried: len(d.Carried),
			Fixed: []ChangeJSON{}, Gone: []ChangeJSON{}, Changed: []ChangeJSON{}, Uncarried: []UncarriedJSON{}}
		conv := func(chs []baseline.Change) []ChangeJSON {
			out := make([]ChangeJSON, 0, len(chs))
			for _, ch := range chs {
				out = append(out, ChangeJSON{Key: ch.Key, Text: ch.Text, Before: statusName(ch.Before), After: statusName(ch.After)})
			}
			return out
		}
		bj.Fixed, bj.Gone, bj.Changed, bj.Added = conv(d.Fixed), conv(d.Gone), conv(d.Changed), conv(d.Added)
		bj.CarriedBy = map[string]int{baseline.CarryByIdentity: 0, baseline.CarryByDescription: 0}
		for _, c := range d.Carried {
			bj.CarriedBy[c.By]++
			if c.By == baseline.CarryByDescription && !slices.Contains(bj.DescriptionFallback, c.Why) {
				bj.DescriptionFallback = append(bj.DescriptionFallback, c.Why)
			}
		}
		for _, u := range d.Uncarried {
			bj.Uncarried = append(bj.Uncarried, UncarriedJSON{Key: u.Key, Reason: u.Reason, Status: statusName(u.Status), Vanished: u.Vanished})
		}
		doc.Baseline = bj
	}
	doc.Drift = newDriftJSON(v.Drift)
	return doc
}

// WriteJSON writes the verdict as one indented JSON document, safe to
// print in a CI log (see [LogSafeJSON]).
func WriteJSON(w io.Writer, v *verdict.Verdict) error {
	return writeJSON(w, NewVerdictJSON(v))
}

// CountsJSON is [verdict.Counts] as `gate --format json` prints it (the
// "counts" object; the keys are part of the command-line contract).
type CountsJSON struct {
	Fail       int `json:"fail"`
	New        int `json:"new"`
	Persisting int `json:"persisting"`
	Fixed      int `json:"fixed"`
	Accepted   int `json:"accepted"`
	Expired    int `json:"expired"`
	Expiring   int `json:"expiring"`
	Unused     int `json:"unused"`
	Retargeted int `json:"retargeted"`
}

// NewCountsJSON is the wire form of c.
func NewCountsJSON(c verdict.Counts) CountsJSON { return CountsJSON(c) }
