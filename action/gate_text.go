package action

import (
	"fmt"
	"io"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
)

// WriteText writes the verdict for a CI log: the decision and why, new
// FAILs first with remediation and nodes, then persisting and fixed ones,
// accepted ones (by whom, until when), exception and baseline problems.
// No line of it is a workflow command (see [LogText]).
func WriteText(w io.Writer, v *Verdict) error {
	return writeLogSafe(w, func(w io.Writer) error { return writeText(w, v) })
}

func writeText(w io.Writer, v *Verdict) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "bench-action gate: %s\n", strings.ToUpper(v.VerdictWord()))
	for _, r := range v.Reasons {
		fmt.Fprintf(ew, "  - %s\n", r)
	}
	c := v.Counts
	cluster := v.Report.Cluster
	if cluster == "" {
		cluster = "(unnamed)"
	}
	fmt.Fprintf(ew, "\ncluster %s: %d node(s), %s\n", cluster, len(v.Report.Inputs), strings.Join(v.Report.Benchmarks(), ", "))
	fmt.Fprintf(ew, "open FAILs %d (new %d, persisting %d), fixed %d, accepted %d; exceptions: %d expired, %d expiring, %d unused, %d retargeted\n",
		c.Fail, c.New, c.Persisting, c.Fixed, c.Accepted, c.Expired, c.Expiring, c.Unused, c.Retargeted)

	if g := v.NewGroups(); len(g) > 0 {
		fmt.Fprintf(ew, "\n== New FAILs (%d controls) ==\n", len(g))
		for _, fg := range g {
			writeGroupText(ew, fg.ControlGroup, "FAIL")
			fmt.Fprintf(ew, "       owner: %s\n", joinOwners(fg.Owners()))
		}
	}
	if g := v.PersistingGroups(); len(g) > 0 {
		fmt.Fprintf(ew, "\n== Persisting FAILs, already in the baseline (%d controls) ==\n", len(g))
		for _, fg := range g {
			fmt.Fprintf(ew, "[FAIL] %s %s\n       nodes: %s; owner: %s\n", fg.Control.ID, oneLine(fg.Control.Text), fg.NodeList(20), joinOwners(fg.Owners()))
		}
	}
	if v.Delta != nil && len(v.Delta.Fixed) > 0 {
		fmt.Fprintf(ew, "\n== Fixed since the baseline (%d) ==\n", len(v.Delta.Fixed))
		for _, ch := range v.Delta.Fixed {
			fmt.Fprintf(ew, "[fixed] %s %s on %s (was %s, now %s)\n", ch.Key.ID, oneLine(ch.Text), nodeOrCluster(ch.Key.Node), ch.Before, ch.After)
		}
	}
	if g := v.AcceptedGroups(); len(g) > 0 {
		fmt.Fprintf(ew, "\n== Accepted by an exception (%d controls) ==\n", len(g))
		for _, fg := range g {
			e := fg.Findings[0].Exception
			fmt.Fprintf(ew, "[accepted] %s %s\n       nodes: %s\n       accepted by %s for %s until %s (%s): %s\n",
				fg.Control.ID, oneLine(fg.Control.Text), fg.NodeList(20), e.RiskAcceptedBy, e.Owner, e.ReviewDate, exceptionWhere(e), oneLine(e.Reason))
		}
	}
	if probs := v.ExceptionProblems(); len(probs) > 0 {
		fmt.Fprintf(ew, "\n== Exceptions needing attention (%d) ==\n", len(probs))
		for _, s := range probs {
			e := s.Exception
			fmt.Fprintf(ew, "[%s] %s (%s), owner %s, review date %s: %s\n", s.State, e.CheckID, exceptionWhere(e), e.Owner, e.ReviewDate, oneLine(s.Detail))
			if s.Suggestion != "" {
				fmt.Fprintf(ew, "       %s\n", oneLine(s.Suggestion))
			}
		}
	}
	writeBaselineText(ew, v)
	writeDriftText(ew, v.Drift, v.Mixed)
	return ew.err
}

func writeBaselineText(w io.Writer, v *Verdict) {
	d := v.Delta
	if d == nil || d.Legacy {
		if d != nil {
			fmt.Fprintf(w, "\nbaseline: the seed's FAIL-count baseline (%d); open FAILs: %d\n", d.LegacyFailCount, v.Counts.Fail)
		}
		return
	}
	if len(d.Gone) > 0 {
		fmt.Fprintf(w, "\n== In the baseline as FAIL, absent now (%d): node removed or control dropped ==\n", len(d.Gone))
		for _, ch := range d.Gone {
			fmt.Fprintf(w, "[gone] %s %s on %s\n", ch.Key.ID, oneLine(ch.Text), nodeOrCluster(ch.Key.Node))
		}
	}
	if len(d.Carried) > 0 || len(d.Uncarried) > 0 {
		fmt.Fprintf(w, "\nbaseline carried across benchmark versions: %d entries mapped by description, %d could not be carried\n", len(d.Carried), len(d.Uncarried))
		for _, u := range d.Uncarried {
			fmt.Fprintf(w, "[not carried] %s: %s\n", keyText(u.Key), oneLine(u.Reason))
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
