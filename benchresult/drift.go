package benchresult

import (
	"slices"
	"sort"
)

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
	// Counts is how many nodes reported each status.
	Counts map[Status]int
	// Nodes names, for each status, the nodes reporting it, sorted, at most
	// MaxDriftNodes of them (Counts has the full number): a fleet of
	// thousands of workers is not listed node by node.
	Nodes map[Status][]string
	// Odd are the nodes of the minority status (ties: the more severe
	// status), at most MaxDriftNodes of them.
	Odd []string
	// OddStatus is the minority status.
	OddStatus Status
}

// MaxDriftNodes caps the node names a Drift lists per status.
const MaxDriftNodes = 20

// Roles returns the role of each node of the report.
func Roles(r *Report) map[string]Role {
	roles := map[string]Role{}
	last, lastRole := "", Role("") // a node's checks are mostly together
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Node == "" {
			continue
		}
		cp := c.Target == TargetMaster || c.Target == TargetControlPlane || c.Target == TargetEtcd
		if c.Node == last && (!cp || lastRole == RoleControlPlane) {
			continue // nothing to change
		}
		if _, ok := roles[c.Node]; !ok {
			roles[c.Node] = RoleWorker
		}
		if cp {
			roles[c.Node] = RoleControlPlane
		}
		last, lastRole = c.Node, roles[c.Node]
	}
	return roles
}

// FindDrift lists the controls whose reported status differs between nodes of
// the same role, sorted by role, benchmark, target and id. Cluster-wide
// checks have no node and never drift. It counts first and names nodes only
// for the controls that drift, so its memory does not grow with the fleet.
func FindDrift(r *Report) []Drift {
	roles := Roles(r)
	type key struct{ bench, target, id string }
	type group struct {
		control *Control
		role    Role
		counts  [NotApplicable + 1]int32
		nodes   map[Status][]string
		quiet   bool // one status on every node: no drift
	}
	// A group is a control and a role. Checks share one *Control per
	// control and parsing worker: the strings are hashed once per
	// pointer, and a node's role looked up once per run of its checks.
	controls := map[key]int32{}   // a control's number
	byPtr := map[*Control]int32{} // the number of the control a pointer names
	var roleList []Role           // the roles seen, numbered
	var groupOf [][]int32         // control number → role number → group, -1 for none
	var groups []group
	lastNode, lastRole := "", -1
	at := make([]int32, len(r.Checks)) // each check's group, -1 for none
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Node == "" {
			at[i] = -1
			continue
		}
		if c.Node != lastNode || lastRole < 0 {
			role := roles[c.Node]
			lastNode, lastRole = c.Node, slices.Index(roleList, role)
			if lastRole < 0 {
				lastRole = len(roleList)
				roleList = append(roleList, role)
			}
		}
		ci, ok := byPtr[c.Control]
		if !ok {
			k := key{c.Benchmark, string(c.Target), c.ID}
			if ci, ok = controls[k]; !ok {
				ci = int32(len(groupOf))
				controls[k] = ci
				groupOf = append(groupOf, nil)
			}
			byPtr[c.Control] = ci
		}
		for len(groupOf[ci]) <= lastRole {
			groupOf[ci] = append(groupOf[ci], -1)
		}
		g := groupOf[ci][lastRole]
		if g < 0 {
			g = int32(len(groups))
			groupOf[ci][lastRole] = g
			groups = append(groups, group{control: c.Control, role: roleList[lastRole]})
		}
		at[i] = g
		if int(c.Status) < len(groups[g].counts) {
			groups[g].counts[c.Status]++
		}
	}
	drifts := func(g *group) bool {
		n := 0
		for _, k := range g.counts {
			if k > 0 {
				n++
			}
		}
		return n > 1
	}
	for gi := range groups {
		if !drifts(&groups[gi]) {
			groups[gi].quiet = true
		}
	}
	for i := range r.Checks {
		g := at[i]
		if g < 0 || groups[g].quiet {
			continue
		}
		c := &r.Checks[i]
		if groups[g].nodes == nil {
			groups[g].nodes = map[Status][]string{}
		}
		if names := groups[g].nodes[c.Status]; len(names) < MaxDriftNodes {
			groups[g].nodes[c.Status] = append(names, c.Node)
		}
	}
	var out []Drift
	for gi := range groups {
		g := &groups[gi]
		if g.nodes == nil {
			continue
		}
		d := Drift{Control: g.control, Role: g.role, Counts: map[Status]int{}, Nodes: g.nodes}
		oddN := int32(-1)
		for st, n := range g.counts {
			if n == 0 {
				continue
			}
			s := Status(st)
			d.Counts[s] = int(n)
			sort.Strings(g.nodes[s])
			if oddN < 0 || n < oddN || (n == oddN && s.Severity() > d.OddStatus.Severity()) {
				oddN, d.OddStatus = n, s
			}
		}
		d.Odd = g.nodes[d.OddStatus]
		out = append(out, d)
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
