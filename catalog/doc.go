// Package catalog is what kube-bench's benchmarks define, generated from
// kube-bench's own cfg/ of every supported kube-bench release: per benchmark
// and check id, the [Control] (target, section, text, manual or automated,
// scored), what it audits and what it tests, and the [Identity] of the
// control across benchmark versions. It imports nothing of this module.
//
// # Looking up
//
// [Lookup] finds one control by benchmark, target and id; [Controls] lists a
// benchmark's controls and [Benchmarks] the benchmarks known; [Known] says
// whether a benchmark is in the catalog, [KubeBenchReleases] which releases
// it was built from.
//
// # Identity across versions
//
// CIS versions renumber and reuse ids (1.2.16 is --audit-log-path in cis-1.9
// but --profiling in cis-1.8). A control's [Identity] is what it audits and
// tests, not its wording: [Find] gives the controls of another benchmark
// with the same identity, [Resolve] reads a free-text description (an
// exception's check_description) into [Match] values, best first.
//
// # Example
//
//	if c, ok := catalog.Lookup("cis-1.10", "master", "1.2.16"); ok {
//		for _, later := range catalog.Find("cis-1.11", c.Identity) {
//			fmt.Println(later.ID, later.Text)
//		}
//	}
package catalog
