package trend

import "time"

// FailingSince returns, for each control failing in the last run of a
// cluster, the time of the first run of its streak: the runs in which it
// has failed without a break, up to the last. The trend report's "Failing
// now" table and the tracking issues' "failing since" say the same.
//
// A streak follows the control, not its id: a control renumbered by a
// benchmark upgrade (cis-1.8's 1.2.17 is cis-1.10's 1.2.16) keeps its
// streak, and an id that an upgrade gave to another control starts a new
// one. A run in which the control's nodes did not report neither breaks
// nor restarts the streak (their last known state is failing, see
// [CoverageWindow]); a run in which they reported and it did not fail
// ends it, and failing again later starts a new one. A node gone from the
// fleet for longer than CoverageWindow runs no longer carries its
// failures: should it come back still failing, that is a new streak.
//
// The map is keyed by the control's id in the last run (its benchmark's
// numbering), for the nodes that reported in it; a control that fails
// there only on nodes that did not report is left out. Should one id name
// two controls in the last run (a fleet upgraded node by node, its nodes
// on two benchmarks), the earlier start is kept. The map is nil when the
// history has no run of the cluster.
func (h *History) FailingSince(cluster string) map[string]time.Time {
	runs := h.Runs(cluster)
	if len(runs) == 0 {
		return nil
	}
	ct := analyseCluster(cluster, runs, ReportOptions{})
	out := make(map[string]time.Time, len(ct.Failing))
	for _, f := range ct.Failing {
		if len(f.Nodes) == 0 {
			continue // last known failing on nodes that did not report
		}
		if t, ok := out[f.ID]; !ok || f.Since.Before(t) {
			out[f.ID] = f.Since
		}
	}
	return out
}
