package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/bench-action/bench-action/render"
)

// predictInputs is the action's predict input: it runs `bench-action
// predict --output DIR CONFIGS` (the real kube-bench on a sandbox node
// built from the files; with the baseline input, the checks the files do
// not decide take the baseline's status) in this process, and returns the
// folder of NODE.json files it wrote under RUNNER_TEMP as a results input,
// so the prediction is gated like live results (nodes control-plane and
// worker). Its errors (no root, no kube-bench) are the action's bad input.
func predictInputs(e *env, dir, base string) ([]string, error) {
	if !hasCommand("predict") {
		return nil, fmt.Errorf("input predict %s: this build of bench-action has no predict command", dir)
	}
	tmp := e.getenv("RUNNER_TEMP")
	if tmp == "" {
		tmp = os.TempDir()
	}
	out := filepath.Join(tmp, "bench-action-predicted")
	if err := os.RemoveAll(out); err != nil {
		return nil, fmt.Errorf("input predict %s: clear %s: %w", dir, out, err)
	}
	args := []string{"predict", "--output", out}
	if base != "" {
		args = append(args, "--baseline", base)
	}
	var stdout, stderr bytes.Buffer
	sub := *e
	sub.stdout, sub.stderr = &stdout, &stderr
	if code := dispatch(&sub, append(args, dir)); code != exitPass {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = fmt.Sprintf("exit %d", code)
		}
		return nil, fmt.Errorf("input predict %s: %s", dir, msg)
	}
	if e.stdout != nil && stderr.Len() > 0 {
		fmt.Fprint(e.stdout, render.LogText(stderr.String())) // what predict says of each node
	}
	return []string{out}, nil
}

// dispatch and hasCommand reach the command table from code the table
// itself leads to (the action's gate); set in init, which breaks the
// initialization cycle a direct reference would be.
var (
	dispatch   func(e *env, args []string) int
	hasCommand func(name string) bool
)

func init() {
	dispatch = run
	hasCommand = func(name string) bool {
		for _, c := range commands {
			if c.name == name {
				return true
			}
		}
		return false
	}
}
