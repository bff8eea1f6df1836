package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/actiondoc"
	"github.com/bench-action/bench-action/internal/fakegithub"
	"gopkg.in/yaml.v3"
)

// The example workflows, the example fleet and the files a user keeps, as
// the end-to-end test of the examples reads them.
const (
	exampleWorkflows  = "../../examples/workflows"
	exampleFleet      = "../../examples/results" // the unchanged fleet
	exampleExceptions = "../../examples/kube-bench-exceptions.yaml"
)

// TestExampleWorkflowsOnUnchangedFleet runs every example workflow's
// bench-action step through the action against a fake GitHub, with the
// step's own `with:` inputs read from the workflow file (action.yml's
// defaults for the others), on the unchanged example fleet, against the
// baseline that update-baseline.yml's `bench-action baseline` command for
// the same file writes from that fleet. Nothing changed, so the gate must
// pass with 0 new FAILs: a cluster name, node name or baseline file that
// differs between a gate and update-baseline.yml makes every FAIL "new".
func TestExampleWorkflowsOnUnchangedFleet(t *testing.T) {
	t.Parallel()
	defaults := actionDefaults(t)
	baselineCmds := baselineCommands(t, filepath.Join(exampleWorkflows, "update-baseline.yml"))
	for _, tc := range []struct {
		workflow string
		event    string // GITHUB_EVENT_NAME
		pr       bool   // the run concerns a pull request
		token    string
		comment  bool // a sticky comment is expected on the pull request
	}{
		{workflow: "pr-gate.yml", event: "pull_request", pr: true, token: fakegithub.ActionsToken, comment: true},
		{workflow: "fork-safe.yml", event: "pull_request", pr: true, token: fakegithub.ReadOnlyToken},
		{workflow: "fork-safe-comment.yml", event: "workflow_run", pr: true, token: fakegithub.ActionsToken, comment: true},
		{workflow: "cis-benchmark.yml", event: "schedule", token: fakegithub.ActionsToken},
	} {
		t.Run(tc.workflow, func(t *testing.T) {
			t.Parallel()
			with := actionStep(t, filepath.Join(exampleWorkflows, tc.workflow))
			h := newHarness(t)
			workspace, runnerTemp := t.TempDir(), t.TempDir()
			h.env = map[string]string{"GITHUB_WORKSPACE": workspace, "RUNNER_TEMP": runnerTemp}
			pr := 0
			if tc.pr {
				pr = h.gh.AddPullRequest(owner, repo, "change nothing")
			}
			expr := map[string]string{
				"github.event.pull_request.number": strconv.Itoa(pr),
				"steps.pr.outputs.number":          strconv.Itoa(pr),
				"runner.temp":                      runnerTemp,
				"github.token":                     tc.token,
				"github.event_name == 'schedule'":  strconv.FormatBool(tc.event == "schedule"),
			}
			inputs := map[string]string{}
			for name, def := range defaults {
				inputs[name] = expand(t, def, expr)
			}
			for name, v := range with {
				if _, ok := defaults[name]; !ok {
					t.Fatalf("%s: input %q is not in action.yml", tc.workflow, name)
				}
				inputs[name] = expand(t, v, expr)
			}
			inWorkspace := func(p string) string {
				if p == "" || filepath.IsAbs(p) {
					return p
				}
				return filepath.Join(workspace, p)
			}
			// The repository's files, where the workflow's checkout puts them.
			base := inputs["baseline"]
			if base == "" {
				t.Fatalf("%s gates without a baseline", tc.workflow)
			}
			args, ok := baselineCmds[base]
			if !ok {
				t.Fatalf("%s gates against %s, which no job of update-baseline.yml writes (it writes %v)", tc.workflow, base, keys(baselineCmds))
			}
			copyFile(t, exampleExceptions, inWorkspace(inputs["exceptions"]))
			recordBaseline(t, args, inWorkspace)
			// This run's results: the unchanged fleet, where kube-bench's
			// collection step wrote them.
			var results []string
			for _, line := range strings.Split(strings.TrimSpace(inputs["results"]), "\n") {
				dir := inWorkspace(strings.TrimSpace(line))
				copyFleet(t, dir)
				results = append(results, dir)
			}
			inputs["results"] = strings.Join(results, "\n")
			for _, name := range []string{"exceptions", "baseline", "history", "metrics-file"} {
				inputs[name] = inWorkspace(inputs[name])
			}

			payloadPR := 0
			if tc.event == "pull_request" {
				payloadPR = pr
			}
			res := h.run(tc.event, payloadPR, tc.token, results, inputs)
			out := parseOutputs(t, res.outputs)
			t.Logf("%s: cluster %q, baseline %s (%s): exit %d, outputs %v", tc.workflow, inputs["cluster"], base, strings.Join(args, " "), res.code, out)
			if out["new-count"] != "0" || out["verdict"] != "pass" || res.code != exitPass {
				t.Errorf("%s on the unchanged fleet: new-count %q, verdict %q, exit %d; want 0 new FAILs, pass, exit 0\n%s",
					tc.workflow, out["new-count"], out["verdict"], res.code, res.stdout)
			}
			if n, _ := strconv.Atoi(out["fail-count"]); n == 0 {
				t.Errorf("%s: fail-count %q: the example fleet has FAILs, all of them in the baseline", tc.workflow, out["fail-count"])
			}
			if tc.comment {
				cs := h.comments(pr)
				if len(cs) != 1 || !strings.Contains(cs[0].Body, "CIS gate passed") {
					t.Errorf("%s: %d comment(s) on the pull request, want 1 saying the gate passed", tc.workflow, len(cs))
				} else if c := inputs["cluster"]; c != "" && !strings.Contains(cs[0].Body, "for cluster `"+c+"`") {
					t.Errorf("%s: the comment does not name cluster %q", tc.workflow, c)
				}
			}

			// The failure this test exists for: the same step under another
			// cluster name than its baseline's would read the baseline as
			// empty (every FAIL new); it is called out instead, exit 2.
			if tc.workflow == "pr-gate.yml" {
				inputs["cluster"] = "pr-" + strconv.Itoa(pr)
				res := h.run(tc.event, payloadPR, tc.token, results, inputs)
				want := fmt.Sprintf(`and none for cluster %q: set the action's cluster input to`, inputs["cluster"])
				if res.code != exitUsage || strings.Count(res.stdout, "::error") != 1 || !strings.Contains(res.stdout, want) {
					t.Errorf("cluster %s against the baseline of %s: exit %d; want exit 2 and one error %q\n%s",
						inputs["cluster"], with["cluster"], res.code, want, res.stdout)
				}
			}
		})
	}
}

// workflowFile is what the test reads of a GitHub Actions workflow.
type workflowFile struct {
	Jobs map[string]struct {
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func readWorkflow(t *testing.T, path string) workflowFile {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var wf workflowFile
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return wf
}

// actionStep returns the `with:` of the workflow's one step that uses the
// action.
func actionStep(t *testing.T, path string) map[string]string {
	t.Helper()
	var found []map[string]string
	for _, job := range readWorkflow(t, path).Jobs {
		for _, st := range job.Steps {
			if strings.HasPrefix(st.Uses, "bench-action/bench-action@") {
				found = append(found, st.With)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d steps use bench-action/bench-action, want 1", path, len(found))
	}
	return found[0]
}

// baselineCommands returns the arguments of every `bench-action baseline`
// command in the workflow's run scripts, by the file it writes (--output).
func baselineCommands(t *testing.T, path string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, job := range readWorkflow(t, path).Jobs {
		for _, st := range job.Steps {
			for _, line := range strings.Split(st.Run, "\n") {
				f := strings.Fields(line)
				if len(f) < 2 || f[0] != "bench-action" || f[1] != "baseline" {
					continue
				}
				args := f[1:]
				output := ""
				for i, a := range args {
					if a == "--output" && i+1 < len(args) {
						output = args[i+1]
					}
				}
				if output == "" {
					t.Fatalf("%s: %q writes no --output", path, line)
				}
				out[output] = args
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no bench-action baseline command", path)
	}
	return out
}

// recordBaseline runs a `bench-action baseline` command of
// update-baseline.yml in the workspace, on the unchanged fleet where its
// collection step put the results.
func recordBaseline(t *testing.T, args []string, inWorkspace func(string) string) {
	t.Helper()
	valued := map[string]bool{"--output": true, "--cluster": true, "--profile": true, "--max-bytes": true}
	run := []string{args[0]} // the subcommand
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case valued[a] && i+1 < len(args):
			v := args[i+1]
			if a == "--output" {
				v = inWorkspace(v)
			}
			run = append(run, a, v)
			i++
		case strings.HasPrefix(a, "-"):
			run = append(run, a)
		default: // an INPUT: the fleet, as collect-results.sh writes it
			dir := inWorkspace(a)
			copyFleet(t, dir)
			run = append(run, dir)
		}
	}
	if code, _, stderr := runCLI(t, "", run...); code != exitPass {
		t.Fatalf("bench-action %s: exit %d: %s", strings.Join(args, " "), code, stderr)
	}
}

// actionDefaults reads every input of action.yml with its default.
func actionDefaults(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	md, err := actiondoc.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, in := range md.Inputs {
		out[in.Name] = in.Default
	}
	return out
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand replaces the workflow's `${{ }}` expressions with their values in
// this run; an expression the test does not know fails it.
func expand(t *testing.T, s string, values map[string]string) string {
	t.Helper()
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		e := expression.FindStringSubmatch(m)[1]
		v, ok := values[e]
		if !ok {
			t.Fatalf("expression %q: the test does not know its value; add it", m)
		}
		return v
	})
}

// parseOutputs reads a GITHUB_OUTPUT file (name<<DELIMITER, lines, DELIMITER).
func parseOutputs(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			continue
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

// copyFleet puts the unchanged example fleet's results into dir.
func copyFleet(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(exampleFleet, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no results in %s: %v", exampleFleet, err)
	}
	for _, f := range files {
		copyFile(t, f, filepath.Join(dir, filepath.Base(f)))
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func keys(m map[string][]string) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return fmt.Sprint(out)
}
