package trace

import (
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// Check is a check kube-bench reported: its benchmark, id and status
// (zero when unknown: trace then predicts kube-bench's reading from the
// files).
type Check struct {
	Benchmark string // "cis-1.10"
	ID        string // "1.2.15"
	Status    benchresult.Status
}

// Finding is where one component's configuration decides a check, and
// how to change it so that the check passes.
type Finding struct {
	Benchmark string
	ID        string
	Component string // APIServer, Kubelet, ...
	Source    Source
	// File and Line are the place a reviewer is pointed at: the item
	// that fails the test, or where the missing setting goes (the last
	// item of the command line, the section for kubeadm extraArgs, the
	// document for a kubelet config key).
	File string
	Line int
	// Items are the check's tests, in its order, each with what
	// kube-bench reads and what the component runs with.
	Items []Item
	// KubeBenchPasses is kube-bench's verdict on the files as kube-bench
	// reads them (first occurrence of a flag, "--flag", "value" read as a
	// bare flag, the flag before the file it takes as the kubelet config,
	// then etcd's ETCD_* environment).
	KubeBenchPasses bool
	// Passes is whether the component as it runs satisfies the test
	// (last occurrence wins, split pairs joined, the flag before the
	// config file, etcd's ETCD_* environment when no flag is given).
	Passes bool
	// Disagreement says, in a sentence, where kube-bench's verdict and
	// the value the component runs with differ; "" when they agree.
	// It never changes kube-bench's status.
	Disagreement string
	// Fix holds the changes that make both kube-bench and the
	// component pass, one per file region, in file order; empty when the
	// test passes, and when no value can be derived from the test
	// (a file path that only the operator knows): Advice then says what
	// to set.
	Fix    []Edit
	Advice string
	// Undecided is set when the component is [Component.Incomplete]
	// (RKE2, k3s) and the files set none of the check's settings: the
	// tool's own flags decide, so KubeBenchPasses and Passes are what
	// the files alone would give. Fix still says what to add.
	Undecided bool
}

// Item is one test of a check against one component.
type Item struct {
	Setting string // "--profiling"; a config key or env var when the test has no flag
	// Key is the kubelet config key the test also reads
	// ("authentication.anonymous.enabled"), Env the environment variable
	// (etcd's "ETCD_CLIENT_CERT_AUTH"); "" when it reads none.
	Key       string
	Env       string
	Test      string // "eq false", "has RBAC", "set", "not set"
	KubeBench Value  // what kube-bench reads
	Effective Value  // what the component runs with
}

// Value is a setting as one reader (kube-bench or the component) takes
// it.
type Value struct {
	Set   bool
	Value string
	// From says where it comes from: "command line", "kubelet config",
	// "environment", "default" (kubeadm's own flags); "" when not set.
	From string
	Pos  Position // the line that sets it; zero when not set
	Text string   // the item or key as written, e.g. "--profiling=true"
}

// Edit is a change to a file: lines Line..EndLine (1-based, inclusive)
// hold Old and are replaced by New (several lines joined by "\n"; ""
// deletes them). An insertion replaces the line before the new text by
// itself followed by the new text, so every edit can be shown as a
// GitHub suggestion on existing lines.
type Edit struct {
	File    string
	Line    int
	EndLine int
	Old     string
	New     string
}

// Trace returns where each component that the check's control tests is
// configured in cfg, with the change that fixes it: one Finding per
// component (a directory may hold a Pod manifest and a kubeadm
// configuration for the same API server). It returns nothing for a
// check the catalog does not know, or whose tests are not flags,
// kubelet config keys or environment variables of a component in cfg
// (file permissions, cluster policies).
func Trace(cfg *Config, c Check) []Finding {
	return traceCheck(cfg, c)
}

// TraceBenchmark traces every check of a benchmark that the files
// decide (its tests read a component's flags, kubelet config keys or
// environment), as kube-bench would read the files and as the components
// would run with them: the checks kube-bench would fail and those where
// the two readings disagree are the ones to look at. Undecided
// findings are left out. Checks come in the
// benchmark's order, each with its components in the order of Config.
func TraceBenchmark(cfg *Config, benchmark string) []Finding {
	if cfg == nil {
		return nil
	}
	var out []Finding
	for _, ctl := range catalog.Controls(benchmark) {
		if name, _ := tested(ctl); name == "" {
			continue
		}
		for _, f := range traceControl(cfg, ctl, Check{Benchmark: benchmark, ID: ctl.ID}) {
			if !f.Undecided {
				out = append(out, f)
			}
		}
	}
	return out
}
