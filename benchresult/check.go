package benchresult

import (
	"strings"
)

// Target is a kube-bench target (its "node_type"): the part of the
// benchmark a group of controls belongs to.
type Target string

// The targets kube-bench knows.
const (
	TargetMaster          Target = "master"
	TargetEtcd            Target = "etcd"
	TargetControlPlane    Target = "controlplane"
	TargetNode            Target = "node"
	TargetPolicies        Target = "policies"
	TargetManagedServices Target = "managedservices"
)

// ClusterWide reports whether the target's checks describe the cluster rather
// than the node they ran on. Their results are merged across nodes with an
// empty node name.
func (t Target) ClusterWide() bool {
	return t == TargetPolicies || t == TargetManagedServices
}

// Control is what a benchmark says about one check: the same on every node
// that ran it. Checks of a fleet share one Control value per benchmark,
// target and id, so a fleet does not repeat remediation text per node.
type Control struct {
	Benchmark   string // benchmark id from kube-bench's "version", e.g. "cis-1.10"; "" when the format does not carry it
	Target      Target // kube-bench's node_type
	Section     string // group id, e.g. "4.2"
	SectionText string // group description
	ID          string // check id, e.g. "4.2.1"; always a string ("7.10" is not 7.1)
	Text        string // check description
	Type        string // "", "manual" or "skip"
	Scored      bool
	Remediation string
	Expected    string // kube-bench's expected_result
}

// Fingerprint identifies the control independently of its id, which benchmark
// versions renumber and reuse: the target plus the normalised description.
func (c *Control) Fingerprint() string {
	return string(c.Target) + ":" + NormalizeText(c.Text)
}

// Check is one control's result on one node (or, for cluster-wide targets,
// on the cluster). kube-bench's actual_value (raw audit output: process
// lines, PIDs, times) is volatile and host specific and is not kept: a
// fleet holds one Check per node and control, and it is never compared.
type Check struct {
	*Control
	Cluster string
	Node    string // "" for cluster-wide targets
	Status  Status // as kube-bench reported it; a profile never changes it
	Reason  string // kube-bench's reason; on a FAIL it means the audit could not run
	// NotApplicable, when set, says why a managed-provider profile took the
	// check out of the operator's hands. Such a check is never gated.
	NotApplicable string
}

// Key identifies a check result across runs: (cluster, node, benchmark, target, id).
type Key struct {
	Cluster   string `json:"cluster,omitempty"`
	Node      string `json:"node,omitempty"`
	Benchmark string `json:"benchmark"`
	Target    Target `json:"target"`
	ID        string `json:"id"`
}

// Key returns the check's identity.
func (c *Check) Key() Key {
	return Key{Cluster: c.Cluster, Node: c.Node, Benchmark: c.Benchmark, Target: c.Target, ID: c.ID}
}

// String renders the key as cluster/node/benchmark/target/id, with "-" for
// empty parts, for messages and fingerprints.
func (k Key) String() string {
	part := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	return part(k.Cluster) + "/" + part(k.Node) + "/" + part(k.Benchmark) + "/" + part(string(k.Target)) + "/" + k.ID
}

// EffectiveStatus is the status the gate sees: NotApplicable when a profile
// marked the check, else the reported status.
func (c *Check) EffectiveStatus() Status {
	if c.NotApplicable != "" {
		return NotApplicable
	}
	return c.Status
}

// CouldNotCheck reports whether a FAIL means the audit could not run
// (kube-bench sets a reason then) rather than that the control is not met.
func (c *Check) CouldNotCheck() bool {
	return c.Status == Fail && c.Reason != ""
}

// NormalizeText folds a check description for comparison across benchmark
// versions: lower case, the "(Automated)", "(Manual)", "(Scored)" and
// "(Not Scored)" markers dropped, runs of white space folded to one space.
func NormalizeText(s string) string {
	s = strings.ToLower(s)
	for _, m := range []string{"(automated)", "(manual)", "(not scored)", "(scored)"} {
		s = strings.ReplaceAll(s, m, " ")
	}
	return strings.Join(strings.Fields(s), " ")
}
