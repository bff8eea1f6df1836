// Package baseline records the state of a fleet's kube-bench results and
// tells, on a later run, what is new, what persists, what was fixed and what
// disappeared, so that a gate fails on regressions and not on known debt.
//
// It is a library: no clock, no environment, no exit. Errors about a file
// are [*benchresult.InputError] values naming the file and the line.
//
// # Baselines
//
// A [Baseline] is the set of check identities (cluster, node, benchmark,
// target, id: [benchresult.Key]) with the status each had and the
// description of its control. [FromChecks] makes one from results (usually
// [benchresult.Report].Checks); [Baseline.WriteTo] writes it; [Parse] and
// [Read] read it back.
//
// Checks a managed-provider profile marked not applicable are stored with
// the status "NOT APPLICABLE", the status the gate saw: if the profile is
// later dropped and the check FAILs, that FAIL is new, not persisting.
//
// # The file
//
// The file (by convention [DefaultFileName], committed next to the
// workflow) is JSON with one check per line, sorted by [CompareKeys], so that
// the same results always give the same bytes and an update reads well in
// review:
//
//	{"version":1,"checks":[
//	{"cluster":"prod","node":"cp-1","benchmark":"cis-1.10","target":"master","id":"1.1.1","status":"FAIL","text":"Ensure that ..."},
//	{"cluster":"prod","node":"","benchmark":"cis-1.10","target":"policies","id":"5.1.1","status":"WARN","text":"Ensure that ..."}
//	]}
//
// Cluster-wide targets (policies, managedservices) have an empty node.
// Fields id, target and status are required; cluster, node, benchmark and
// text may be left out (empty). Parse refuses anything else: unknown
// fields, wrong types, unknown statuses, an identity listed twice.
//
// The seed's baseline, a file holding only an integer (the number of FAILs
// when it was taken), is still read: it gives a Baseline with Legacy set,
// and the gate fails when the open FAILs are above that number.
//
// # Comparing
//
// [Diff] sorts current checks and baseline entries into a [Delta]: New,
// Persisting, Fixed, Gone (the identity is no longer reported: not a fix)
// and Changed. When the benchmark version changed (cis-1.8 → cis-1.10), ids
// are not to be trusted, since versions renumber and reuse them: baseline
// entries are carried to the new version by their control's identity in
// the [catalog] (what kube-bench audits and tests, not the words), and by
// their fingerprint (target and normalised description) only for a
// benchmark the catalog does not know. Each carried entry is listed
// (Carried, old id → new id, and how: [CarryByIdentity] or
// [CarryByDescription] with why); each entry that could not be carried is
// listed with the reason (Uncarried), never dropped silently: among them,
// whatever their status, the controls and whole targets that no longer
// exist in the new version ("no longer in cis-1.10"). A FAIL of a control
// that the older version did not have is Added, not New: the cluster did
// not change, the benchmark did.
//
// To update a baseline, write [FromChecks] of the current results.
package baseline
