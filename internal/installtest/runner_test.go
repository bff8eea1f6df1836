package installtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// actionYML is the file under test, from this package's directory.
const actionYML = "../../action.yml"

// step is one step of the composite action, as action.yml writes it.
type step struct {
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Run   string            `yaml:"run"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
}

// action is the part of action.yml that the runner reads to run the steps.
type action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t testing.TB) action {
	t.Helper()
	data, err := os.ReadFile(actionYML)
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("parse %s: %v", actionYML, err)
	}
	return a
}

// installSteps are the steps before the one that runs the program (id run):
// what stands between `uses:` and a binary.
func (a action) installSteps(t testing.TB) []step {
	t.Helper()
	for i, s := range a.Runs.Steps {
		if s.ID == "run" {
			return a.Runs.Steps[:i]
		}
	}
	t.Fatal("action.yml has no step with id run")
	return nil
}

// job is what the runner knows when it runs the action's steps: the
// contexts that expressions read, and the process environment.
type job struct {
	github map[string]string // github.action_path, ...
	inputs map[string]string // with action.yml's defaults filled in
	env    []string          // RUNNER_OS, RUNNER_TEMP, PATH, ...
	// override replaces a step's env value after expansion: "STEP.NAME".
	override map[string]string
}

// stepRun is what one step did.
type stepRun struct {
	id      string
	skipped bool // a uses: step whose if: was false
	uses    string
	log     string
	outputs map[string]string
	err     error // the script's exit status
	took    time.Duration
}

var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// expand replaces every ${{ expr }} of value, where expr is a context
// name: github.NAME, inputs.NAME or steps.ID.outputs.NAME. Anything else is
// an error: the test would not know what the runner makes of it.
func (j *job) expand(value string, steps map[string]map[string]string) (string, error) {
	var errs []error
	out := expression.ReplaceAllStringFunc(value, func(m string) string {
		name := expression.FindStringSubmatch(m)[1]
		v, err := j.lookup(name, steps)
		if err != nil {
			errs = append(errs, err)
		}
		return v
	})
	return out, errors.Join(errs...)
}

func (j *job) lookup(name string, steps map[string]map[string]string) (string, error) {
	switch {
	case strings.HasPrefix(name, "github."):
		v, ok := j.github[strings.TrimPrefix(name, "github.")]
		if !ok {
			return "", fmt.Errorf("expression %s: the test gives no such github context value", name)
		}
		return v, nil
	case strings.HasPrefix(name, "inputs."):
		// An input nobody set and action.yml does not declare is empty, as on GitHub.
		return j.inputs[strings.TrimPrefix(name, "inputs.")], nil
	case strings.HasPrefix(name, "steps."):
		id, rest, _ := strings.Cut(strings.TrimPrefix(name, "steps."), ".")
		out, ok := strings.CutPrefix(rest, "outputs.")
		if !ok {
			return "", fmt.Errorf("expression %s: only steps.ID.outputs.NAME is supported", name)
		}
		return steps[id][out], nil // a step that did not run has empty outputs
	}
	return "", fmt.Errorf("expression %s: not supported by the test", name)
}

var condition = regexp.MustCompile(`^(\S+)\s*(==|!=)\s*''$`)

// cond evaluates the one form of if: the action uses: NAME == ” or NAME != ”.
func (j *job) cond(expr string, steps map[string]map[string]string) (bool, error) {
	if expr == "" {
		return true, nil
	}
	m := condition.FindStringSubmatch(strings.TrimSpace(expr))
	if m == nil {
		return false, fmt.Errorf("if: %q: the test evaluates only NAME == '' and NAME != ''", expr)
	}
	v, err := j.lookup(m[1], steps)
	if err != nil {
		return false, err
	}
	return (v == "") == (m[2] == "=="), nil
}

// run runs the steps in order, as the runner runs a composite action's
// steps: bash --noprofile --norc -eo pipefail on each run: script, with
// the step's env: expanded, and GITHUB_OUTPUT read back after it. It stops at
// the first step that fails. A uses: step is not run (it would need the
// network): the result says whether its if: would have let it run.
func (j *job) run(t testing.TB, steps []step, tmp string) []stepRun {
	t.Helper()
	outputs := map[string]map[string]string{}
	var runs []stepRun
	for i, s := range steps {
		r := stepRun{id: s.ID, uses: s.Uses}
		if r.id == "" {
			r.id = fmt.Sprintf("step-%d", i)
		}
		ok, err := j.cond(s.If, outputs)
		if err != nil {
			t.Fatalf("step %s: %v", r.id, err)
		}
		if s.Uses != "" || !ok {
			r.skipped = !ok
			runs = append(runs, r)
			continue
		}
		if s.Shell != "bash" {
			t.Fatalf("step %s: shell %q; the test runs bash", r.id, s.Shell)
		}
		env := append([]string(nil), j.env...)
		for k, v := range s.Env {
			x, err := j.expand(v, outputs)
			if err != nil {
				t.Fatalf("step %s: env %s: %v", r.id, k, err)
			}
			if o, ok := j.override[s.ID+"."+k]; ok {
				x = o
			}
			env = append(env, k+"="+x)
		}
		script := filepath.Join(tmp, fmt.Sprintf("step-%d.sh", i))
		out := filepath.Join(tmp, fmt.Sprintf("step-%d.out", i))
		if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Env = append(env, "GITHUB_OUTPUT="+out)
		cmd.Dir = tmp
		var log bytes.Buffer
		cmd.Stdout, cmd.Stderr = &log, &log
		start := time.Now()
		r.err = cmd.Run()
		r.took = time.Since(start)
		r.log = log.String()
		r.outputs = readOutputs(t, out)
		outputs[s.ID] = r.outputs
		runs = append(runs, r)
		if r.err != nil {
			break
		}
	}
	return runs
}

// readOutputs reads the NAME=VALUE lines of a GITHUB_OUTPUT file (the
// action writes no multi-line values).
func readOutputs(t testing.TB, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("%s: line %q is not NAME=VALUE", path, sc.Text())
		}
		m[k] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// hostRunner is RUNNER_OS and RUNNER_ARCH of a runner like this machine.
func hostRunner(t testing.TB) (osName, arch string) {
	t.Helper()
	switch runtime.GOOS {
	case "linux":
		osName = "Linux"
	case "darwin":
		osName = "macOS"
	default:
		t.Skipf("the install test runs the scripts with bash on Linux or macOS, not %s", runtime.GOOS)
	}
	switch runtime.GOARCH {
	case "amd64":
		arch = "X64"
	case "arm64":
		arch = "ARM64"
	default:
		t.Skipf("no release binary for %s", runtime.GOARCH)
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	for _, tool := range []string{"curl", "awk", "tar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("the install steps need %s: %v", tool, err)
		}
	}
	return osName, arch
}

// baseEnv is this process's environment without what a real runner would
// set for the action (GITHUB_*, RUNNER_*, INPUT_*) and without proxies, so
// that curl talks to the loopback server directly.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(k, "GITHUB_"), strings.HasPrefix(k, "RUNNER_"), strings.HasPrefix(k, "INPUT_"),
			strings.Contains(strings.ToLower(k), "proxy"):
			continue
		}
		env = append(env, kv)
	}
	return env
}
