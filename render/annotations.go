package render

import (
	"fmt"
	"strings"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// Annotation is one workflow annotation (::error or ::warning).
type Annotation struct {
	Level   string // "error", "warning" or "notice"
	Title   string
	Message string
	File    string // optional: the exceptions file for exception problems
	Line    int
}

// MaxAnnotations is how many annotations of each level are written; GitHub
// shows at most 10 of each per step.
const MaxAnnotations = 10

// Annotations lists the verdict's annotations, most severe first, at most
// limit of each level; when some are left out, the last one of that level
// says how many more the summary holds: an error per new FAIL control and
// per expired exception, a warning per other exception problem (on its
// line of the file) and per drifting control not otherwise listed, and
// one notice for all FAILs already in the baseline. Titles and messages
// are [LogText].
func Annotations(v *verdict.Verdict, limit int) []Annotation {
	var errs, warns []Annotation
	for _, g := range v.NewGroups() {
		title, what := "New CIS FAIL "+g.Control.ID, "FAIL"
		if g.Kind() == verdict.KindFailedManual {
			title, what = "New CIS failed Manual check "+g.Control.ID, g.Kind().Label()+" (kube-bench: WARN)"
		}
		errs = append(errs, located(Annotation{Level: "error", Title: title,
			Message: fmt.Sprintf("%s %s: %s on %s (owner %s%s)", g.Control.ID, OneLine(g.Control.Text), what, g.NodeList(5), joinOwners(g.Owners()), riskText(g))}, g))
	}
	for _, s := range v.ExceptionProblems() {
		e := s.Exception
		a := Annotation{Level: "warning", Title: "Exception " + s.State.String() + ": " + e.CheckID, File: e.Source, Line: e.Line,
			Message: fmt.Sprintf("%s (owner %s, review date %s): %s %s", e.CheckID, e.Owner, e.ReviewDate, OneLine(s.Detail), OneLine(s.Suggestion))}
		if s.State == exceptions.Expired && !v.Config.AllowExpired {
			a.Level = "error"
			errs = append(errs, a)
			continue
		}
		warns = append(warns, a)
	}
	// FAILs already in the baseline are in every run's summary: one line
	// for all of them, not a warning per control per run. Drift of a
	// control listed as a FAIL says nothing more.
	var notes []Annotation
	listed := map[ControlRef]bool{}
	for _, g := range v.NewGroups() {
		listed[RefOf(g.ControlGroup)] = true
	}
	if all := v.PersistingGroups(); len(all) > 0 {
		for _, x := range all {
			listed[RefOf(x.ControlGroup)] = true
		}
		g, unchecked := splitUnchecked(all)
		msg := fmt.Sprintf("%s already failing in the baseline (%s)", plural(len(g), "control"), plural(distinctNodes(controlGroups(g)), "node"))
		if len(unchecked) > 0 {
			msg += fmt.Sprintf(" and %s kube-bench could not check", plural(len(unchecked), "control"))
		}
		notes = append(notes, Annotation{Level: "notice", Title: "CIS FAILs already in the baseline", Message: msg + ", listed in the job summary"})
	}
	for _, d := range v.Drift {
		if listed[ControlRef{Benchmark: d.Control.Benchmark, Target: string(d.Control.Target), ID: d.Control.ID}] {
			continue
		}
		warns = append(warns, Annotation{Level: "warning", Title: "Drift " + d.Control.ID,
			Message: fmt.Sprintf("%s %s differs between %s nodes: %s", d.Control.ID, OneLine(d.Control.Text), d.Role, driftSummary(d))})
	}
	out := append(append(capAnnotations(errs, limit), capAnnotations(warns, limit)...), notes...)
	for i := range out {
		out[i].Title, out[i].Message = LogText(out[i].Title), LogText(out[i].Message)
	}
	return out
}

func capAnnotations(as []Annotation, limit int) []Annotation {
	if limit <= 0 || len(as) <= limit {
		return as
	}
	more := len(as) - limit + 1
	out := append([]Annotation(nil), as[:limit-1]...)
	level := as[0].Level
	out = append(out, Annotation{Level: level, Title: plural(more, "more "+strings.ToLower(level)),
		Message: fmt.Sprintf("%s %s in the job summary", plural(more, "more "+level+" annotation"), isAre(more))})
	return out
}
