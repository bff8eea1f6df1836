// Package benchresult reads kube-bench output, every shape of it, into one
// model of a fleet: nodes × targets × groups × checks.
//
// kube-bench (https://github.com/aquasecurity/kube-bench) runs the CIS
// Kubernetes Benchmark on one node and prints JSON (--json), JUnit XML
// (--junit) or text. Its output never names the node or the cluster; a
// fleet is many outputs, one per node, that the caller names.
//
// # Reading
//
// [Parse] reads one output and detects its format from the content: the
// JSON envelope {"Controls":[...],"Totals":{...}} of kube-bench 0.5 and
// later, the bare array of --nototals (and of 0.3.1–0.4), the concatenated
// objects of 0.3.0 and earlier, JUnit with the exact status recovered from
// <system-out>, and text, each also as `kubectl logs` captures it (log lines
// before the results, `kubectl logs --prefix` prefixes), and text as it
// looks after a copy and paste. Every error is an [*InputError] naming the
// input and, where known, the line.
//
// An output that states its own totals is held to them: where they
// disagree with its results, Parse refuses it with a [*TotalsError] (the
// input disagrees with itself), or, with [Options.TrustTotals], reads it
// with the stated totals as [Incomplete]. Text printed with --noresults
// reads as [SummaryOnly]: the totals it states, and no checks.
//
// [ResolveInputs] turns command-line inputs (files, directories, globs,
// NODE=PATH, "-") into [Source] values named by node, and [Load] parses them
// on all cores and merges them with [Merge] into a [Report].
//
// # The model
//
// A [Check] is one result: a shared [*Control] (what the benchmark says:
// benchmark id, target, section, id, description, remediation) plus the
// node, the [Status] and kube-bench's reason. Its identity across runs is a
// [Key]: cluster, node, benchmark, target, id. Checks of the cluster-wide
// targets (policies, managedservices) are merged across nodes with an empty
// node. [Control.Fingerprint] identifies a control across benchmark
// versions, which renumber ids.
//
// # Managed clusters and fleets
//
// [ApplyProfile] marks the controls a managed provider (EKS, GKE, AKS) runs
// as not applicable, visibly, without changing kube-bench's totals.
// [FindDrift] lists controls whose status differs between nodes of the same
// [Role], and [MixedBenchmarks] warns when nodes ran different benchmarks.
package benchresult
