// Package layers holds the test that keeps the module's imports pointing
// down the package table of the design: a package imports only packages of
// a lower layer (or its own parent, as render/junit imports render).
package layers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/bench-action/bench-action"

// layer is each package's place in the table, lowest first. A package may
// import a package of a strictly lower layer, and its parent package.
// Packages of one layer are siblings: neither imports the other
// (exceptions knows nothing of baselines, and the other way round).
var layer = map[string]int{
	"catalog":                       0,
	"catalog/internal/gen":          9, // the generator (go generate ./catalog); nothing imports it
	"tools/kube-bench-corpus/paste": 9, // turns kube-bench outputs into paste variants (gen.sh); stdlib only
	"benchresult":                   1,
	"exceptions":                    2,
	"baseline":                      2,
	"trace":                         2,
	"trend":                         3,
	"predict":                       3,
	"verdict":                       4,
	"metrics":                       5,
	"render":                        5,
	"render/junit":                  6,
	"render/sarif":                  6,
	"action":                        7,
	"action/githubapi":              8,
	"cmd/bench-action":              9,
	"examples/library":              9,
	"internal/fakegithub":           8, // the fake GitHub of the adapter's and the action's tests
	"internal/fakegithub/scenarios": 8,
	"internal/actiondoc":            0,
	"internal/textdist":             0, // edit distance for "did you mean"
	"internal/golden":               0, // test helper
	"internal/linebreak":            0, // line breaks YAML counts and GitHub does not
	"internal/testfleet":            5, // the scenario fleets of the verdict, render and action tests
	"internal/layers":               0,
	"internal/installtest":          0, // runs action.yml's install steps against a loopback release server (test only)
	"perf/fleetgen":                 9,
	"perf/gateprof":                 9,
}

type pkg struct {
	ImportPath string
	Imports    []string
}

func TestImportsPointDown(t *testing.T) {
	t.Parallel()
	all, err := exec.Command("go", "list", "-json", module+"/...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(all))
	seen := 0
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list: %v", err)
		}
		seen++
		from := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		lf, ok := layer[from]
		if !ok {
			t.Errorf("package %s has no layer: add it to the table in layers_test.go (and to DESIGN's package table)", from)
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			to := strings.TrimPrefix(imp, module+"/")
			lt, ok := layer[to]
			if !ok {
				continue // reported as its own package above
			}
			if lt >= lf && !strings.HasPrefix(from, to+"/") {
				t.Errorf("%s (layer %d) imports %s (layer %d): imports must point down", from, lf, to, lt)
			}
		}
	}
	if seen < 10 {
		t.Fatalf("go list listed %d packages; want the whole module", seen)
	}
}
