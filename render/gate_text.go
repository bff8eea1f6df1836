package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/verdict"
)

// WriteText writes the verdict for a CI log: the decision and why, new
// FAILs first with remediation and nodes, then persisting and fixed ones,
// accepted ones (by whom, until when), exception and baseline problems.
// No line of it is a workflow command (see [LogText]).
func WriteText(w io.Writer, v *verdict.Verdict) error {
	return writeLogSafe(w, func(w io.Writer) error { return writeText(w, v) })
}

func writeText(w io.Writer, v *verdict.Verdict) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "bench-action gate: %s\n", strings.ToUpper(v.VerdictWord()))
	fmt.Fprintf(ew, "%s\n", headline(plainInline, v, v.NewGroups()))
	for _, r := range v.Reasons {
		fmt.Fprintf(ew, "  - %s\n", r)
	}
	c := v.Counts
	cluster := v.Report.Cluster
	if cluster == "" {
		cluster = "(unnamed)"
	}
	benchmarks := strings.Join(v.Report.Benchmarks(), ", ")
	if benchmarks == "" {
		benchmarks = "benchmark not stated (JUnit or text input)"
	}
	fmt.Fprintf(ew, "\ncluster %s: %s, %s\n", cluster, plural(len(v.Report.Inputs), "node"), benchmarks)
	uncheckedNote := ""
	if n := openUnchecked(v); n > 0 {
		uncheckedNote = fmt.Sprintf("; %d could not be checked", n)
	}
	if c.FailedManual > 0 {
		uncheckedNote += fmt.Sprintf("; %d failed, Manual in the benchmark", c.FailedManual)
	}
	fmt.Fprintf(ew, "FAIL results (one control on one node): %d open (%d new, %d persisting%s), %d fixed, %d accepted\n",
		c.Fail, c.New, c.Persisting, uncheckedNote, c.Fixed, c.Accepted)
	fmt.Fprintf(ew, "exceptions: %d expired, %d expiring, %d unused, %d retargeted\n", c.Expired, c.Expiring, c.Unused, c.Retargeted)

	failed, unchecked := splitUnchecked(v.NewGroups())
	if len(failed) > 0 {
		fmt.Fprintf(ew, "\n== New FAILs: %s ==\n", controlsAndResults(controlGroups(failed)))
		for _, fg := range failed {
			writeGroupText(ew, fg.ControlGroup, fg.Kind().Label(), WhereSet(fg.Where()))
			fmt.Fprintf(ew, "       owner: %s%s\n", joinOwners(fg.Owners()), riskText(fg))
		}
	}
	if len(unchecked) > 0 {
		fmt.Fprintf(ew, "\n== New FAILs, could not check (the audit did not run): %s ==\n", controlsAndResults(controlGroups(unchecked)))
		for _, fg := range unchecked {
			writeGroupText(ew, fg.ControlGroup, "FAIL", "")
			fmt.Fprintf(ew, "       owner: %s\n", joinOwners(fg.Owners()))
		}
	}
	failed, unchecked = splitUnchecked(v.PersistingGroups())
	if len(failed) > 0 {
		fmt.Fprintf(ew, "\n== Persisting FAILs, already in the baseline: %s ==\n", controlsAndResults(controlGroups(failed)))
		for _, fg := range failed {
			fmt.Fprintf(ew, "[%s] %s %s\n       nodes: %s; owner: %s%s\n", fg.Kind().Label(), fg.Control.ID, OneLine(fg.Control.Text), fg.NodeList(20), joinOwners(fg.Owners()), riskText(fg))
		}
	}
	if len(unchecked) > 0 {
		fmt.Fprintf(ew, "\n== Persisting FAILs, could not check (the audit did not run), already in the baseline: %s ==\n", controlsAndResults(controlGroups(unchecked)))
		for _, fg := range unchecked {
			fmt.Fprintf(ew, "[FAIL, could not check] %s %s\n       nodes: %s; owner: %s\n       reason: %s\n",
				fg.Control.ID, OneLine(fg.Control.Text), fg.NodeList(20), joinOwners(fg.Owners()), cleanReason(fg.Checks[0].Reason))
		}
	}
	if len(v.Fixed) > 0 {
		fmt.Fprintf(ew, "\n== Fixed since the baseline: %s ==\n", plural(len(v.Fixed), "result"))
		for _, ch := range v.Fixed {
			fmt.Fprintf(ew, "[fixed] %s %s on %s (was %s, now %s)\n", ch.Key.ID, OneLine(ch.Text), nodeOrCluster(ch.Key.Node), ch.Before, ch.After)
		}
	}
	if g := interleaveUnchecked(v.AcceptedGroups()); len(g) > 0 {
		fmt.Fprintf(ew, "\n== Accepted by an exception: %s ==\n", controlsAndResults(controlGroups(g)))
		for _, fg := range g {
			e := fg.Findings[0].Exception
			tag := "accepted"
			if couldNotCheck(fg.ControlGroup) {
				tag = "accepted, could not check"
			}
			fmt.Fprintf(ew, "[%s] %s %s\n       nodes: %s\n       accepted by %s for %s until %s (%s): %s\n",
				tag, fg.Control.ID, OneLine(fg.Control.Text), fg.NodeList(20), e.RiskAcceptedBy, e.Owner, e.ReviewDate, ExceptionSource(e), OneLine(e.Reason))
		}
	}
	if probs := v.ExceptionProblems(); len(probs) > 0 {
		fmt.Fprintf(ew, "\n== Exceptions needing attention: %s ==\n", plural(len(probs), "exception"))
		for _, s := range probs {
			e := s.Exception
			fmt.Fprintf(ew, "[%s] %s (%s), owner %s, review date %s: %s\n", s.State, e.CheckID, ExceptionSource(e), e.Owner, e.ReviewDate, OneLine(s.Detail))
			if s.Suggestion != "" {
				fmt.Fprintf(ew, "       %s\n", OneLine(s.Suggestion))
			}
		}
	}
	writeBaselineText(ew, v)
	writeDriftText(ew, v.Drift, v.Mixed)
	return ew.err
}

// riskText is "; risk: TITLE" for a control the threat model singles out.
func riskText(g verdict.FindingGroup) string {
	if r := g.Risk(); r != nil {
		return "; risk: " + r.Title
	}
	return ""
}

func writeBaselineText(w io.Writer, v *verdict.Verdict) {
	d := v.Delta
	if d == nil || d.Legacy {
		if d != nil {
			fmt.Fprintf(w, "\nbaseline: the seed's FAIL-count baseline (%s); open FAILs: %s\n", plural(d.LegacyFailCount, "result"), plural(v.Counts.Fail, "result"))
		}
		return
	}
	if len(d.Gone) > 0 {
		fmt.Fprintf(w, "\n== In the baseline as FAIL, absent now (node removed or control dropped): %s ==\n", plural(len(d.Gone), "result"))
		for _, ch := range d.Gone {
			fmt.Fprintf(w, "[gone] %s %s on %s\n", ch.Key.ID, OneLine(ch.Text), nodeOrCluster(ch.Key.Node))
		}
	}
	if s := summarizeCarry(d); !s.empty() {
		fmt.Fprintf(w, "\nbaseline carried across benchmark versions: %s could not be carried\n", baselineEntries(len(d.Uncarried)))
		for _, l := range s.lines() {
			fmt.Fprintln(w, OneLine(l))
		}
		for _, u := range s.failed {
			fmt.Fprintf(w, "[not carried] %s (FAIL): %s\n", keyText(u.Key), OneLine(u.Reason))
		}
	}
}

func nodeOrCluster(node string) string {
	if node == "" {
		return "the cluster"
	}
	return node
}

func keyText(k benchresult.Key) string {
	return fmt.Sprintf("%s %s %s on %s", k.Benchmark, k.Target, k.ID, nodeOrCluster(k.Node))
}
