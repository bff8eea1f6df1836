package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// predictInputs is the action's predict input: it runs `bench-action
// predict DIR` (the real kube-bench on a sandbox node built from the
// files) in this process, writes what it prints under RUNNER_TEMP, and
// returns that file as a results input (NODE=PATH, node "predicted"), so
// the prediction is gated like live results. Its errors (no root, no
// kube-bench) are the action's bad input.
func predictInputs(e *env, dir string) ([]string, error) {
	if !hasCommand("predict") {
		return nil, fmt.Errorf("input predict %s: this build of bench-action has no predict command", dir)
	}
	tmp := e.getenv("RUNNER_TEMP")
	if tmp == "" {
		tmp = os.TempDir()
	}
	var out, errOut bytes.Buffer
	sub := *e
	sub.stdout, sub.stderr = &out, &errOut
	if code := dispatch(&sub, []string{"predict", dir}); code != exitPass {
		msg := strings.TrimSpace(errOut.String())
		if msg == "" {
			msg = fmt.Sprintf("exit %d", code)
		}
		return nil, fmt.Errorf("input predict %s: %s", dir, msg)
	}
	file := filepath.Join(tmp, "bench-action-predicted.json")
	if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
		return nil, fmt.Errorf("input predict %s: write %s: %w", dir, file, err)
	}
	return []string{"predicted=" + file}, nil
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
