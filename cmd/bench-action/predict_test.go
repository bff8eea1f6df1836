package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/predict"
	"github.com/google/go-cmp/cmp"
)

const configSets = "../../predict/testdata/configs"

// TestPredictMistakes: what predict refuses before it builds anything,
// each with exit 2 and a line that says what to do.
func TestPredictMistakes(t *testing.T) {
	t.Parallel()
	hardened := filepath.Join(configSets, "hardened")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no folder", []string{"predict"}, "no CONFIG_DIR given"},
		{"not a folder", []string{"predict", "--node", "worker", filepath.Join(hardened, "kubelet", "config.yaml")}, "not a folder"},
		{"both kube-bench flags", []string{"predict", "--kube-bench", "/kb", "--kube-bench-version", "v0.9.0", hardened}, "not both"},
		{"two nodes to stdout", []string{"predict", hardened}, "2 nodes (control-plane, worker): give --output DIR"},
		{"unknown node", []string{"predict", "--node", "cp-1", hardened}, `--node "cp-1": the files describe control-plane and worker`},
		{"nothing to assemble", []string{"predict", "../../examples/prometheus"}, "no control-plane component's command line and no kubelet's"},
		{"bad baseline", []string{"predict", "--node", "worker", "--baseline", hardened + "/kubelet/config.yaml", hardened}, "config.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, stderr := runCLI(t, "", tt.args...)
			if code != exitUsage || out != "" || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, stderr, tt.want)
			}
		})
	}
}

// TestPredictWithoutRoot: as another user, without a sudo that works
// without a password, predict says what is missing and exits 2. (Not
// parallel: it stands in for the user id.)
func TestPredictWithoutRoot(t *testing.T) {
	if _, err := exec.LookPath("sudo"); err == nil && exec.Command("sudo", "-n", "true").Run() == nil {
		t.Skip("sudo works without a password here: predict would use it")
	}
	defer func(f func() int) { geteuid = f }(geteuid)
	geteuid = func() int { return 1000 }
	code, out, stderr := runCLI(t, "", "predict", "--node", "worker", "--kube-bench", "/nonexistent/kube-bench", filepath.Join(configSets, "hardened"))
	if code != exitUsage || out != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	for _, want := range []string{"missing:", "root: the sandbox node needs mount and PID namespaces", "sudo", "/nonexistent/kube-bench: no cfg/config.yaml"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
}

// kubeBenchForTest is kube-bench predict.DefaultKubeBench, built once into
// $BENCH_ACTION_CACHE (or the user's cache directory); predict's sandbox
// needs root.
func kubeBenchForTest(t *testing.T) predict.KubeBench {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" {
			t.Fatal("missing root (BENCH_ACTION_REQUIRE_TOOLS=1)")
		}
		t.Skip("needs root")
	}
	cache := os.Getenv("BENCH_ACTION_CACHE")
	if cache == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			t.Fatal(err)
		}
		cache = filepath.Join(d, "bench-action")
	}
	env := append(os.Environ(), "GONOSUMDB=github.com/aquasecurity")
	kb, err := predict.Build(context.Background(), "go", env, cache, predict.DefaultKubeBench)
	if err != nil {
		t.Fatal(err)
	}
	return kb
}

// TestPredictThenGate: predict's output of a worker whose kubelet opens
// its read-only port is read by the gate unchanged: 4.2.4 fails it (a
// failed Manual test), and the checks the files do not decide are INFO.
// Needs root and kube-bench (built into $BENCH_ACTION_CACHE).
func TestPredictThenGate(t *testing.T) {
	t.Parallel()
	kb := kubeBenchForTest(t)
	out := t.TempDir()
	code, stdout, stderr := runCLI(t, "", "predict", "--benchmark", "cis-1.10", "--kube-bench", kb.Binary, "--node", "worker", "--output", out,
		filepath.Join(configSets, "hardened-kubelet-read-only-port"))
	if code != exitPass || stdout != "" {
		t.Fatalf("predict: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	for _, want := range []string{"node worker (node): ", "not predictable from the repository (INFO)", "the files do not describe kube-proxy (1: 4.3.1)"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("predict's summary does not say %q:\n%s", want, stderr)
		}
	}
	code, stdout, stderr = runCLI(t, "", "gate", "--fail-on", "any", "--format", "text", filepath.Join(out, "worker.json"))
	if code != exitFail || !strings.Contains(stdout, "4.2.4") {
		t.Errorf("gate: exit %d (want 1), 4.2.4 in the output: %v\n%s%s", code, strings.Contains(stdout, "4.2.4"), stdout, stderr)
	}
}

// TestPredictedBaseline: the base branch's prediction is the baseline of
// the pull request's, so a configuration that already fails controls
// (kubeadm's defaults fail 8 on a control-plane node) blocks only the PR
// that makes it worse: the same files pass the gate, and a kubelet
// switched to AlwaysAllow fails it with 4.2.2 as the one new FAIL, traced
// to its line.
func TestPredictedBaseline(t *testing.T) {
	t.Parallel()
	kb := kubeBenchForTest(t)
	base := filepath.Join(configSets, "kubeadm-default")
	pr := t.TempDir()
	if err := os.CopyFS(pr, os.DirFS(base)); err != nil {
		t.Fatal(err)
	}
	kubelet := filepath.Join(pr, "kubelet", "config.yaml")
	data, err := os.ReadFile(kubelet)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("  mode: Webhook\n")) {
		t.Fatalf("%s: no authorization mode Webhook to change", kubelet)
	}
	if err := os.WriteFile(kubelet, bytes.Replace(data, []byte("  mode: Webhook\n"), []byte("  mode: AlwaysAllow\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	predicted := func(dir string) string {
		out := t.TempDir()
		code, stdout, stderr := runCLI(t, "", "predict", "--benchmark", "cis-1.10", "--kube-bench", kb.Binary, "--node", "control-plane", "--output", out, dir)
		if code != exitPass || stdout != "" {
			t.Fatalf("predict %s: exit %d, stdout %q, stderr %s", dir, code, stdout, stderr)
		}
		return out
	}
	basePredicted, prPredicted := predicted(base), predicted(pr)
	baseline := filepath.Join(t.TempDir(), "baseline.json")
	if code, _, stderr := runCLI(t, "", "baseline", "--cluster", "predicted", "--output", baseline, basePredicted); code != exitPass {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}

	code, stdout, stderr := runCLI(t, "", "gate", "--cluster", "predicted", "--baseline", baseline, "--fail-on", "any", "--format", "json", basePredicted)
	if code != exitFail {
		t.Fatalf("the base's own prediction with --fail-on any: exit %d, want 1 (kubeadm's defaults fail controls):\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "", "gate", "--cluster", "predicted", "--baseline", baseline, "--fail-on", "new", "--format", "text", basePredicted)
	if code != exitPass {
		t.Errorf("unchanged files against their own prediction: exit %d, want 0:\n%s%s", code, stdout, stderr)
	}

	code, stdout, stderr = runCLI(t, "", "gate", "--cluster", "predicted", "--baseline", baseline, "--fail-on", "new", "--configs", pr, "--format", "json", prPredicted)
	if code != exitFail {
		t.Fatalf("the PR's prediction: exit %d, want 1:\n%s%s", code, stdout, stderr)
	}
	var v struct {
		Counts struct {
			Persisting int `json:"persisting"`
		} `json:"counts"`
		Checks []struct {
			ID    string `json:"id"`
			New   bool   `json:"new"`
			Where []struct {
				File string `json:"file"`
				Line int    `json:"line"`
			} `json:"where"`
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("gate --format json: %v\n%s", err, stdout)
	}
	var news []string
	for _, c := range v.Checks {
		if c.New {
			w := c.ID
			for _, x := range c.Where {
				w += fmt.Sprintf(" %s:%d", strings.TrimPrefix(x.File, pr+string(filepath.Separator)), x.Line)
			}
			news = append(news, w)
		}
	}
	t.Logf("the PR's prediction against the base's: %d new (%q), %d persisting", len(news), news, v.Counts.Persisting)
	if v.Counts.Persisting < 8 {
		t.Errorf("%d FAILs persisting, want kubeadm's 8 and more (1.2.5, 1.2.15-1.2.19, 1.3.2, 1.4.1)", v.Counts.Persisting)
	}
	if diff := cmp.Diff([]string{"4.2.2 kubelet/config.yaml:12"}, news); diff != "" {
		t.Errorf("new FAILs of the PR (-want +got):\n%s\n%s", diff, stdout)
	}

	// The text a CI log shows names the line and the fix too.
	_, stdout, _ = runCLI(t, "", "gate", "--cluster", "predicted", "--baseline", baseline, "--fail-on", "new", "--configs", pr, prPredicted)
	for _, want := range []string{
		"[FAIL] 4.2.2 ",
		"       fix: remove `AlwaysAllow` from `authorization.mode` in the kubelet config file, `/var/lib/kubelet/config.yaml`",
		"       set in " + kubelet + " line 12: --authorization-mode is AlwaysAllow; fix: mode: Webhook\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("gate's text does not say %q:\n%s", want, stdout)
		}
	}
}

// TestPredictRunsTheActionsKubeBench: predict's default kube-bench is the
// release the action installs for its predict input, so a prediction on a
// laptop is the one the workflow makes.
func TestPredictRunsTheActionsKubeBench(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s+KUBE_BENCH_VERSION: "?([0-9.]+)"?$`).FindSubmatch(data)
	if m == nil {
		t.Fatal("action.yml: no KUBE_BENCH_VERSION")
	}
	if got := "v" + string(m[1]); got != predict.DefaultKubeBench {
		t.Errorf("action.yml installs kube-bench %s, predict.DefaultKubeBench is %s", got, predict.DefaultKubeBench)
	}
}
