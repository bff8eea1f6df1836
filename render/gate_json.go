package render

import (
	"io"
	"slices"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// verdictJSON is the document `gate --format json` prints.
type verdictJSON struct {
	Verdict    string              `json:"verdict"` // "pass" or "fail"
	Reasons    []string            `json:"reasons"`
	Counts     CountsJSON          `json:"counts"`
	Cluster    string              `json:"cluster,omitempty"`
	Benchmarks []string            `json:"benchmarks"`
	Totals     benchresult.Totals  `json:"totals"`
	Checks     []gateCheckJSON     `json:"checks"`
	Exceptions []exceptionJSON     `json:"exceptions"`
	Baseline   *baselineJSON       `json:"baseline,omitempty"`
	Drift      []driftJSON         `json:"drift,omitempty"`
	Mixed      map[string][]string `json:"mixed_benchmarks,omitempty"`
}

// gateCheckJSON is one check with what the gate made of it. State is
// "open" or "accepted" for FAILs and empty otherwise.
type gateCheckJSON struct {
	checkJSON
	// Kind is "fail" or "failed-manual" (a WARN whose test failed, the
	// check Manual in its benchmark) for findings, empty otherwise.
	Kind      verdict.FindingKind  `json:"kind,omitempty"`
	Risk      *riskJSON            `json:"risk,omitempty"`
	State     verdict.FindingState `json:"state,omitempty"`
	New       bool                 `json:"new,omitempty"`
	Owner     string               `json:"owner,omitempty"`
	Exception *exceptionJSON       `json:"exception,omitempty"`
}

// riskJSON is the threat-model risk a finding's control guards against.
type riskJSON struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Rank  int    `json:"rank"`
}

// exceptionJSON is an exception and its state.
type exceptionJSON struct {
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

// baselineJSON is the baseline side of a verdict.
type baselineJSON struct {
	Legacy          bool         `json:"legacy,omitempty"`
	LegacyFailCount int          `json:"legacy_fail_count,omitempty"`
	Fixed           []changeJSON `json:"fixed"`
	Gone            []changeJSON `json:"gone"`
	Changed         []changeJSON `json:"changed"`
	Carried         int          `json:"carried"`
	// CarriedBy counts the carried entries by how they were matched:
	// "identity" (the catalog) and "description" (the fallback).
	CarriedBy map[string]int `json:"carried_by"`
	// DescriptionFallback says why entries were carried by description
	// ("benchmark gke-1.6.0 unknown to the catalog"), each reason once.
	DescriptionFallback []string        `json:"description_fallback,omitempty"`
	Uncarried           []uncarriedJSON `json:"uncarried"`
	// Added are FAILs of controls the baseline's benchmark version did not
	// have: not new.
	Added []changeJSON `json:"added"`
}

// changeJSON is one check whose status moved since the baseline.
type changeJSON struct {
	benchresult.Key
	Text   string `json:"text"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// uncarriedJSON is a baseline entry that could not be mapped to the
// current benchmark version.
type uncarriedJSON struct {
	benchresult.Key
	Reason   string `json:"reason"`
	Status   string `json:"baseline_status"`
	Vanished bool   `json:"vanished"`
}

func newExceptionJSON(e *exceptions.Exception) *exceptionJSON {
	return &exceptionJSON{CheckID: e.CheckID, Description: e.CheckDescription, Owner: e.Owner, ReviewDate: e.ReviewDate.String(),
		RiskAcceptedBy: e.RiskAcceptedBy, Reason: e.Reason, Source: e.Source, Line: e.Line, Nodes: e.Nodes, Clusters: e.Clusters, Benchmark: e.Benchmark}
}

func statusName(s benchresult.Status) string {
	if s == 0 {
		return ""
	}
	return s.String()
}

// newVerdictJSON builds the JSON document of a verdict.
func newVerdictJSON(v *verdict.Verdict) verdictJSON {
	r := v.Report
	doc := verdictJSON{Verdict: v.VerdictWord(), Reasons: v.Reasons, Counts: NewCountsJSON(v.Counts), Cluster: r.Cluster, Benchmarks: r.Benchmarks(),
		Totals: r.Totals(), Checks: make([]gateCheckJSON, 0, len(r.Checks)), Exceptions: []exceptionJSON{}, Mixed: v.Mixed}
	if doc.Benchmarks == nil {
		doc.Benchmarks = []string{}
	}
	byCheck := make(map[*benchresult.Check]verdict.Finding, len(v.Findings))
	for _, f := range v.Findings {
		byCheck[f.Check] = f
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		gc := gateCheckJSON{checkJSON: newCheckJSON(c)}
		if f, ok := byCheck[c]; ok {
			gc.Kind, gc.State, gc.New, gc.Owner = f.Kind, f.State, f.New, f.Owner
			if f.Risk != nil {
				gc.Risk = &riskJSON{ID: f.Risk.ID, Title: f.Risk.Title, Rank: f.Risk.Rank}
			}
			if f.Exception != nil {
				gc.Exception = newExceptionJSON(f.Exception)
			}
			if f.Where != nil {
				gc.Where = []WhereJSON{NewWhereJSON(f.Where)}
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
		bj := &baselineJSON{Legacy: d.Legacy, LegacyFailCount: d.LegacyFailCount, Carried: len(d.Carried),
			Fixed: []changeJSON{}, Gone: []changeJSON{}, Changed: []changeJSON{}, Uncarried: []uncarriedJSON{}}
		conv := func(chs []baseline.Change) []changeJSON {
			out := make([]changeJSON, 0, len(chs))
			for _, ch := range chs {
				out = append(out, changeJSON{Key: ch.Key, Text: ch.Text, Before: statusName(ch.Before), After: statusName(ch.After)})
			}
			return out
		}
		bj.Fixed, bj.Gone, bj.Changed, bj.Added = conv(v.Fixed), conv(d.Gone), conv(d.Changed), conv(d.Added)
		bj.CarriedBy = map[string]int{baseline.CarryByIdentity: 0, baseline.CarryByDescription: 0}
		for _, c := range d.Carried {
			bj.CarriedBy[c.By]++
			if c.By == baseline.CarryByDescription && !slices.Contains(bj.DescriptionFallback, c.Why) {
				bj.DescriptionFallback = append(bj.DescriptionFallback, c.Why)
			}
		}
		for _, u := range d.Uncarried {
			bj.Uncarried = append(bj.Uncarried, uncarriedJSON{Key: u.Key, Reason: u.Reason, Status: statusName(u.Status), Vanished: u.Vanished})
		}
		doc.Baseline = bj
	}
	doc.Drift = newDriftJSON(v.Drift)
	return doc
}

// WriteJSON writes the verdict as one indented JSON document, safe to
// print in a CI log (see [LogSafeJSON]).
func WriteJSON(w io.Writer, v *verdict.Verdict) error {
	return writeJSON(w, newVerdictJSON(v))
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
	// FailedManual counts the open failed tests of Manual checks (in fail).
	FailedManual int `json:"failed_manual"`
}

// NewCountsJSON is the wire form of c.
func NewCountsJSON(c verdict.Counts) CountsJSON { return CountsJSON(c) }
