package metrics_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestExampleFiles: the dashboard is JSON that queries every metric; the
// CronJobs are YAML that run `bench-action metrics` with the output they name.
func TestExampleFiles(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(rulesDir, "grafana-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &dash); err != nil {
		t.Fatalf("grafana-dashboard.json: %v", err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			exprs = append(exprs, tg.Expr)
		}
	}
	all := strings.Join(exprs, "\n")
	for _, m := range []string{"kube_bench_fail_total", "kube_bench_pass_total", "kube_bench_warn_total", "kube_bench_check_status", "kube_bench_run_timestamp", "kube_bench_exception_review_timestamp"} {
		if !strings.Contains(all, m) {
			t.Errorf("dashboard does not query %s", m)
		}
	}
	for file, want := range map[string]string{"textfile-cronjob.yaml": "--textfile=", "pushgateway-cronjob.yaml": "--push="} {
		data, err := os.ReadFile(filepath.Join(rulesDir, file))
		if err != nil {
			t.Fatal(err)
		}
		var cj struct {
			Kind string
			Spec struct {
				JobTemplate struct {
					Spec struct {
						Template struct {
							Spec struct {
								Containers []struct{ Args []string }
							}
						}
					}
				} `yaml:"jobTemplate"`
			}
		}
		if err := yaml.Unmarshal(data, &cj); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		args := cj.Spec.JobTemplate.Spec.Template.Spec.Containers
		if cj.Kind != "CronJob" || len(args) != 1 || args[0].Args[0] != "metrics" || !strings.Contains(strings.Join(args[0].Args, " "), want) {
			t.Errorf("%s: kind %q, containers %+v", file, cj.Kind, args)
		}
	}
}
