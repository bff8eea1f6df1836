package trend

import (
	"sort"
	"strings"
	"time"

	"github.com/bench-action/bench-action/benchresult"
)

// RecordVersion is the version of the record format that NewRecord writes.
const RecordVersion = 1

// Record is one run of the benchmark on one cluster: one line of a history.
type Record struct {
	Version    int                           `json:"v"`
	Time       time.Time                     `json:"time"`
	Cluster    string                        `json:"cluster"`
	Benchmarks []string                      `json:"benchmarks,omitempty"`
	Totals     benchresult.Totals            `json:"totals"`             // as kube-bench counts them (Report.Totals)
	Sections   map[string]benchresult.Totals `json:"sections,omitempty"` // by top-level section ("1".."5"), one count per check identity
	Gate       *GateCounts                   `json:"gate,omitempty"`     // nil when no gate was evaluated
	Failing    map[string][]string           `json:"failing,omitempty"`  // node ("" for cluster-wide checks) → ids that FAIL, sorted
	Text       map[string]string             `json:"text,omitempty"`     // id → description, for the ids in Failing
	// Benchmark says which benchmark each node's failing ids are of (node →
	// benchmark id, "" for an input that does not say) when Benchmarks alone
	// does not: for a run of several benchmarks (a fleet upgraded node by
	// node). Nodes whose FAILs are of several benchmarks are left out. See
	// [Record.BenchmarkOf].
	Benchmark map[string]string `json:"benchmark,omitempty"`
	// Nodes lists the nodes that reported in this run, sorted: what the
	// trend reads a run's coverage from, so that a check of a node that did
	// not report is "not reported", never fixed. Records written before it
	// have none; their coverage is unknown.
	Nodes []string `json:"nodes,omitempty"`
}

// GateCounts is what the gate decided about a run's FAIL checks. The caller
// computes it (the gate lives elsewhere); a zero GateCounts is not recorded.
type GateCounts struct {
	Open     int `json:"open"`     // FAILs no exception covers
	New      int `json:"new"`      // open FAILs not in the baseline
	Fixed    int `json:"fixed"`    // baseline FAILs that no longer fail
	Accepted int `json:"accepted"` // FAILs covered by an exception
}

// NewRecord summarises a report as one history record taken at time at.
// Sections count each check identity once (a cluster-wide check reported by
// several nodes counts once), by the status kube-bench reported.
func NewRecord(r *benchresult.Report, at time.Time, g GateCounts) Record {
	rec := Record{
		Version:    RecordVersion,
		Time:       at.UTC(),
		Cluster:    r.Cluster,
		Benchmarks: r.Benchmarks(),
		Totals:     r.Totals(),
		Sections:   map[string]benchresult.Totals{},
		Nodes:      reportedNodes(r),
	}
	if g != (GateCounts{}) {
		gc := g
		rec.Gate = &gc
	}
	for i := range r.Checks {
		c := &r.Checks[i]
		sec := TopSection(c.ID)
		t := rec.Sections[sec]
		t.Add(c.Status)
		rec.Sections[sec] = t
		if c.Status == benchresult.Fail {
			if rec.Failing == nil {
				rec.Failing = map[string][]string{}
				rec.Text = map[string]string{}
			}
			rec.Failing[c.Node] = append(rec.Failing[c.Node], c.ID)
			rec.Text[c.ID] = c.Text
		}
	}
	for n, ids := range rec.Failing {
		rec.Failing[n] = sortedUnique(ids)
	}
	if nb := failingBenchmarks(r); !allOf(nb, rec.Benchmarks) {
		rec.Benchmark = nb
	}
	return rec
}

// reportedNodes lists the named nodes of a report's inputs, sorted.
func reportedNodes(r *benchresult.Report) []string {
	seen := make(map[string]bool, len(r.Inputs))
	var out []string
	for _, in := range r.Inputs {
		if in.Node != "" && !seen[in.Node] {
			seen[in.Node] = true
			out = append(out, in.Node)
		}
	}
	sort.Strings(out)
	return out
}

// failingBenchmarks maps each node to the benchmark of its FAILs, leaving
// out nodes whose FAILs are of several benchmarks.
func failingBenchmarks(r *benchresult.Report) map[string]string {
	out := map[string]string{}
	mixed := map[string]bool{}
	for i := range r.Checks {
		c := &r.Checks[i]
		if c.Status != benchresult.Fail || mixed[c.Node] {
			continue
		}
		if b, ok := out[c.Node]; ok && b != c.Benchmark {
			delete(out, c.Node)
			mixed[c.Node] = true
			continue
		}
		out[c.Node] = c.Benchmark
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// allOf reports whether every node's benchmark is the run's only one.
func allOf(nodes map[string]string, benchmarks []string) bool {
	if len(benchmarks) == 0 {
		return true // no input said: there is nothing to add
	}
	if len(benchmarks) > 1 {
		return len(nodes) == 0
	}
	for _, b := range nodes {
		if b != benchmarks[0] {
			return false
		}
	}
	return true
}

// TopSection is the top-level section of a check id as kube-bench numbers
// them: "1" for "1.2.1", "4" for "4.2.12".
func TopSection(id string) string {
	if i := strings.IndexByte(id, '.'); i >= 0 {
		return id[:i]
	}
	return id
}

// FailingIDs lists the distinct ids that fail on any node, in id order.
func (r *Record) FailingIDs() []string {
	var ids []string
	for _, l := range r.Failing {
		ids = append(ids, l...)
	}
	return sortedUnique(ids)
}

// FailingNodes lists the nodes on which id fails, sorted ("" is the cluster).
func (r *Record) FailingNodes(id string) []string {
	var nodes []string
	for n, l := range r.Failing {
		for _, x := range l {
			if x == id {
				nodes = append(nodes, n)
				break
			}
		}
	}
	sort.Strings(nodes)
	return nodes
}

func sortedUnique(ids []string) []string {
	if len(ids) == 0 {
		return ids
	}
	s := append([]string(nil), ids...)
	sort.Slice(s, func(i, j int) bool { return benchresult.CompareIDs(s[i], s[j]) < 0 })
	out := s[:1]
	for _, x := range s[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}
