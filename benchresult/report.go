package benchresult

import (
	"sort"
)

// Format is the kube-bench output format an input was read as.
type Format string

// The formats Parse recognises.
const (
	FormatJSON  Format = "json"
	FormatJUnit Format = "junit"
	FormatText  Format = "text"
)

// Totals counts checks by status. Pass, Fail, Warn and Info count exactly as
// kube-bench does; NotApplicable counts the checks a profile marked (they are
// also counted under their reported status).
type Totals struct {
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	Warn          int `json:"warn"`
	Info          int `json:"info"`
	NotApplicable int `json:"not_applicable,omitempty"`
}

// Add counts one status.
func (t *Totals) Add(s Status) {
	switch s {
	case Pass:
		t.Pass++
	case Fail:
		t.Fail++
	case Warn:
		t.Warn++
	case Info:
		t.Info++
	case NotApplicable:
		t.NotApplicable++
	}
}

// Plus returns the sum of two totals.
func (t Totals) Plus(u Totals) Totals {
	return Totals{Pass: t.Pass + u.Pass, Fail: t.Fail + u.Fail, Warn: t.Warn + u.Warn, Info: t.Info + u.Info, NotApplicable: t.NotApplicable + u.NotApplicable}
}

// NodeResult is one kube-bench output: one run on one node.
type NodeResult struct {
	Node       string   // who ran it; kube-bench never records it, the caller names it
	Source     string   // where it was read from (a path, "-", ...), for messages
	Format     Format   // what it was read as
	Benchmarks []string // the benchmark ids it reports, in order of appearance
	Totals     Totals   // as kube-bench counts them, over every check of the output
	Checks     []Check  // in the order kube-bench printed them
}

// Report is a fleet: the results of many nodes of one cluster, merged.
type Report struct {
	Cluster string
	Inputs  []InputSummary // one per NodeResult, in the order given
	// Checks holds one entry per identity (see [Key]): node-scoped checks once
	// per node, cluster-wide ones (policies, managedservices) once per
	// cluster. Sorted by node, then target, then id.
	Checks []Check
}

// InputSummary is what a Report keeps of each NodeResult.
type InputSummary struct {
	Node       string   `json:"node"`
	Source     string   `json:"source"`
	Format     Format   `json:"format"`
	Benchmarks []string `json:"benchmarks"`
	Totals     Totals   `json:"totals"`
	// ByTarget splits Totals by target.
	ByTarget map[Target]Totals `json:"by_target"`
}

// Totals sums kube-bench's totals over every input, exactly as kube-bench
// counts them (a cluster-wide check reported by three nodes counts three
// times, as it does in the three outputs), plus the checks a profile marked
// not applicable.
func (r *Report) Totals() Totals {
	var t Totals
	for _, in := range r.Inputs {
		t = t.Plus(in.Totals)
	}
	return t
}

// Benchmarks lists the distinct benchmark ids of the report, sorted.
func (r *Report) Benchmarks() []string {
	seen := map[string]bool{}
	var out []string
	for _, in := range r.Inputs {
		for _, b := range in.Benchmarks {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Merge joins node results into one cluster report. Node-scoped checks keep
// their node; cluster-wide checks (policies, managedservices) are merged
// into one check per benchmark and id with an empty node, keeping the most
// severe status any node reported. A later result for the same identity
// (the same node given twice) replaces the earlier one.
func Merge(cluster string, results ...*NodeResult) *Report {
	r := &Report{Cluster: cluster}
	index := map[Key]int{}
	controls := map[Control]*Control{} // one shared Control per distinct control
	for _, nr := range results {
		byTarget := map[Target]Totals{}
		for i := range nr.Checks {
			t := byTarget[nr.Checks[i].Target]
			t.Add(nr.Checks[i].Status)
			byTarget[nr.Checks[i].Target] = t
		}
		r.Inputs = append(r.Inputs, InputSummary{Node: nr.Node, Source: nr.Source, Format: nr.Format, Benchmarks: nr.Benchmarks, Totals: nr.Totals, ByTarget: byTarget})
		for _, c := range nr.Checks {
			if shared, ok := controls[*c.Control]; ok {
				c.Control = shared
			} else {
				controls[*c.Control] = c.Control
			}
			c.Cluster = cluster
			c.Node = nr.Node
			if c.Target.ClusterWide() {
				c.Node = ""
			}
			k := c.Key()
			i, ok := index[k]
			switch {
			case !ok:
				index[k] = len(r.Checks)
				r.Checks = append(r.Checks, c)
			case c.Target.ClusterWide():
				if c.Status.Severity() > r.Checks[i].Status.Severity() {
					r.Checks[i] = c
				}
			default:
				r.Checks[i] = c
			}
		}
	}
	SortChecks(r.Checks)
	return r
}

// SortChecks orders checks by node, benchmark, target (kube-bench's order),
// then id compared numerically part by part ("1.2.10" after "1.2.9").
func SortChecks(cs []Check) {
	sort.SliceStable(cs, func(i, j int) bool { return LessCheck(&cs[i], &cs[j]) })
}

// LessCheck is the order of SortChecks.
func LessCheck(a, b *Check) bool {
	if a.Node != b.Node {
		return a.Node < b.Node
	}
	if a.Benchmark != b.Benchmark {
		return a.Benchmark < b.Benchmark
	}
	if a.Target != b.Target {
		return TargetRank(a.Target) < TargetRank(b.Target) || (TargetRank(a.Target) == TargetRank(b.Target) && a.Target < b.Target)
	}
	return CompareIDs(a.ID, b.ID) < 0
}

// TargetRank orders targets as kube-bench numbers them: master, etcd,
// controlplane, node, policies, managedservices, then any other.
func TargetRank(t Target) int {
	switch t {
	case TargetMaster:
		return 1
	case TargetEtcd:
		return 2
	case TargetControlPlane:
		return 3
	case TargetNode:
		return 4
	case TargetPolicies:
		return 5
	case TargetManagedServices:
		return 6
	}
	return 7
}

// CompareIDs compares check ids part by part, numerically where both parts
// are numbers: "1.2.9" < "1.2.10" < "1.3". It returns -1, 0 or +1.
func CompareIDs(a, b string) int {
	for a != "" || b != "" {
		var pa, pb string
		pa, a = cutDot(a)
		pb, b = cutDot(b)
		if pa == pb {
			continue
		}
		na, okA := atoi(pa)
		nb, okB := atoi(pb)
		switch {
		case okA && okB && na != nb:
			if na < nb {
				return -1
			}
			return 1
		case pa < pb:
			return -1
		case pa > pb:
			return 1
		}
	}
	return 0
}

func cutDot(s string) (string, string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

func atoi(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}
