package trend

import (
	"slices"
	"sort"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// A trend follows a control, not an id: benchmark versions renumber checks
// (cis-1.8's 1.2.17, --audit-log-path, is cis-1.10's 1.2.16) and reuse ids
// for other checks (cis-1.10's 1.2.16 is not cis-1.8's 1.2.16, --profiling).
// Two failures of different runs are the same control when they are the
// same id of the same benchmark, or when the catalog finds the earlier
// one's control in the later one's benchmark under the later one's id. When the catalog
// cannot tell (a benchmark it does not know, a record that does not say the
// benchmark), the id decides, as it did before the catalog.

// failure is a control failing in one run: its id, the benchmark it was run
// against ("" when the record does not say), the nodes it fails on, and
// the nodes it last failed on that did not report in the run (see carry).
type failure struct {
	ID, Benchmark string
	Nodes         []string
	Missing       []string
}

// failures lists what fails in a run, one entry per id and benchmark, in
// id order.
func failures(r *Record) []failure {
	type key struct{ id, bench string }
	nodes := map[key][]string{}
	for n, ids := range r.Failing {
		b := r.BenchmarkOf(n)
		for _, id := range ids {
			k := key{id, b}
			nodes[k] = append(nodes[k], n)
		}
	}
	out := make([]failure, 0, len(nodes))
	for k, ns := range nodes {
		sort.Strings(ns)
		out = append(out, failure{ID: k.id, Benchmark: k.bench, Nodes: ns})
	}
	sortFailures(out)
	return out
}

// sortFailures orders failures by id, then benchmark.
func sortFailures(out []failure) {
	sort.Slice(out, func(i, j int) bool {
		if c := benchresult.CompareIDs(out[i].ID, out[j].ID); c != 0 {
			return c < 0
		}
		return out[i].Benchmark < out[j].Benchmark
	})
}

// BenchmarkOf returns the benchmark that node's failing checks were run
// against: the record's per-node entry, else the run's only benchmark; ""
// when the record cannot say (a run of several benchmarks without per-node
// entries, as records written before them, or a node whose FAILs come from
// several benchmarks).
func (r *Record) BenchmarkOf(node string) string {
	if b, ok := r.Benchmark[node]; ok {
		return b
	}
	if len(r.Benchmarks) == 1 && len(r.Benchmark) == 0 {
		return r.Benchmarks[0]
	}
	return ""
}

// controls decides whether failures are the same control, memoising the
// catalog's look-ups (a fleet repeats the same controls on every run).
type controls struct {
	moved map[[3]string]*[]string // from, to, id → the control's ids in to; nil: the catalog cannot say
}

func newControls() *controls { return &controls{moved: map[[3]string]*[]string{}} }

// links returns, for each failure of cur (a later run), the failures of
// prev that are the same control: indexes into prev, in prev's order.
// It costs one look-up per failure of prev and benchmark of cur.
func (m *controls) links(prev, cur []failure) [][]int {
	type key struct{ bench, id string }
	var benches []string // cur's benchmarks, in order of appearance
	for _, b := range cur {
		if !slices.Contains(benches, b.Benchmark) {
			benches = append(benches, b.Benchmark)
		}
	}
	// Where each failure of prev is in each benchmark of cur: by the
	// catalog between two benchmarks it knows, else by id.
	at := map[key][]int{}
	for k, a := range prev {
		for _, to := range benches {
			if a.Benchmark != to && a.Benchmark != "" && to != "" {
				if ids, ok := m.idsIn(a, to); ok {
					for _, id := range ids {
						at[key{to, id}] = append(at[key{to, id}], k)
					}
					continue
				}
			}
			at[key{to, a.ID}] = append(at[key{to, a.ID}], k)
		}
	}
	out := make([][]int, len(cur))
	for j, b := range cur {
		out[j] = at[key{b.Benchmark, b.ID}]
	}
	return out
}

// linked marks the failures of prev that some failure of cur continues.
func (m *controls) linked(prev, cur []failure) []bool {
	out := make([]bool, len(prev))
	for _, ks := range m.links(prev, cur) {
		for _, k := range ks {
			out[k] = true
		}
	}
	return out
}

// absent reports whether a's control exists in none of the benchmarks (of
// another run): of a later run, it vanished rather than being fixed; of an
// earlier one, the benchmark upgrade added it. It is false when one of them
// is a's own benchmark or the catalog cannot tell.
func (m *controls) absent(a failure, benchmarks []string) bool {
	if a.Benchmark == "" || len(benchmarks) == 0 {
		return false
	}
	for _, b := range benchmarks {
		if b == a.Benchmark {
			return false
		}
		ids, ok := m.idsIn(a, b)
		if !ok || len(ids) > 0 {
			return false
		}
	}
	return true
}

// idsIn returns the ids that a's control has in benchmark to; false when
// the catalog knows a's benchmark, control or to not.
func (m *controls) idsIn(a failure, to string) ([]string, bool) {
	k := [3]string{a.Benchmark, to, a.ID}
	if r, ok := m.moved[k]; ok {
		if r == nil {
			return nil, false
		}
		return *r, true
	}
	var r *[]string
	if catalog.Known(a.Benchmark) && catalog.Known(to) {
		if c, ok := catalog.Lookup(a.Benchmark, "", a.ID); ok {
			ids := []string{}
			for _, f := range catalog.Find(to, c.Identity) {
				ids = append(ids, f.ID)
			}
			r = &ids
		}
	}
	m.moved[k] = r
	if r == nil {
		return nil, false
	}
	return *r, true
}
