package trend_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoPrometheus keeps the Prometheus client out of trend: a program that
// only reads or reports history must not pay for it (package metrics does
// the exposition).
func TestNoPrometheus(t *testing.T) {
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		skipOrFail(t, "go not in PATH: %v", err)
	}
	out, err := exec.Command(gobin, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed only %q", deps)
	}
	for _, d := range deps {
		if strings.Contains(d, "prometheus") || strings.HasPrefix(d, "google.golang.org/protobuf") {
			t.Errorf("trend depends on %s", d)
		}
	}
}
