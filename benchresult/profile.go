package benchresult

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Profile says which controls of a managed cluster the operator cannot
// change because the provider runs them. Apply marks those checks
// NotApplicable with the profile's reason: they stay in the report, visibly,
// and are never gated; kube-bench's own totals are not changed.
type Profile struct {
	Name string
	// Reason is shown on every check the profile marks.
	Reason string
	// Provider, when set, is the benchmark prefix ("eks-") whose own
	// controlplane section is kept: the provider's benchmark writes it for
	// settings the operator controls (audit logging on EKS, for example).
	Provider string
	// ProviderTargets are the targets the provider runs. Their checks are
	// marked, except controlplane checks of the provider's own benchmark.
	ProviderTargets []Target
	// Targets, when not empty, are the only targets the operator runs;
	// checks of other targets are marked (the `targets:` list of a
	// kube-bench configuration file).
	Targets []Target
	// Skip lists check ids or sections ("1", "1.2", "4.2.6") that are marked
	// (the `skip:` list of a kube-bench configuration file).
	Skip []string
}

// The managed-provider profiles. Their control plane (API server,
// controller manager, scheduler) and etcd are run by the provider.
var (
	ProfileEKS = Profile{Name: "eks", Provider: "eks-", ProviderTargets: []Target{TargetMaster, TargetEtcd, TargetControlPlane},
		Reason: "managed by Amazon EKS: the control plane and etcd are run by AWS"}
	ProfileGKE = Profile{Name: "gke", Provider: "gke-", ProviderTargets: []Target{TargetMaster, TargetEtcd, TargetControlPlane},
		Reason: "managed by Google GKE: the control plane and etcd are run by Google"}
	ProfileAKS = Profile{Name: "aks", Provider: "aks-", ProviderTargets: []Target{TargetMaster, TargetEtcd, TargetControlPlane},
		Reason: "managed by Azure AKS: the control plane and etcd are run by Microsoft"}
)

// BuiltinProfile returns the profile of that name: eks, gke, aks, or none
// (an empty profile). "auto" is not a profile; see [ProfileForBenchmark].
func BuiltinProfile(name string) (Profile, error) {
	switch name {
	case "eks":
		return ProfileEKS, nil
	case "gke":
		return ProfileGKE, nil
	case "aks":
		return ProfileAKS, nil
	case "none", "":
		return Profile{Name: "none"}, nil
	}
	return Profile{}, fmt.Errorf("unknown profile %q (want none, eks, gke, aks, auto or a kube-bench configuration file)", name)
}

// ProfileForBenchmark picks the profile from a benchmark id: eks-* → eks,
// gke-* → gke, aks-* → aks, anything else → none.
func ProfileForBenchmark(benchmark string) Profile {
	for _, p := range []Profile{ProfileEKS, ProfileGKE, ProfileAKS} {
		if strings.HasPrefix(benchmark, p.Provider) {
			return p
		}
	}
	return Profile{Name: "none"}
}

// ParseProfile reads the configuration form users already keep for
// kube-bench on managed clusters:
//
//	skip: ["1", "2", "3"]   # check ids or sections
//	targets: [node, policies]
//
// Other keys of a kube-bench configuration are ignored.
func ParseProfile(data []byte, source string) (Profile, error) {
	var raw struct {
		Skip    []string `yaml:"skip"`
		Targets []string `yaml:"targets"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		return Profile{}, fmt.Errorf("read profile %s: %w", source, err)
	}
	p := Profile{Name: source, Reason: "skipped by the profile " + source, Skip: raw.Skip}
	var errs []error
	for _, t := range raw.Targets {
		switch tt := Target(strings.TrimSpace(t)); tt {
		case TargetMaster, TargetEtcd, TargetControlPlane, TargetNode, TargetPolicies, TargetManagedServices:
			p.Targets = append(p.Targets, tt)
		case "worker":
			p.Targets = append(p.Targets, TargetNode)
		default:
			errs = append(errs, fmt.Errorf("read profile %s: unknown target %q", source, t))
		}
	}
	if len(p.Skip) == 0 && len(p.Targets) == 0 {
		errs = append(errs, fmt.Errorf("read profile %s: neither skip: nor targets: is set", source))
	}
	return p, errors.Join(errs...)
}

// ReasonFor returns why the profile marks the check, or "" when it does not.
func (p *Profile) ReasonFor(c *Check) string {
	for _, t := range p.ProviderTargets {
		if c.Target == t && !(t == TargetControlPlane && p.Provider != "" && strings.HasPrefix(c.Benchmark, p.Provider)) {
			return p.Reason
		}
	}
	if len(p.Targets) > 0 {
		in := false
		for _, t := range p.Targets {
			in = in || c.Target == t
		}
		if !in {
			return p.Reason
		}
	}
	for _, s := range p.Skip {
		s = strings.TrimSpace(s)
		if s != "" && (c.ID == s || strings.HasPrefix(c.ID, s+".")) {
			return p.Reason
		}
	}
	return ""
}

// ApplyProfile marks the checks of r that p takes out of the operator's hands
// and counts them in the inputs' NotApplicable totals. With auto set, each
// check gets the profile of its own benchmark ([ProfileForBenchmark]) and p is
// ignored.
func ApplyProfile(r *Report, p Profile, auto bool) {
	type slot struct {
		node   string
		target Target
	}
	marked := map[slot]int{}
	for i := range r.Checks {
		c := &r.Checks[i]
		prof := p
		if auto {
			prof = ProfileForBenchmark(c.Benchmark)
		}
		if why := prof.ReasonFor(c); why != "" {
			c.NotApplicable = why
			marked[slot{c.Node, c.Target}]++
		}
	}
	for i := range r.Inputs {
		in := &r.Inputs[i]
		in.Totals.NotApplicable = 0
		for t, tt := range in.ByTarget {
			// Cluster-wide checks are merged without a node; count them on
			// every input that reported them, as their statuses are.
			node := in.Node
			if t.ClusterWide() {
				node = ""
			}
			tt.NotApplicable = marked[slot{node, t}]
			in.ByTarget[t] = tt
			in.Totals.NotApplicable += tt.NotApplicable
		}
	}
}
