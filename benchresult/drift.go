package benchresult

import "sort"

// Role is what a node is in the cluster, judged from the targets its output
// covers: a node that reports master, controlplane or etcd checks is a
// control-plane node, any other a worker.
type Role string

// The roles.
const (
	RoleControlPlane Role = "control-plane"
	RoleWorker       Role = "worker"
)

// Drift is a control whose status differs between nodes of the same role:
// the sign of a node built from another image or changed by hand.
type Drift struct {
	Control *Control
	Role    Role
	// Nodes maps each status seen to the nodes reporting it, sorted.
	Nodes map[Status][]string
	// Odd are the nodes whose status is the minority one (ties: the
	// nodes with the more severe status).
	Odd []string
}

// Roles returns the role of each node of the report.
func Roles(r *Report) map[string]Role {
	roles := map[string]Role{}
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Node == "" {
			continue
		}
		if _, ok := roles[c.Node]; !ok {
			roles[c.Node] = RoleWorker
		}
		if c.Target == TargetMaster || c.Target == TargetControlPlane || c.Target == TargetEtcd {
			roles[c.Node] = RoleControlPlane
		}
	}
	return roles
}

// FindDrift lists the controls whose reported status differs between nodes of
// the same role, sorted by role, benchmark, target and id. Cluster-wide
// checks have no node and never drift.
func FindDrift(r *Report) []Drift {
	roles := Roles(r)
	type group struct {
		role    Role
		control *Control
		nodes   map[Status][]string
	}
	type key struct {
		role              Role
		bench, target, id string
	}
	groups := map[key]*group{}
	var order []key
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Node == "" {
			continue
		}
		k := key{roles[c.Node], c.Benchmark, string(c.Target), c.ID}
		g, ok := groups[k]
		if !ok {
			g = &group{role: k.role, control: c.Control, nodes: map[Status][]string{}}
			groups[k] = g
			order = append(order, k)
		}
		g.nodes[c.Status] = append(g.nodes[c.Status], c.Node)
	}
	var out []Drift
	for _, k := range order {
		g := groups[k]
		if len(g.nodes) < 2 {
			continue
		}
		var odd []string
		var oddStatus Status
		for st, nodes := range g.nodes {
			sort.Strings(nodes)
			if odd == nil || len(nodes) < len(odd) || (len(nodes) == len(odd) && st.Severity() > oddStatus.Severity()) {
				odd, oddStatus = nodes, st
			}
		}
		out = append(out, Drift{Control: g.control, Role: g.role, Nodes: g.nodes, Odd: odd})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Role != b.Role {
			return a.Role < b.Role
		}
		ca := Check{Control: a.Control}
		cb := Check{Control: b.Control}
		return LessCheck(&ca, &cb)
	})
	return out
}

// MixedBenchmarks returns, when the report holds results of more than one
// benchmark, the nodes of each benchmark (results of cis-1.8 and cis-1.10 are
// not comparable check by check). It returns nil for a single benchmark.
func MixedBenchmarks(r *Report) map[string][]string {
	out := map[string][]string{}
	for _, in := range r.Inputs {
		for _, b := range in.Benchmarks {
			out[b] = append(out[b], in.Node)
		}
	}
	if len(out) < 2 {
		return nil
	}
	for _, nodes := range out {
		sort.Strings(nodes)
	}
	return out
}
