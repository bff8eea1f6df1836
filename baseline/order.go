package baseline

import (
	"slices"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
)

// CompareKeys orders check identities as the baseline file does: by
// cluster, then as [benchresult.LessCheck] (node, benchmark, target in
// kube-bench's order, id compared numerically part by part). It returns -1,
// 0 or +1.
func CompareKeys(a, b benchresult.Key) int {
	if c := strings.Compare(a.Cluster, b.Cluster); c != 0 {
		return c
	}
	if c := strings.Compare(a.Node, b.Node); c != 0 {
		return c
	}
	if c := strings.Compare(a.Benchmark, b.Benchmark); c != 0 {
		return c
	}
	if a.Target != b.Target {
		ra, rb := targetRank(a.Target), targetRank(b.Target)
		if ra != rb {
			if ra < rb {
				return -1
			}
			return 1
		}
		return strings.Compare(string(a.Target), string(b.Target))
	}
	return benchresult.CompareIDs(a.ID, b.ID)
}

// targetRank mirrors benchresult's order of targets (kube-bench's order).
func targetRank(t benchresult.Target) int {
	switch t {
	case benchresult.TargetMaster:
		return 1
	case benchresult.TargetEtcd:
		return 2
	case benchresult.TargetControlPlane:
		return 3
	case benchresult.TargetNode:
		return 4
	case benchresult.TargetPolicies:
		return 5
	case benchresult.TargetManagedServices:
		return 6
	}
	return 7
}

func compareEntries(a, b Entry) int { return CompareKeys(a.Key, b.Key) }

func sortEntries(es []Entry) {
	if !slices.IsSortedFunc(es, compareEntries) {
		slices.SortStableFunc(es, compareEntries)
	}
}

func compareChanges(a, b Change) int { return CompareKeys(a.Key, b.Key) }

func sortChanges(cs []Change) {
	if !slices.IsSortedFunc(cs, compareChanges) {
		slices.SortStableFunc(cs, compareChanges)
	}
}
