package benchresult

import (
	"slices"
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
	// Totals are as kube-bench counts them: over every check of the
	// output or, when Coverage is not Complete, as the output states them.
	Totals Totals
	Checks []Check // in the order kube-bench printed them
	// Coverage says whether Checks are every check Totals counts.
	Coverage Coverage
	// ByTarget splits Totals by target as the output states them, when
	// Coverage is not Complete (nil otherwise: count Checks).
	ByTarget map[Target]Totals
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
	// Coverage says whether the report's checks from this input are every
	// check its Totals count: "" (complete), "summary-only" or "incomplete".
	Coverage Coverage `json:"coverage,omitempty"`
	// Counted is the input's checks counted by status, when Coverage is not
	// Complete (Totals are then the ones the input states).
	Counted *Totals `json:"counted,omitempty"`
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
	n := 0
	for _, nr := range results {
		n += len(nr.Checks)
	}
	m := newMerger(cluster, n)
	m.shared = nil // every check has its own Control: nothing to remember by address
	for _, nr := range results {
		m.add(nr)
	}
	return m.report()
}

// merger is Merge one node result at a time, so that Load can drop each
// node once it is merged. It keeps no index of every check of the fleet:
// node-scoped checks are looked up only among their own node's, cluster-wide
// ones among the few cluster-wide identities.
type merger struct {
	r        *Report
	controls map[Control]*Control  // one shared Control per distinct control
	shared   map[*Control]*Control // Controls already looked up, by address
	wide     []Check               // cluster-wide checks, merged
	wideAt   map[Key]int           // their index in wide
	spans    map[string][]span     // where each node's checks are in r.Checks
	nodeAt   map[Key]int           // scratch: the current node's checks, by key
	// validated is set when every node result's ids are distinct (Load's,
	// checked by parseBytes), so a new node's checks need no lookup.
	validated bool
	// front is how many slots at the start of r.Checks are kept for the
	// cluster-wide checks, which sort first (their node is "").
	front int
}

type span struct{ start, end int }

func newMerger(cluster string, capacity int) *merger {
	return &merger{
		r:        &Report{Cluster: cluster, Checks: make([]Check, 0, capacity)},
		controls: map[Control]*Control{},
		shared:   map[*Control]*Control{},
		wideAt:   map[Key]int{},
		spans:    map[string][]span{},
		nodeAt:   map[Key]int{},
	}
}

func (m *merger) add(nr *NodeResult) {
	r := m.r
	byTarget := map[Target]Totals{}
	var counted Totals
	for i := range nr.Checks {
		t := byTarget[nr.Checks[i].Target]
		t.Add(nr.Checks[i].Status)
		byTarget[nr.Checks[i].Target] = t
		counted.Add(nr.Checks[i].Status)
	}
	in := InputSummary{Node: nr.Node, Source: nr.Source, Format: nr.Format, Benchmarks: nr.Benchmarks, Totals: nr.Totals, ByTarget: byTarget, Coverage: nr.Coverage}
	if nr.Coverage != Complete {
		listed := counted // escapes: only here
		in.Counted = &listed
		in.ByTarget = make(map[Target]Totals, len(nr.ByTarget))
		for t, tt := range nr.ByTarget {
			in.ByTarget[t] = tt
		}
	}
	r.Inputs = append(r.Inputs, in)
	clear(m.nodeAt)
	spans := m.spans[nr.Node]
	for _, sp := range spans { // the same node given again
		for i := sp.start; i < sp.end; i++ {
			m.nodeAt[r.Checks[i].Key()] = i
		}
	}
	// A node seen for the first time, whose ids are known to be distinct,
	// needs no lookup: each of its checks is new.
	lookup := len(spans) > 0 || !m.validated
	start := len(r.Checks)
	for _, c := range nr.Checks {
		c.Control = m.share(c.Control)
		c.Cluster = m.r.Cluster
		c.Node = nr.Node
		if c.Target.ClusterWide() {
			c.Node = ""
			k := c.Key()
			if i, ok := m.wideAt[k]; !ok {
				m.wideAt[k] = len(m.wide)
				m.wide = append(m.wide, c)
			} else if c.Status.Severity() > m.wide[i].Status.Severity() {
				m.wide[i] = c
			}
			continue
		}
		if lookup {
			k := c.Key()
			if i, ok := m.nodeAt[k]; ok {
				r.Checks[i] = c
				continue
			}
			m.nodeAt[k] = len(r.Checks)
		}
		r.Checks = append(r.Checks, c)
	}
	if len(r.Checks) > start {
		m.spans[nr.Node] = append(m.spans[nr.Node], span{start, len(r.Checks)})
	}
}

// share returns the fleet's one copy of c.
func (m *merger) share(c *Control) *Control {
	if p, ok := m.shared[c]; ok {
		return p
	}
	p, ok := m.controls[*c]
	if !ok {
		p = c
		m.controls[*c] = c
	}
	if m.shared != nil {
		m.shared[c] = p
	}
	return p
}

// report puts the cluster-wide checks first (their node is "") and sorts;
// checks merged in order (nodes in name order, each in kube-bench's order)
// are only verified to be sorted.
func (m *merger) report() *Report {
	r := m.r
	if n := len(m.wide); n <= m.front {
		// Into the slots kept free before the node-scoped checks.
		copy(r.Checks[m.front-n:m.front], m.wide)
		r.Checks = r.Checks[m.front-n:]
	} else {
		r.Checks = append(r.Checks[m.front:], m.wide...)
		// Rotate the cluster-wide checks to the front, in place.
		slices.Reverse(r.Checks)
		slices.Reverse(r.Checks[:n])
		slices.Reverse(r.Checks[n:])
	}
	for i := 1; i < len(r.Checks); i++ {
		if LessCheck(&r.Checks[i], &r.Checks[i-1]) {
			SortChecks(r.Checks)
			break
		}
	}
	if len(r.Checks) == 0 {
		r.Checks = nil
	}
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
