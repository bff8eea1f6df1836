package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/predict"
)

// predictCmd is `bench-action predict`.
type predictCmd struct {
	benchmark        string
	kubeBench        string
	kubeBenchVersion string
	node             string
	output           string
	baseline         string
}

// geteuid is the effective user id (a variable so that a test can be the
// user it is not).
var geteuid = os.Geteuid

func definePredict(fs *flag.FlagSet) func(*env, []string) int {
	c := &predictCmd{}
	fs.StringVar(&c.benchmark, "benchmark", "", "kube-bench's `BENCHMARK` (cis-1.10); default: the one kube-bench maps the manifests' Kubernetes version (image tag) to")
	fs.StringVar(&c.kubeBench, "kube-bench", "", "the kube-bench `PATH` to run, with its release's cfg/ beside it (default: $BENCH_ACTION_KUBE_BENCH with $BENCH_ACTION_KUBE_BENCH_CFG, as the Action sets them; else built, see --kube-bench-version)")
	fs.StringVar(&c.kubeBenchVersion, "kube-bench-version", predict.DefaultKubeBench, "the kube-bench release `V` to build from the Go module proxy into the cache ($BENCH_ACTION_CACHE, or the user's cache folder), once")
	fs.StringVar(&c.node, "node", "", "predict only the node `N` (control-plane or worker)")
	fs.StringVar(&c.output, "output", "", "write each node's JSON to `DIR`/NODE.json (needed when the files describe two nodes)")
	fs.StringVar(&c.baseline, "baseline", "", "a live baseline `FILE`: the checks the files do not decide take its status, visibly (default: INFO)")
	return c.run
}

func (c *predictCmd) run(e *env, pos []string) int {
	if len(pos) == 0 {
		return fail(e, "predict", usageError("no CONFIG_DIR given: name the folders of manifests and kubelet configuration"))
	}
	if c.kubeBench != "" && c.kubeBenchVersion != predict.DefaultKubeBench {
		return fail(e, "predict", usageError("give --kube-bench or --kube-bench-version, not both"))
	}
	var errs []error
	for _, d := range pos {
		if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
			errs = append(errs, fmt.Errorf("read configuration %s: not a folder", d))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fail(e, "predict", err)
	}
	nodes, err := predict.Assemble(pos)
	if err != nil {
		return fail(e, "predict", err)
	}
	if c.node != "" {
		i := slices.IndexFunc(nodes, func(n predict.Node) bool { return n.Name == c.node })
		if i < 0 {
			var names []string
			for _, n := range nodes {
				names = append(names, n.Name)
			}
			return fail(e, "predict", usageError(fmt.Sprintf("--node %q: the files describe %s", c.node, strings.Join(names, " and "))))
		}
		nodes = nodes[i : i+1]
	}
	if len(nodes) > 1 && c.output == "" {
		return fail(e, "predict", usageError(fmt.Sprintf("the files describe %d nodes (%s, %s): give --output DIR for one file each, or --node", len(nodes), nodes[0].Name, nodes[1].Name)))
	}
	var base *baseline.Baseline
	if c.baseline != "" {
		data, err := os.ReadFile(c.baseline)
		if err != nil {
			return fail(e, "predict", fmt.Errorf("read baseline: %w", err))
		}
		if base, err = baseline.Parse(data, c.baseline, baseline.ParseOptions{}); err != nil {
			return fail(e, "predict", err)
		}
	}
	sb, err := c.sandbox(e)
	if err != nil {
		return fail(e, "predict", err)
	}
	ctx := context.Background()
	results, err := sb.Predict(ctx, nodes, c.benchmark, base)
	if err != nil {
		return fail(e, "predict", err)
	}
	for _, r := range results {
		if c.output == "" {
			if _, err := e.stdout.Write(r.JSON); err != nil {
				return fail(e, "predict", fmt.Errorf("write: %w", err))
			}
		} else {
			if err := os.MkdirAll(c.output, 0o755); err != nil {
				return fail(e, "predict", fmt.Errorf("write %s: %w", c.output, err))
			}
			p := filepath.Join(c.output, r.Node.Name+".json")
			if err := writeFileAtomic(p, func(f *os.File) error { _, err := f.Write(r.JSON); return err }); err != nil {
				return fail(e, "predict", err)
			}
		}
		fmt.Fprintf(e.stderr, "bench-action predict: %s\n", predictSummary(r, c.baseline))
	}
	return exitPass
}

// sandbox finds what building a sandbox node takes on this machine, and
// says what is missing.
func (c *predictCmd) sandbox(e *env) (predict.Sandbox, error) {
	sb := predict.Sandbox{GOARCH: runtime.GOARCH, Stderr: nil}
	var missing []string
	if geteuid() != 0 {
		if _, err := exec.LookPath("sudo"); err != nil {
			missing = append(missing, "root: the sandbox node needs mount and PID namespaces; run as root, or where sudo works without a password (no sudo in PATH)")
		} else if err := exec.Command("sudo", "-n", "true").Run(); err != nil {
			missing = append(missing, "root: the sandbox node needs mount and PID namespaces; run as root, or where sudo works without a password (sudo -n true: "+err.Error()+")")
		} else {
			sb.Sudo = []string{"sudo", "-n"}
		}
	}
	for _, tool := range []struct{ name, what string }{{"unshare", "util-linux unshare"}, {"bash", "bash"}, {"ps", "ps (procps), which kube-bench runs"}} {
		p, err := exec.LookPath(tool.name)
		if err != nil {
			missing = append(missing, tool.what+" (not in PATH)")
			continue
		}
		switch tool.name {
		case "unshare":
			sb.Unshare = p
		case "bash":
			sb.Bash = p
		}
	}
	var kb predict.KubeBench
	var err error
	if c.kubeBench == "" && c.kubeBenchVersion == predict.DefaultKubeBench && e.getenv("BENCH_ACTION_KUBE_BENCH") != "" {
		// the Action's checksum-verified release of kube-bench
		kb = predict.KubeBench{Binary: e.getenv("BENCH_ACTION_KUBE_BENCH"), Cfg: e.getenv("BENCH_ACTION_KUBE_BENCH_CFG")}
		if kb.Cfg == "" {
			if kb, err = predict.Beside(kb.Binary); err != nil {
				missing = append(missing, err.Error())
			}
		}
		for _, p := range []string{kb.Binary, filepath.Join(kb.Cfg, "config.yaml")} {
			if _, err := os.Stat(p); err != nil && kb.Cfg != "" {
				missing = append(missing, "kube-bench of $BENCH_ACTION_KUBE_BENCH: "+err.Error())
			}
		}
	} else if c.kubeBench != "" {
		if kb, err = predict.Beside(c.kubeBench); err != nil {
			missing = append(missing, err.Error())
		}
	} else if goCmd, lerr := exec.LookPath("go"); lerr != nil {
		missing = append(missing, "go (not in PATH), to build kube-bench "+c.kubeBenchVersion+"; or give --kube-bench PATH")
	} else if len(missing) == 0 {
		cache := cacheDir(e)
		fmt.Fprintf(e.stderr, "bench-action predict: kube-bench %s from %s (built from the Go module proxy if not there)\n", c.kubeBenchVersion, cache)
		if kb, err = predict.Build(context.Background(), goCmd, os.Environ(), cache, c.kubeBenchVersion); err != nil {
			return sb, err
		}
	}
	if len(missing) > 0 {
		return sb, fmt.Errorf("cannot build a sandbox node here; missing:\n%s", strings.Join(missing, "\n"))
	}
	sb.KubeBench = kb
	sb.TempDir = os.TempDir()
	return sb, nil
}

// cacheDir is $BENCH_ACTION_CACHE, or bench-action's folder of the user's
// cache ($XDG_CACHE_HOME, ~/.cache).
func cacheDir(e *env) string {
	if d := e.getenv("BENCH_ACTION_CACHE"); d != "" {
		return d
	}
	if d := e.getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "bench-action")
	}
	if h := e.getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "bench-action")
	}
	return filepath.Join(os.TempDir(), "bench-action-cache")
}

// predictSummary is one line about a node's prediction: its totals, and
// the checks the files do not decide, by why.
func predictSummary(r predict.Result, baselineFile string) string {
	why := map[string][]string{}
	from := 0
	for _, u := range r.Unpredictable {
		why[u.Why] = append(why[u.Why], u.ID)
		if u.From != "" {
			from++
		}
	}
	t := r.Totals
	var reasons []string
	for w, ids := range why {
		reasons = append(reasons, fmt.Sprintf("%s (%d: %s)", w, len(ids), idList(ids)))
	}
	sort.Strings(reasons)
	s := fmt.Sprintf("node %s (%s): %d PASS, %d FAIL, %d WARN, %d INFO", r.Node.Name, strings.Join(r.Node.Targets, ","), t.Pass, t.Fail, t.Warn, t.Info)
	if len(r.Unpredictable) == 0 {
		return s
	}
	taken := "INFO"
	if baselineFile != "" {
		taken = fmt.Sprintf("%d from the baseline %s, the others INFO", from, baselineFile)
	}
	return fmt.Sprintf("%s; %d not predictable from the repository (%s): %s", s, len(r.Unpredictable), taken, strings.Join(reasons, "; "))
}

func idList(ids []string) string {
	if len(ids) > 4 {
		return strings.Join(ids[:3], ", ") + fmt.Sprintf(" ... %s", ids[len(ids)-1])
	}
	return strings.Join(ids, ", ")
}
