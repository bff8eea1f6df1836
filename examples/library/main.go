// Command library shows bench-action's packages used directly: it reads a
// fleet of kube-bench outputs, applies the exceptions file, diffs against a
// baseline and prints the verdict as Markdown.
//
//	go run ./examples/library examples/results-pr examples/.kube-bench-baseline.json examples/kube-bench-exceptions.yaml
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: library RESULTS-DIR BASELINE EXCEPTIONS")
		os.Exit(2)
	}
	code, err := run(os.Args[1], os.Args[2], os.Args[3], exceptions.DateOf(time.Now().UTC()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func run(results, baselinePath, exceptionsPath string, today exceptions.Date) (int, error) {
	// 1. Parse every node's output (the node is the file's base name).
	sources, err := benchresult.ResolveInputs([]string{results})
	if err != nil {
		return 2, err
	}
	report, err := benchresult.Load(sources, benchresult.LoadOptions{Cluster: "demo"})
	if err != nil {
		return 2, err
	}
	// 2. The accepted risks and owners.
	ex, err := exceptions.LoadFile(exceptionsPath, exceptions.ParseOptions{Now: today})
	if err != nil {
		return 2, err
	}
	// 3. The baseline.
	data, err := os.ReadFile(baselinePath)
	if err != nil {
		return 2, err
	}
	base, err := baseline.Parse(data, baselinePath, baseline.ParseOptions{})
	if err != nil {
		return 2, err
	}
	// 4. The verdict, printed as the Markdown of a PR comment.
	v := verdict.Evaluate(report, verdict.Config{Exceptions: ex, Baseline: base, FailOn: verdict.FailOnNew, WarnDays: 14, Now: today})
	if err := render.WriteMarkdown(os.Stdout, v, render.MarkdownOptions{}); err != nil {
		return 2, err
	}
	// Counts are results: one control on one node.
	fmt.Printf("\nverdict: %s; open FAIL results: %d, %d of them new\n", v.VerdictWord(), v.Counts.Fail, v.Counts.New)
	if !v.Pass {
		return 1, nil
	}
	return 0, nil
}
