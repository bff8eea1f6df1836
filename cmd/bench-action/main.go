// Command bench-action turns kube-bench results into a compliance gate.
// See the README for the subcommands; this package only handles flags,
// I/O and exit codes, and passes the clock and the environment to the
// library packages.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/bench-action/bench-action/action/githubapi"
)

// Exit codes (the contract in DESIGN.md).
const (
	exitPass  = 0
	exitFail  = 1 // the gate failed
	exitUsage = 2 // bad usage or bad input
)

// version is set at release time (-ldflags "-X main.version=...").
var version = "dev"

// env is everything a subcommand may take from the outside world.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	now    func() time.Time
	// tuneGitHub, when set, adjusts the GitHub client's configuration
	// (tests point it at a fake and turn off the real waits).
	tuneGitHub func(*githubapi.Config)
}

// command is one subcommand: it returns the process exit code.
type command struct {
	summary string
	run     func(e *env, args []string) int
}

var commands = map[string]command{
	"report":     {"summarise kube-bench results of a fleet (text, json, markdown)", runReport},
	"gate":       {"pass or fail results against exceptions and a baseline", runGate},
	"baseline":   {"write a baseline of the current results", runBaseline},
	"exceptions": {"exceptions lint FILE: validate an exceptions file", runExceptions},
	"action":     {"run as the GitHub Action (reads INPUT_* and GITHUB_*)", runAction},
	"trend":      {"keep run history and trend reports", runTrend},
	"metrics":    {"Prometheus metrics of a run", runMetrics},
}

func main() {
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	os.Exit(run(e, os.Args[1:]))
}

func run(e *env, args []string) int {
	if len(args) == 1 && (args[0] == "version" || args[0] == "--version") {
		fmt.Fprintln(e.stdout, "bench-action", version)
		return exitPass
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitPass
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "bench-action: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
	return cmd.run(e, args[1:])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: bench-action <command> [flags] INPUT...")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-11s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nINPUT is a file, a directory, a glob, NODE=PATH, or - for stdin.")
	fmt.Fprintln(w, "exit codes: 0 pass, 1 the gate failed, 2 bad usage or bad input.")
}
