package benchresult_test

import (
	"fmt"
	"os"

	"github.com/bench-action/bench-action/benchresult"
)

// Parse reads one node's kube-bench output, whatever its format.
func ExampleParse() {
	f, err := os.Open("testdata/examples/worker-1.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	nr, err := benchresult.Parse(f, "testdata/examples/worker-1.json", benchresult.Options{Node: "worker-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(nr.Format, nr.Benchmarks, len(nr.Checks))
	fmt.Printf("%+v\n", nr.Totals)
	// Output:
	// json [cis-1.10] 24
	// {Pass:15 Fail:4 Warn:5 Info:0 NotApplicable:0}
}

// ParseBytes also reads a `kubectl logs --prefix` capture of text output.
func ExampleParseBytes() {
	capture := `W1126 06:00:01.000000       1 util.go:293] Kubernetes version was not auto-detected
[pod/kube-bench-x/kube-bench] [INFO] 4 Worker Node Security Configuration
[pod/kube-bench-x/kube-bench] [INFO] 4.2 Kubelet
[pod/kube-bench-x/kube-bench] [FAIL] 4.2.1 Ensure that the --anonymous-auth argument is set to false (Automated)
[pod/kube-bench-x/kube-bench] [PASS] 4.2.2 Ensure that the --authorization-mode argument is not set to AlwaysAllow (Automated)
[pod/kube-bench-x/kube-bench] 
[pod/kube-bench-x/kube-bench] == Summary node ==
[pod/kube-bench-x/kube-bench] 1 checks PASS
[pod/kube-bench-x/kube-bench] 1 checks FAIL
[pod/kube-bench-x/kube-bench] 0 checks WARN
[pod/kube-bench-x/kube-bench] 0 checks INFO
`
	nr, err := benchresult.ParseBytes([]byte(capture), "kubectl-logs.txt", benchresult.Options{Node: "w-3"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range nr.Checks {
		fmt.Println(c.Node, c.Target, c.ID, c.Status)
	}
	// Output:
	// w-3 node 4.2.1 FAIL
	// w-3 node 4.2.2 PASS
}

// A file that is not kube-bench output is an error naming the file.
func ExampleParseBytes_notKubeBench() {
	_, err := benchresult.ParseBytes([]byte("<html><body>502 Bad Gateway</body></html>"), "results/cp-1.json", benchresult.Options{})
	fmt.Println(err)
	// Output:
	// read results/cp-1.json: line 1: not kube-bench output: an HTML page (an error page from a proxy or a download?)
}

// ResolveInputs names each result file's node after the file, and Load
// parses them into one cluster report.
func ExampleLoad() {
	sources, err := benchresult.ResolveInputs([]string{"testdata/examples", "extra=testdata/examples/worker-1.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := benchresult.Load(sources, benchresult.LoadOptions{Cluster: "prod"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range r.Inputs {
		fmt.Println(in.Node, in.Totals.Fail)
	}
	fmt.Printf("%+v\n", r.Totals())
	// Output:
	// cp-1 9
	// worker-1 4
	// worker-3 5
	// extra 4
	// {Pass:115 Fail:22 Warn:65 Info:0 NotApplicable:0}
}

// Merge keeps node checks per node and merges cluster-wide ones.
func ExampleMerge() {
	a, _ := benchresult.ParseBytes(must("testdata/examples/worker-1.json"), "worker-1.json", benchresult.Options{Node: "worker-1"})
	b, _ := benchresult.ParseBytes(must("testdata/examples/worker-3.json"), "worker-3.json", benchresult.Options{Node: "worker-3"})
	r := benchresult.Merge("prod", a, b)
	fmt.Println(len(a.Checks)+len(b.Checks), len(r.Checks))
	// Output:
	// 48 48
}

// FindDrift shows a worker that differs from its peers.
func ExampleFindDrift() {
	sources, _ := benchresult.ResolveInputs([]string{"testdata/examples/worker-*.json"})
	r, _ := benchresult.Load(sources, benchresult.LoadOptions{Cluster: "prod"})
	for _, d := range benchresult.FindDrift(r) {
		fmt.Println(d.Control.ID, d.Role, d.Odd)
	}
	// Output:
	// 4.2.2 worker [worker-3]
}

// ApplyProfile marks what a managed provider runs as not applicable.
func ExampleApplyProfile() {
	sources, _ := benchresult.ResolveInputs([]string{"testdata/examples/cp-1.json"})
	r, _ := benchresult.Load(sources, benchresult.LoadOptions{Cluster: "eks-prod"})
	benchresult.ApplyProfile(r, benchresult.ProfileEKS, false)
	t := r.Totals()
	fmt.Println(t.Fail, t.NotApplicable)
	for _, c := range r.Checks {
		if c.NotApplicable != "" {
			fmt.Println(c.ID, c.EffectiveStatus(), "-", c.NotApplicable)
			break
		}
	}
	// Output:
	// 9 71
	// 1.1.1 NOT APPLICABLE - managed by Amazon EKS: the control plane and etcd are run by AWS
}

// ParseProfile accepts the configuration users keep for kube-bench.
func ExampleParseProfile() {
	p, err := benchresult.ParseProfile([]byte("skip:\n  - \"1\"\n  - \"2\"\ntargets: [node, policies]\n"), "kube-bench-config.yaml")
	fmt.Println(p.Skip, p.Targets, err)
	// Output:
	// [1 2] [node policies] <nil>
}

// ProfileForBenchmark is what --profile auto picks.
func ExampleProfileForBenchmark() {
	for _, b := range []string{"eks-1.7.0", "gke-1.8.0", "aks-1.7", "cis-1.10"} {
		fmt.Println(b, benchresult.ProfileForBenchmark(b).Name)
	}
	// Output:
	// eks-1.7.0 eks
	// gke-1.8.0 gke
	// aks-1.7 aks
	// cis-1.10 none
}

// NormalizeText is how a control is recognised across benchmark versions.
func ExampleNormalizeText() {
	fmt.Println(benchresult.NormalizeText("Ensure that the --profiling argument is set to false (Automated)"))
	// Output:
	// ensure that the --profiling argument is set to false
}

// CompareIDs orders check ids numerically.
func ExampleCompareIDs() {
	fmt.Println(benchresult.CompareIDs("1.2.9", "1.2.10"), benchresult.CompareIDs("7.10", "7.9"))
	// Output:
	// -1 1
}

// ParseStatus reads kube-bench's statuses and refuses anything else.
func ExampleParseStatus() {
	s, err := benchresult.ParseStatus("WARN")
	fmt.Println(s, err)
	_, err = benchresult.ParseStatus("BROKEN")
	fmt.Println(err)
	// Output:
	// WARN <nil>
	// unknown status "BROKEN" (want PASS, FAIL, WARN or INFO)
}

// StripLogPrefix removes `kubectl logs --prefix` prefixes.
func ExampleStripLogPrefix() {
	line, ok := benchresult.StripLogPrefix([]byte("[pod/kube-bench-j7k2x/kube-bench] [PASS] 1.1.1 ..."))
	fmt.Println(string(line), ok)
	// Output:
	// [PASS] 1.1.1 ... true
}

// MixedBenchmarks warns when a cluster's nodes ran different benchmarks.
func ExampleMixedBenchmarks() {
	sources, _ := benchresult.ResolveInputs([]string{"testdata/examples/worker-1.json", "old=testdata/examples-old/cis-1.8.json"})
	r, _ := benchresult.Load(sources, benchresult.LoadOptions{})
	fmt.Println(benchresult.MixedBenchmarks(r))
	// Output:
	// map[cis-1.10:[worker-1] cis-1.8:[old]]
}

func must(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return b
}

// ResolveInputs names nodes after their files, or as NODE=PATH says.
func ExampleResolveInputs() {
	sources, err := benchresult.ResolveInputs([]string{"testdata/examples/worker-*.json", "cp-9=testdata/examples/cp-1.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range sources {
		fmt.Println(s.Node, s.Path)
	}
	_, err = benchresult.ResolveInputs([]string{"testdata/examples/nothing-*.json"})
	fmt.Println(err)
	// Output:
	// worker-1 testdata/examples/worker-1.json
	// worker-3 testdata/examples/worker-3.json
	// cp-9 testdata/examples/cp-1.json
	// input "testdata/examples/nothing-*.json": the glob matches no file
}

// NodeName is the default node name of a result file.
func ExampleNodeName() {
	fmt.Println(benchresult.NodeName("results/ip-10-0-1-17.eu-west-1.compute.internal.json"))
	// Output:
	// ip-10-0-1-17.eu-west-1.compute.internal
}

// BuiltinProfile names the managed-provider profiles.
func ExampleBuiltinProfile() {
	p, _ := benchresult.BuiltinProfile("gke")
	fmt.Println(p.Name, p.ProviderTargets)
	_, err := benchresult.BuiltinProfile("openshift")
	fmt.Println(err)
	// Output:
	// gke [master etcd controlplane]
	// unknown profile "openshift" (want none, eks, gke, aks, auto or a kube-bench configuration file)
}

// Roles tells control-plane nodes from workers by the targets they report.
func ExampleRoles() {
	sources, _ := benchresult.ResolveInputs([]string{"testdata/examples"})
	r, _ := benchresult.Load(sources, benchresult.LoadOptions{})
	roles := benchresult.Roles(r)
	fmt.Println(roles["cp-1"], roles["worker-1"])
	// Output:
	// control-plane worker
}

// Fingerprint recognises a control whose id a benchmark version changed.
func ExampleControl_Fingerprint() {
	old := &benchresult.Control{Benchmark: "cis-1.8", Target: benchresult.TargetMaster, ID: "1.2.17", Text: "Ensure that the --audit-log-path argument is set (Automated)"}
	cur := &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetMaster, ID: "1.2.16", Text: "Ensure that the --audit-log-path argument is set (Automated)"}
	fmt.Println(old.Fingerprint() == cur.Fingerprint(), cur.Fingerprint())
	// Output:
	// true master:ensure that the --audit-log-path argument is set
}
