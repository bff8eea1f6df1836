package layers

import (
	"os/exec"
	"strings"
	"testing"
)

// heavy are the libraries (and the standard library's network stack) that a
// program must not pay for when it only gates or only reads history: the
// writers that need them live in render/junit, render/sarif, metrics and
// action.
var heavy = []string{
	"github.com/owenrumney/go-sarif",
	"github.com/xeipuuv/gojsonschema",
	"github.com/jstemmer/go-junit-report",
	"github.com/sethvargo/go-githubactions",
	"github.com/google/go-github",
	"github.com/prometheus/client_golang",
	"net/http",
}

// TestLeanDeps runs `go list -deps` on the packages a tool author imports
// for a verdict or for history, and fails on any heavy dependency.
func TestLeanDeps(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		pkg  string
		deny []string
	}{
		{name: "verdict", pkg: module + "/verdict", deny: heavy},
		{name: "benchresult", pkg: module + "/benchresult", deny: heavy},
		{name: "trend", pkg: module + "/trend", deny: []string{"github.com/prometheus", "google.golang.org/protobuf"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := exec.Command("go", "list", "-deps", tt.pkg).CombinedOutput()
			if err != nil {
				t.Fatalf("go list -deps %s: %v\n%s", tt.pkg, err, out)
			}
			deps := strings.Fields(string(out))
			if len(deps) < 10 || deps[len(deps)-1] != tt.pkg {
				t.Fatalf("go list -deps %s listed %d packages, the last %q; want the package itself last", tt.pkg, len(deps), deps[len(deps)-1])
			}
			for _, d := range deps {
				for _, bad := range tt.deny {
					if isOrUnder(d, bad) {
						t.Errorf("%s depends on %s", tt.pkg, d)
					}
				}
			}
		})
	}
}

// TestLeanDepsSees is the control of TestLeanDeps: the same look-up finds
// the heavy libraries where they belong.
func TestLeanDepsSees(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", module+"/render/sarif", module+"/metrics").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, want := range []string{"github.com/owenrumney/go-sarif", "github.com/prometheus/client_golang", "net/http"} {
		found := false
		for _, d := range strings.Fields(string(out)) {
			found = found || isOrUnder(d, want)
		}
		if !found {
			t.Errorf("go list -deps of render/sarif and metrics lists no %s", want)
		}
	}
}

// isOrUnder reports whether package path p is prefix or a package under it.
func isOrUnder(p, prefix string) bool {
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}
