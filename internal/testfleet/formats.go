package testfleet

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

func kubeBenchDir() string { return filepath.Dir(KubeBench("x")) }

// The format scenario, shared by the JUnit and SARIF tests on real kube-bench v0.14.1
// output (benchresult/testdata/kube-bench in this module): a control-plane node with
// a hardened API server and a weak kubelet (cp-1) and an insecure worker
// (w-1), compared with a baseline in which the worker was "mixed" too.

var (
	FormatResults  = map[string]string{"cp-1": "v0.14.1-cis-1.10-mixed.json", "w-1": "v0.14.1-cis-1.10-insecure-node.json"}
	FormatBaseline = map[string]string{"cp-1": "v0.14.1-cis-1.10-mixed.json", "w-1": "v0.14.1-cis-1.10-mixed-node.json"}
	FormatToday    = exceptions.Date{Year: 2026, Month: 3, Day: 1}
	// formatProfile marks the FAIL 1.1.7 (etcd pod spec permissions) not applicable.
	formatProfile = benchresult.Profile{Name: "external-etcd", Reason: "etcd runs outside the cluster, on managed hosts", Skip: []string{"1.1.7"}}
)

// formatExceptions accepts 1.1.12 (line 2) and has an expired exception for
// 4.2.1 (line 8), which leaves 4.2.1 open on both nodes.
const formatExceptions = `exceptions:
  - check_id: "1.1.12"
    check_description: "etcd data directory ownership"
    reason: "etcd runs as root in our <kubeadm> image & is tracked in INFRA-101"
    owner: "platform-team"
    review_date: "2027-01-31"
    risk_accepted_by: "security-eng"
  - check_id: "4.2.1"
    check_description: "--anonymous-auth argument is set to false"
    reason: "health checks of the legacy load balancer need it"
    owner: "infrastructure-team"
    review_date: "2026-01-15"
    risk_accepted_by: "ciso"
owners:
  - checks: ["1.*", "2.*", "3.*"]
    owner: platform-team
  - checks: ["4.*"]
    owner: infrastructure-team
`

// FormatReport parses real kube-bench output, one file per node, into a
// cluster report with formatProfile applied.
func FormatReport(t testing.TB, files map[string]string) *benchresult.Report {
	t.Helper()
	var nrs []*benchresult.NodeResult
	for _, node := range sortedKeys(files) {
		path := filepath.Join(kubeBenchDir(), files[node])
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		nr, err := benchresult.Parse(f, path, benchresult.Options{Node: node})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		nrs = append(nrs, nr)
	}
	r := benchresult.Merge("prod", nrs...)
	benchresult.ApplyProfile(r, formatProfile, false)
	return r
}

func FormatVerdict(t testing.TB) *verdict.Verdict {
	t.Helper()
	ex, err := exceptions.Parse([]byte(formatExceptions), "kube-bench-exceptions.yaml", exceptions.ParseOptions{Now: FormatToday})
	if err != nil {
		t.Fatal(err)
	}
	base := baseline.FromChecks(FormatReport(t, FormatBaseline).Checks)
	return verdict.Evaluate(FormatReport(t, FormatResults), verdict.Config{Exceptions: ex, Baseline: base, FailOn: verdict.FailOnNew, WarnDays: 14, Now: FormatToday})
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
