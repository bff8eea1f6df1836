package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// snapshot is what one kube-bench release's cfg/ says.
type snapshot struct {
	Release string
	// Known lists the benchmarks cfg/config.yaml maps to (version_mapping
	// values and target_mapping keys).
	Known map[string]bool
	// Variables are the $<component><kind> names cfg/config.yaml defines.
	Variables map[string]variable
	// Files holds each benchmark's control files, by benchmark id.
	Files map[string][]controlsFile
	// BenchVariables holds what a benchmark's own config.yaml sets.
	BenchVariables map[string]map[string]variable
}

type variable struct {
	Name      string   `json:"name"`
	Component string   `json:"component"`
	Kind      string   `json:"kind"`              // bin, conf, svc, kubeconfig, cafile, datadir
	Default   string   `json:"default,omitempty"` // the default path (conf, ...) or the first binary name
	Paths     []string `json:"paths,omitempty"`   // every path (or binary) kube-bench tries, sorted
}

// The YAML shapes below follow kube-bench's check package. Keys kube-bench
// does not read are listed as ignored fields, so that KnownFields rejects
// only keys nobody has seen yet.

type controlsFile struct {
	Target   string  `yaml:"-"` // the file's base name without .yaml
	Controls any     `yaml:"controls"`
	Version  string  `yaml:"version"`
	ID       string  `yaml:"id"`
	Text     string  `yaml:"text"`
	Type     string  `yaml:"type"`
	Groups   []group `yaml:"groups"`
}

type group struct {
	ID     string  `yaml:"id"`
	Text   string  `yaml:"text"`
	Type   string  `yaml:"type"`
	Checks []check `yaml:"checks"`
}

type check struct {
	ID                string `yaml:"id"`
	Text              string `yaml:"text"`
	Type              string `yaml:"type"`
	Audit             string `yaml:"audit"`
	AuditConfig       string `yaml:"audit_config"`
	AuditEnv          string `yaml:"audit_env"`
	UseMultipleValues bool   `yaml:"use_multiple_values"`
	Tests             *tests `yaml:"tests"`
	Remediation       string `yaml:"remediation"`
	Scored            bool   `yaml:"scored"`
	// kube-bench reads the lower-case key only (yaml.v2 lower-cases field
	// names); a check that spells it "Remediation" shows none.
	IgnoredRemediation string `yaml:"Remediation"`
}

type tests struct {
	TestItems []testItem `yaml:"test_items"`
	BinOp     string     `yaml:"bin_op"`
	// Misplaced in a few files; kube-bench ignores them.
	IgnoredRemediation string `yaml:"remediation"`
	IgnoredScored      bool   `yaml:"scored"`
}

type testItem struct {
	Flag    string  `yaml:"flag"`
	Path    string  `yaml:"path"`
	Env     string  `yaml:"env"`
	Set     *bool   `yaml:"set"` // kube-bench's default is true
	Compare compare `yaml:"compare"`
}

type compare struct {
	Op    string `yaml:"op"`
	Value string `yaml:"value"`
}

// targets are the control files kube-bench knows, in its order.
var targets = []string{"master", "etcd", "controlplane", "node", "policies", "managedservices"}

func readSnapshot(release, cfg string) (snapshot, error) {
	s := snapshot{Release: release, Known: map[string]bool{}, Variables: map[string]variable{}, Files: map[string][]controlsFile{}, BenchVariables: map[string]map[string]variable{}}
	if err := readConfig(filepath.Join(cfg, "config.yaml"), &s); err != nil {
		return s, fmt.Errorf("kube-bench %s: %w", release, err)
	}
	entries, err := os.ReadDir(cfg)
	if err != nil {
		return s, fmt.Errorf("kube-bench %s: %w", release, err)
	}
	var problems []error
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		bench := e.Name()
		files, err := os.ReadDir(filepath.Join(cfg, bench))
		if err != nil {
			problems = append(problems, err)
			continue
		}
		for _, f := range files {
			name := f.Name()
			if name == "config.yaml" { // the benchmark's overrides of the component settings
				raw, err := readYAMLMap(filepath.Join(cfg, bench, name))
				if err != nil {
					problems = append(problems, fmt.Errorf("kube-bench %s: cfg/%s/%s: %w", release, bench, name, err))
					continue
				}
				s.BenchVariables[bench] = variables(raw)
				continue
			}
			target, ok := strings.CutSuffix(name, ".yaml")
			if !ok || !isTarget(target) {
				problems = append(problems, fmt.Errorf("kube-bench %s: cfg/%s/%s: not a control file kube-bench reads", release, bench, name))
				continue
			}
			cf, err := readControls(filepath.Join(cfg, bench, name))
			if err != nil {
				problems = append(problems, fmt.Errorf("kube-bench %s: cfg/%s/%s: %w", release, bench, name, err))
				continue
			}
			if cf.Type != target {
				problems = append(problems, fmt.Errorf("kube-bench %s: cfg/%s/%s: type %q is not the file's name", release, bench, name, cf.Type))
			}
			cf.Target = target
			// The catalog keys a check by benchmark, target and id.
			seen := map[string]bool{}
			for _, g := range cf.Groups {
				for _, ch := range g.Checks {
					if seen[ch.ID] {
						problems = append(problems, fmt.Errorf("kube-bench %s: cfg/%s/%s: check id %s repeats", release, bench, name, ch.ID))
					}
					seen[ch.ID] = true
				}
			}
			s.Files[bench] = append(s.Files[bench], cf)
		}
		sort.Slice(s.Files[bench], func(i, j int) bool {
			return targetRank(s.Files[bench][i].Target) < targetRank(s.Files[bench][j].Target)
		})
	}
	return s, errors.Join(problems...)
}

func isTarget(t string) bool { return targetRank(t) < len(targets) }

func targetRank(t string) int {
	for i, x := range targets {
		if x == t {
			return i
		}
	}
	return len(targets)
}

func readControls(path string) (controlsFile, error) {
	var cf controlsFile
	b, err := os.ReadFile(path)
	if err != nil {
		return cf, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&cf); err != nil && !errors.Is(err, io.EOF) {
		return cf, err
	}
	return cf, nil
}

// readConfig reads cfg/config.yaml: the benchmarks it maps to and the
// component variables ($apiserverbin, $kubeletconf, ...).
func readConfig(path string, s *snapshot) error {
	raw, err := readYAMLMap(path)
	if err != nil {
		return err
	}
	if m, ok := raw["version_mapping"].(map[string]any); ok {
		for _, v := range m {
			if b, ok := v.(string); ok {
				s.Known[b] = true
			}
		}
	}
	if m, ok := raw["target_mapping"].(map[string]any); ok {
		for b := range m {
			s.Known[b] = true
		}
	}
	s.Variables = variables(raw)
	return nil
}

func readYAMLMap(path string) (map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string]any
	if err := yaml.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return raw, nil
}

// variables lists the $<component><kind> names a config.yaml defines, with
// the paths (or binary names) kube-bench tries for each. kube-bench
// substitutes $<component>bin, conf, svc, kubeconfig, cafile and datadir
// for every component a node type lists; a benchmark's own config.yaml
// overrides some of them.
func variables(raw map[string]any) map[string]variable {
	kinds := []struct{ kind, list, def string }{
		{"bin", "bins", ""},
		{"conf", "confs", "defaultconf"},
		{"svc", "svc", "defaultsvc"},
		{"kubeconfig", "kubeconfig", "defaultkubeconfig"},
		{"cafile", "cafile", "defaultcafile"},
		{"datadir", "datadirs", "defaultdatadir"},
	}
	vars := map[string]variable{}
	for _, nodeType := range targets {
		nt, ok := raw[nodeType].(map[string]any)
		if !ok {
			continue
		}
		for comp, v := range nt {
			settings, ok := v.(map[string]any)
			if !ok || comp == "components" {
				continue
			}
			for _, k := range kinds {
				list := stringList(settings[k.list])
				def, _ := settings[k.def].(string)
				if def == "" && len(list) > 0 {
					def = list[0]
				}
				if def == "" {
					continue
				}
				name := "$" + comp + k.kind
				have, seen := vars[name]
				if !seen {
					have = variable{Name: name, Component: comp, Kind: k.kind, Default: def}
				}
				have.Paths = addPaths(have.Paths, append(list, def)...)
				vars[name] = have
			}
		}
	}
	return vars
}

func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func addPaths(have []string, add ...string) []string {
	for _, p := range add {
		if p != "" && !slices.Contains(have, p) {
			have = append(have, p)
		}
	}
	sort.Strings(have)
	return have
}
