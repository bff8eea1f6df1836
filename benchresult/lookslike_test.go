package benchresult

import (
	"strings"
	"testing"
)

func TestLooksLike(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		// What comes before the results in real captures is neither.
		{"kubectl warning", "Warning: Kubernetes version was not auto-detected because kubectl could not connect to the Kubernetes server.\n", ""},
		{"kubectl warnings", "Warning: would violate PodSecurity \"restricted:latest\": hostPID=true\nWarning: spec.template: deprecated\n", ""},
		{"glog lines", "I0612 10:00:00.000000       1 main.go:12] starting\nW0612 10:00:00.000001       1 util.go:9] no kubeconfig\n", ""},
		{"prefixed warning", "[pod/kube-bench-x/kube-bench] Warning: Kubernetes version was not auto-detected\n", ""},
		{"kubectl error", "Error from server (NotFound): jobs.batch \"kube-bench\" not found\n", ""},
		{"prose", "The results were lost when the node was drained.\nWe will run it again tomorrow.\n", ""},
		{"one heading alone", "# results\n", ""},

		{"markdown heading and prose", "# CIS results\n\nAll nodes were checked on Monday.\n", looksMarkdown},
		{"markdown fence", "Results:\n```\n", looksMarkdown},
		{"markdown table", "| id | status |\n|---|---|\n", looksMarkdown},
		{"markdown list", "- 1.2.16 accepted\n- 4.2.6 fixed\n", looksMarkdown},
		{"markdown link", "See [the runbook](https://example.com/runbook).\n", looksMarkdown},

		{"kubernetes manifest", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: kube-bench\n", "YAML (a Kubernetes manifest?)"},
		{"commented manifest", "# The Job.\n# Apply it with kubectl.\n---\napiVersion: v1\nkind: Namespace\n", "YAML (a Kubernetes manifest?)"},
		{"workflow", "# Daily run.\nname: cis\non:\n  schedule:\n    - cron: '0 6 * * *'\njobs:\n  bench:\n", "YAML (a GitHub Actions workflow?)"},
		{"exceptions file", "# Accepted FAILs.\nexceptions:\n  - check_id: \"1.2.16\"\n    owner: platform\n", "YAML (an exceptions file? give it with --exceptions)"},
		{"other yaml", "groups:\n  - name: kube-bench\n    rules: []\n", looksYAML},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := []byte(tt.text)
			if got := looksLike(contentLines(data, len(data))); got != tt.want {
				t.Errorf("looksLike(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestCapturesAreNotDocuments parses kubectl captures whose log lines
// before the results could be mistaken for YAML or Markdown.
func TestCapturesAreNotDocuments(t *testing.T) {
	t.Parallel()
	results := "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 anon\n\n== Summary node ==\n1 checks PASS\n0 checks FAIL\n0 checks WARN\n0 checks INFO\n"
	for _, preamble := range []string{
		"Warning: Kubernetes version was not auto-detected\n",
		"Warning: a\nWarning: b\nWarning: c\n",
		"I0612 10:00:00.000000       1 main.go:12] starting\n",
		"[pod/kube-bench-x/kube-bench] Warning: Kubernetes version was not auto-detected\n",
	} {
		if _, err := ParseBytes([]byte(preamble+results), "capture.log", Options{}); err != nil {
			t.Errorf("%q before the results: %v", strings.TrimSpace(preamble), err)
		}
	}
}
