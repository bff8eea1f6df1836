package main

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/fakegithub"
)

// TestActionPredictInput: the predict input runs `bench-action predict
// --output DIR [--baseline F] CONFIGS` and gates the NODE.json files it
// writes like live results, with no results input. The predict command
// is replaced by one that writes a known prediction (the real one needs
// root and kube-bench; its own tests run it). Not parallel: it swaps the
// package's dispatch.
func TestActionPredictInput(t *testing.T) {
	var got []string
	saved, savedHas := dispatch, hasCommand
	t.Cleanup(func() { dispatch, hasCommand = saved, savedHas })
	hasCommand = func(name string) bool { return name == "predict" }
	dispatch = func(e *env, args []string) int {
		got = args
		fs := flag.NewFlagSet("predict", flag.ContinueOnError)
		out := fs.String("output", "", "")
		fs.String("baseline", "", "")
		if args[0] != "predict" || fs.Parse(args[1:]) != nil || *out == "" || fs.NArg() != 1 {
			return exitUsage
		}
		data, err := os.ReadFile(reviewDir + "/v0.14.1-cis-1.10-hardened-anonymous.json")
		if err != nil || os.MkdirAll(*out, 0o755) != nil || os.WriteFile(filepath.Join(*out, "control-plane.json"), data, 0o644) != nil {
			return exitUsage
		}
		e.stderr.Write([]byte("bench-action predict: control-plane: 130 checks\n"))
		return exitPass
	}

	h := newHarness(t)
	res := h.run("push", 0, fakegithub.ActionsToken, nil, map[string]string{"exceptions": "", "predict": reviewDir + "/configs", "configs": reviewDir + "/configs"})
	if res.code != exitFail {
		t.Fatalf("exit %d, want 1 (1.2.1 predicted to fail):\n%s%s", res.code, res.stdout, res.stderr)
	}
	if len(got) != 4 || got[0] != "predict" || got[1] != "--output" || got[3] != reviewDir+"/configs" || !strings.HasPrefix(got[2], h.dir) {
		t.Errorf("predict ran with %q", got)
	}
	if !strings.Contains(res.stdout, "bench-action predict: control-plane: 130 checks") {
		t.Errorf("what predict said is not in the log:\n%s", res.stdout)
	}
	if a := annotation(res.stdout, "1.2.1"); !strings.Contains(a, "file="+apiServerManifest) || !strings.Contains(a, "control-plane") {
		t.Errorf("annotation of the predicted 1.2.1: %q", a)
	}

	// With a baseline, predict gets it (the checks the files do not decide).
	h.run("push", 0, fakegithub.ActionsToken, nil, map[string]string{"exceptions": "", "predict": reviewDir + "/configs", "baseline": "b.json"})
	if !slices.Contains(got, "--baseline") || !slices.Contains(got, "b.json") {
		t.Errorf("predict ran with %q, want --baseline b.json", got)
	}

	// A predict command that fails is the action's bad input, exit 2.
	dispatch = func(e *env, args []string) int {
		e.stderr.Write([]byte("bench-action predict: root: the sandbox node needs mount and PID namespaces\n"))
		return exitUsage
	}
	res = h.run("push", 0, fakegithub.ActionsToken, nil, map[string]string{"exceptions": "", "predict": reviewDir + "/configs"})
	if res.code != exitUsage || !strings.Contains(res.stdout, "::error::bench-action: input predict "+reviewDir+"/configs: bench-action predict: root: the sandbox node needs mount and PID namespaces") {
		t.Fatalf("a failing predict: exit %d:\n%s", res.code, res.stdout)
	}
}
