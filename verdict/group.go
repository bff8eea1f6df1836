package verdict

import (
	"sort"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
)

// ControlGroup is one control with the nodes whose checks are in the group:
// how a fleet reads ("1.1.1 fails on cp-1 and cp-2"), instead of one line
// per node.
type ControlGroup struct {
	Control *benchresult.Control
	Checks  []*benchresult.Check // sorted by node
}

// Nodes lists the group's node names; a cluster-wide check shows as "(cluster)".
func (g ControlGroup) Nodes() []string {
	out := make([]string, 0, len(g.Checks))
	for _, c := range g.Checks {
		if c.Node == "" {
			out = append(out, "(cluster)")
		} else {
			out = append(out, c.Node)
		}
	}
	return out
}

// NodeList renders the node names, at most limit of them, then "and N more".
func (g ControlGroup) NodeList(limit int) string {
	if limit > 0 && len(g.Checks) > limit {
		// Name only the nodes shown (a control failing on 10,000 nodes
		// shows 20).
		head := ControlGroup{Control: g.Control, Checks: g.Checks[:limit]}
		return strings.Join(head.Nodes(), ", ") + ", and " + itoa(len(g.Checks)-limit) + " more"
	}
	return strings.Join(g.Nodes(), ", ")
}

// GroupByControl groups checks by control (benchmark, target, id), in
// kube-bench's order.
func GroupByControl(checks []*benchresult.Check) []ControlGroup {
	type key struct{ bench, target, id string }
	index := map[key]int{}
	var out []ControlGroup
	for _, c := range checks {
		k := key{c.Benchmark, string(c.Target), c.ID}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, ControlGroup{Control: c.Control})
		}
		out[i].Checks = append(out[i].Checks, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a := benchresult.Check{Control: out[i].Control}
		b := benchresult.Check{Control: out[j].Control}
		return benchresult.LessCheck(&a, &b)
	})
	for _, g := range out {
		sort.SliceStable(g.Checks, func(i, j int) bool { return g.Checks[i].Node < g.Checks[j].Node })
	}
	return out
}

// Select returns pointers to the checks of r for which keep is true.
func Select(r *benchresult.Report, keep func(*benchresult.Check) bool) []*benchresult.Check {
	var out []*benchresult.Check
	for i := range r.Checks {
		if keep(&r.Checks[i]) {
			out = append(out, &r.Checks[i])
		}
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
