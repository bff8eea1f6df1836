package baseline

import (
	"fmt"
	"math/rand"
	"slices"
	"testing"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/google/go-cmp/cmp"
)

// TestSortCarriedIsStable holds sortCarried to slices.SortStableFunc, for
// carries of a sorted baseline (the fast path) and of entries that are
// unsorted or repeat a key (the fallback).
func TestSortCarriedIsStable(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewSource(1))
	for _, sorted := range []bool{true, false} {
		for n := range 200 {
			entries := make([]Entry, n)
			for j := range entries {
				entries[j].Key = benchresult.Key{Node: fmt.Sprint(r.Intn(6)), Benchmark: "cis-1.9", Target: benchresult.TargetMaster, ID: fmt.Sprint("1.", r.Intn(8))}
			}
			if sorted {
				slices.SortFunc(entries, compareEntries)
				entries = slices.CompactFunc(entries, func(a, b Entry) bool { return a.Key == b.Key })
			}
			var cs []Carry
			var from []int32
			for _, j := range r.Perm(len(entries)) {
				if r.Intn(4) > 0 {
					cs = append(cs, Carry{From: entries[j].Key, Text: fmt.Sprint(len(cs))})
					from = append(from, int32(j))
				}
			}
			want := slices.Clone(cs)
			slices.SortStableFunc(want, func(a, b Carry) int { return CompareKeys(a.From, b.From) })
			sortCarried(cs, from, len(entries))
			if d := cmp.Diff(want, cs); d != "" {
				t.Fatalf("%d carries of %d entries, sorted %v (-SortStableFunc +sortCarried):\n%s", len(cs), len(entries), sorted, d)
			}
		}
	}
}
