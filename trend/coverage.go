package trend

import (
	"slices"
	"sort"
	"time"
)

// A run that did not hear from every node of the fleet is not a run in
// which that node's checks were fixed: its FAILs are "not reported". The
// nodes a run is expected to cover are those that reported in it or in one
// of the CoverageWindow runs before it (the fleet's recent runs), so a node
// that is gone for good stops being expected after that many runs. A check
// that failed on a node that did not report is carried forward as failing
// (last known state) while the node is expected; when the node is no
// longer expected, its checks are "no longer reported", never fixed.
// Records without Nodes (written before it) have an unknown coverage and
// are read as before: by what failed.

// CoverageWindow is how many runs before a run name the nodes it is
// expected to cover.
const CoverageWindow = 4

// coverage is what one run heard from: how many of the expected nodes
// reported, and which expected nodes did not.
type coverage struct {
	Known              bool // the record lists its nodes
	Reported, Expected int
	Missing            []string // expected nodes that did not report, sorted
	reported, expected map[string]bool
}

// Partial reports whether the run missed an expected node.
func (c coverage) Partial() bool { return c.Known && c.Reported < c.Expected }

// reports reports whether node reported in the run ("" is the cluster:
// it reported when any node did). Unknown coverage reports everything.
func (c coverage) reports(node string) bool {
	if !c.Known {
		return true
	}
	if node == "" {
		return c.Reported > 0
	}
	return c.reported[node]
}

// coverages works out the coverage of each run of a cluster, by time.
func coverages(runs []Record) []coverage {
	out := make([]coverage, len(runs))
	for i := range runs {
		if runs[i].Nodes == nil {
			continue
		}
		c := coverage{Known: true, reported: map[string]bool{}, expected: map[string]bool{}}
		for _, n := range runs[i].Nodes {
			c.reported[n] = true
			c.expected[n] = true
		}
		for k := max(0, i-CoverageWindow); k < i; k++ {
			for _, n := range runs[k].Nodes {
				if !c.expected[n] {
					c.expected[n] = true
					c.Missing = append(c.Missing, n)
				}
			}
		}
		sort.Strings(c.Missing)
		c.Reported, c.Expected = len(c.reported), len(c.expected)
		out[i] = c
	}
	return out
}

// carry adds to cur (a run's failures) the failures of prev (the run
// before, already carried) on nodes that did not report in cur but are
// still expected: their last known state is failing. The nodes carried are
// in Missing.
func carry(prev, cur []failure, cov coverage) []failure {
	if !cov.Known {
		return cur
	}
	type key struct{ id, bench string }
	at := map[key]int{}
	for j, b := range cur {
		at[key{b.ID, b.Benchmark}] = j
	}
	added := false
	for _, a := range prev {
		var missing []string
		for _, n := range append(slices.Clip(a.Nodes), a.Missing...) {
			if n != "" && !cov.reported[n] && cov.expected[n] {
				missing = append(missing, n)
			}
		}
		if len(missing) == 0 {
			continue
		}
		k := key{a.ID, a.Benchmark}
		j, ok := at[k]
		if !ok {
			cur = append(cur, failure{ID: a.ID, Benchmark: a.Benchmark})
			j = len(cur) - 1
			at[k] = j
			added = true
		}
		cur[j].Missing = appendMissing(cur[j].Missing, missing)
	}
	if added {
		sortFailures(cur)
	}
	return cur
}

func appendMissing(list, add []string) []string {
	for _, n := range add {
		if !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	sort.Strings(list)
	return list
}

// unreported lists a's nodes that did not report in a run: a failure that
// stops there is not fixed.
func unreported(a failure, cov coverage) []string {
	var out []string
	for _, n := range append(slices.Clip(a.Nodes), a.Missing...) {
		if !cov.reports(n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// A cluster is stale when its last run is more than StaleAfter older than
// the newest run of the history (of any cluster), and more than twice its
// own usual interval between runs (the median): a cluster checked daily is
// stale three days behind the others, one checked weekly fifteen days
// behind. The newest run of the history, not the clock, is the reference,
// so a history of one cluster is never stale and a report is reproducible.

// StaleAfter is the least lag behind the newest run that makes a cluster
// stale.
const StaleAfter = 3 * 24 * time.Hour

// staleness returns how far a cluster's last run is behind newest, and
// whether that makes it stale.
func staleness(runs []Record, newest time.Time) (time.Duration, bool) {
	lag := newest.Sub(runs[len(runs)-1].Time)
	if lag <= StaleAfter {
		return lag, false
	}
	if len(runs) < 2 {
		return lag, true
	}
	gaps := make([]time.Duration, len(runs)-1)
	for i := 1; i < len(runs); i++ {
		gaps[i-1] = runs[i].Time.Sub(runs[i-1].Time)
	}
	slices.Sort(gaps)
	return lag, lag > 2*gaps[len(gaps)/2]
}
