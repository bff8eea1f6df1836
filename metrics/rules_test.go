package metrics_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/metrics"
)

func runPromtool(t *testing.T, args ...string) string {
	t.Helper()
	promtool := tool(t, "promtool")
	out, err := exec.Command(promtool, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPromtoolRules(t *testing.T) {
	t.Parallel()
	t.Log(runPromtool(t, "check", "rules", filepath.Join(rulesDir, "kube-bench-rules.yaml")))
	t.Log(runPromtool(t, "test", "rules", filepath.Join(rulesDir, "kube-bench-rules.test.yaml")))
}

// TestRulesOnRealOutputs feeds the check_status series that OfReport makes
// of real kube-bench outputs to the shipped rules, so the rules are tested
// against what each benchmark really reports (1.2.1 is WARN in cis-1.8+
// and FAIL-able in rke2-cis-1.8).
func TestRulesOnRealOutputs(t *testing.T) {
	t.Parallel()
	rules, err := filepath.Abs(filepath.Join(rulesDir, "kube-bench-rules.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		fixture   string
		anonymous string   // value of the 1.2.1 alert, "" when it must not fire
		etcd      []string // etcd ids the etcd alert fires for
	}{
		{"v0.14.1-cis-1.10-insecure.json", "-1", []string{"2.1", "2.2", "2.3", "2.4", "2.5", "2.6"}},
		{"v0.14.1-cis-1.8-insecure.json", "-1", []string{"2.1", "2.2", "2.3", "2.4", "2.5", "2.6"}},
		{"v0.14.1-cis-1.10-hardened.json", "", nil},
		{"v0.14.1-cis-1.10-mixed.json", "", nil},
		{"v0.14.1-rke2-cis-1.8-mixed.json", "", nil},
		{"v0.8.0-cis-1.8-mixed.json", "", nil},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "rule_files:\n  - %q\nevaluation_interval: 1h\ntests:\n", rules)
	for _, c := range cases {
		reg, err := metrics.OfReport(report(t, "c", "n1", c.fixture), day0, nil)
		if err != nil {
			t.Fatal(err)
		}
		s := series(t, reg)
		var keys []string
		for k := range s {
			if strings.HasPrefix(k, "kube_bench_check_status{") {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "  # %s\n  - interval: 1h\n    input_series:\n", c.fixture)
		for _, k := range keys {
			fmt.Fprintf(&b, "      - series: '%s'\n        values: '%g %g'\n", k, s[k], s[k])
		}
		fmt.Fprintf(&b, "    alert_rule_test:\n      - eval_time: 1h\n        alertname: KubeBenchAnonymousAuthEnabled\n        exp_alerts:")
		if c.anonymous == "" {
			b.WriteString(" []\n")
		} else {
			word := map[string]string{"-1": "WARN", "0": "FAIL"}[c.anonymous]
			fmt.Fprintf(&b, "\n          - exp_labels: {severity: critical, cluster: c, check_id: \"1.2.1\"}\n")
			fmt.Fprintf(&b, "            exp_annotations: {summary: \"API server anonymous auth is not disabled on c\", description: \"CIS 1.2.1 reports %s: set --anonymous-auth=false on kube-apiserver.\"}\n", word)
		}
		fmt.Fprintf(&b, "      - eval_time: 1h\n        alertname: KubeBenchEtcdTLSFailing\n        exp_alerts:")
		if len(c.etcd) == 0 {
			b.WriteString(" []\n")
		} else {
			b.WriteString("\n")
			for _, id := range c.etcd {
				fmt.Fprintf(&b, "          - exp_labels: {severity: critical, cluster: c, check_id: %q}\n", id)
				fmt.Fprintf(&b, "            exp_annotations: {summary: \"etcd TLS or client authentication is not configured on c\", description: \"CIS %s fails: anyone reaching etcd's client port can read every secret.\"}\n", id)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "real.test.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	promtool := tool(t, "promtool")
	out, err := exec.Command(promtool, "test", "rules", path).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool test rules on real outputs: %v\n%s", err, out)
	}
}
