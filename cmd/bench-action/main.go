// Command bench-action turns kube-bench results into a compliance gate.
// See the README for the subcommands; this package only handles flags,
// I/O and exit codes, and passes the clock and the environment to the
// library packages.
package main

import (
	"flag"
	"io"
	"os"
	"runtime/debug"
	"time"

	"github.com/bench-action/bench-action/action/githubapi"
	"github.com/bench-action/bench-action/benchresult"
)

// Exit codes (the contract in DESIGN.md).
const (
	exitPass  = 0
	exitFail  = 1 // the gate failed
	exitUsage = 2 // bad usage or bad input
)

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
	// sizeGC, when set, is told the inputs' sources and the other files
	// whose contents the run keeps (a baseline) before they are loaded
	// (main bounds the heap by their size; tests leave it nil).
	sizeGC func(sources []benchresult.Source, held []string)
}

// commands are the subcommands, in the order the help lists them.
var commands = []*command{
	{name: "report", summary: "summarise kube-bench results of a fleet (text, json, markdown)", args: "INPUT...", define: defineReport},
	{name: "gate", summary: "pass or fail results against exceptions and a baseline", args: "INPUT...", define: defineGate},
	{name: "baseline", summary: "write a baseline of the current results", args: "INPUT...", define: defineBaseline},
	{name: "exceptions", summary: "check, pin or migrate an exceptions file", subs: []*command{
		{name: "exceptions lint", summary: "validate an exceptions file, and check it against --results", args: "FILE [INPUT...]", define: defineExceptionsLint},
		{name: "exceptions pin", summary: "write the control each exception matches in the results into the file", args: "FILE INPUT...", define: defineExceptionsPin},
		{name: "exceptions migrate", summary: "rewrite the check ids of a file for a benchmark upgrade", args: "FILE", define: defineExceptionsMigrate},
	}},
	{name: "trend", summary: "keep run history and trend reports", subs: []*command{
		{name: "trend append", summary: "add a run to a history file", args: "INPUT...", define: defineTrendAppend},
		{name: "trend report", summary: "render a history as a Markdown or HTML trend report", define: defineTrendReport},
		{name: "trend convert", summary: "convert the seed's JSON history to JSON Lines", args: "[FILE]", define: defineTrendConvert},
		{name: "trend compact", summary: "drop old runs from a history file", define: defineTrendCompact},
	}},
	{name: "metrics", summary: "Prometheus metrics of a run", args: "INPUT...", define: defineMetrics},
	{name: "predict", summary: "kube-bench's results of configuration files, run on a sandbox node", args: "CONFIG_DIR...", define: definePredict},
	{name: "action", summary: "run as the GitHub Action (reads INPUT_* and GITHUB_*)", define: defineAction},
	{name: "version", summary: "print the version, VCS revision and Go version of this build", define: defineVersion},
}

// root is bench-action itself: the group of every command.
var root = &command{subs: commands}

func main() {
	// A run's live heap is the fleet's report, its garbage the parse's
	// scratch: collecting at 5× the live heap instead of 2× takes Load
	// of 2,000 nodes from 117 to 95 ms (peak RSS 30 to 31 MB; 78 to 86 MB
	// at 10,000; perf/README.md). GOGC, when set, still decides.
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, now: time.Now}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
		if os.Getenv("GOMEMLIMIT") == "" {
			e.sizeGC = limitHeap
		}
	}
	os.Exit(run(e, os.Args[1:]))
}

// limitHeap sets a soft memory limit from the inputs' size, so that the
// 5× of SetGCPercent(400) does not grow a large fleet's peak: the gate's
// live heap at its peak is about a tenth of the input bytes (40 MB of a
// 10,000-node fleet's 425 MB: the report, the findings, their groups), and
// without a limit the first collection after Load is at 5× its live heap.
// The limit is an eighth of the input bytes, and at least 48 MiB, which a
// 2,000-node gate (31 MB peak RSS) never reaches: 10,000 nodes peak at
// 59-60 MB RSS instead of 71 (perf/README.md). A baseline stays in memory
// beside the report: 1.5× its file size is added (a 2,000-node baseline of
// 11 MB carried across benchmark versions thrashed at 48 MiB, 0.91 s, and
// takes 0.49 s at 73 MB RSS with 64 MiB). It is soft: a fleet whose live
// heap is larger only collects more often. The size is estimated from at
// most 256 sources evenly spread (a stat costs a 2,000-node gate more than
// its limit gains), beside Load.
func limitHeap(sources []benchresult.Source, held []string) {
	go func() {
		var kept int64
		for _, p := range held {
			if fi, err := os.Stat(p); err == nil {
				kept += fi.Size() * 3 / 2
			}
		}
		step := max(1, len(sources)/256)
		var total int64
		n := 0
		for i := 0; i < len(sources); i += step {
			if sources[i].Path == "-" {
				continue
			}
			if fi, err := os.Stat(sources[i].Path); err == nil {
				total += fi.Size()
				n++
			}
		}
		if n == 0 {
			return
		}
		estimate := total / int64(n) * int64(len(sources))
		debug.SetMemoryLimit(max(48<<20, estimate/8) + kept)
	}()
}

func run(e *env, args []string) int {
	switch {
	case len(args) == 1 && args[0] == "--version":
		args = []string{"version"}
	case len(args) > 1 && args[0] == "help": // help gate = gate --help
		args = append(args[1:len(args):len(args)], "--help")
	}
	return root.dispatch(e, args)
}

// defineAction: the action takes no flags and no arguments, only INPUT_*
// and GITHUB_* from the environment (see action.yml).
func defineAction(*flag.FlagSet) func(*env, []string) int { return runAction }
