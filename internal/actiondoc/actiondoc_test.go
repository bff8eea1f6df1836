package actiondoc

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the README's action table from action.yml")

var (
	actionYML = filepath.Join("..", "..", "action.yml")
	readmeMD  = filepath.Join("..", "..", "README.md")
)

// TestReadmeMatchesActionYML holds the README's inputs/outputs tables equal
// to action.yml: same inputs (name, required, default, description) and
// outputs (name, description), in the same order.
func TestReadmeMatchesActionYML(t *testing.T) {
	action, err := os.ReadFile(actionYML)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(action)
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(readmeMD)
	if err != nil {
		t.Fatal(err)
	}
	want := Render(m)
	if *update {
		out, err := Replace(readme, want)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(readmeMD, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := Section(readme)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, ParseSection(got)); diff != "" {
		t.Errorf("README.md's action table differs from action.yml (-action.yml +README); run go test ./internal/actiondoc -update:\n%s", diff)
	}
	if diff := cmp.Diff(strings.Trim(want, "\n"), got); diff != "" {
		t.Errorf("README.md's action table is not as rendered (-want +got); run go test ./internal/actiondoc -update:\n%s", diff)
	}
}

// TestActionContract checks action.yml against DESIGN.md's contract and the
// rules of this repository: every input reaches the program as INPUT_<NAME>,
// outputs come from the run step, and no run: script holds an expression.
func TestActionContract(t *testing.T) {
	action, err := os.ReadFile(actionYML)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Parse(action)
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string]Input{}
	for _, in := range m.Inputs {
		inputs[in.Name] = in
	}
	for name, want := range map[string]Input{
		"results":   {Required: true},
		"fail-on":   {Default: "new"},
		"comment":   {Default: "true"},
		"issues":    {Default: "auto"},
		"warn-days": {Default: "14"},
		"token":     {Default: "${{ github.token }}"},
		"api-url":   {Default: ""},
	} {
		got, ok := inputs[name]
		if !ok {
			t.Errorf("input %s missing", name)
			continue
		}
		if got.Required != want.Required || got.Default != want.Default {
			t.Errorf("input %s: required %v default %q, want %v %q", name, got.Required, got.Default, want.Required, want.Default)
		}
	}
	for _, name := range []string{"results", "exceptions", "baseline", "profile", "cluster", "fail-on", "comment",
		"issues", "issue-labels", "warn-days", "history", "metrics-file", "token", "api-url", "configs", "predict"} {
		if _, ok := inputs[name]; !ok {
			t.Errorf("input %s (DESIGN.md) missing", name)
		}
	}
	var outs []string
	for _, o := range m.Outputs {
		outs = append(outs, o.Name)
	}
	if diff := cmp.Diff([]string{"verdict", "fail-count", "new-count", "fixed-count", "accepted-count", "expired-count", "summary-file"}, outs); diff != "" {
		t.Errorf("outputs differ from DESIGN.md (-want +got):\n%s", diff)
	}

	var doc struct {
		Outputs map[string]struct {
			Value string `yaml:"value"`
		} `yaml:"outputs"`
		Runs struct {
			Using string `yaml:"using"`
			Steps []struct {
				ID    string            `yaml:"id"`
				Uses  string            `yaml:"uses"`
				Run   string            `yaml:"run"`
				Shell string            `yaml:"shell"`
				Env   map[string]string `yaml:"env"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yamlUnmarshal(action, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", doc.Runs.Using)
	}
	for name, o := range doc.Outputs {
		if want := "${{ steps.run.outputs." + name + " }}"; o.Value != want {
			t.Errorf("output %s: value %q, want %q", name, o.Value, want)
		}
	}
	var runEnv map[string]string
	for i, s := range doc.Runs.Steps {
		if s.Run != "" {
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %d (%s): an expression inside run:; pass it through env:", i, s.ID)
			}
			if s.Shell != "bash" {
				t.Errorf("step %d (%s): shell %q, want bash (it keeps INPUT_FAIL-ON in the environment)", i, s.ID, s.Shell)
			}
		}
		if s.Uses != "" && !isPinned(s.Uses) {
			t.Errorf("step %d: %s is not pinned by a commit SHA", i, s.Uses)
		}
		if s.ID == "run" {
			runEnv = s.Env
		}
	}
	if runEnv == nil {
		t.Fatal("no step with id run")
	}
	for _, in := range m.Inputs {
		key := "INPUT_" + strings.ToUpper(strings.ReplaceAll(in.Name, " ", "_"))
		if want := "${{ inputs." + in.Name + " }}"; runEnv[key] != want {
			t.Errorf("run step: env %s = %q, want %q", key, runEnv[key], want)
		}
	}
}

func isPinned(uses string) bool {
	_, ref, ok := strings.Cut(uses, "@")
	if !ok || len(ref) != 40 {
		return false
	}
	return strings.Trim(ref, "0123456789abcdef") == ""
}
