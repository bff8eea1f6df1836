package trace_test

import (
	"fmt"
	"testing/fstest"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/trace"
)

// When kube-bench reports a FAIL and the node's configuration is kept in
// git, Trace points at the line and gives the change as a suggestion.
func Example() {
	fsys := fstest.MapFS{
		"manifests/kube-apiserver.yaml": {Data: []byte(`apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
spec:
  containers:
  - name: kube-apiserver
    command:
    - kube-apiserver
    - --profiling=false
    args:
    - --profiling=true
`)},
	}
	cfg, err := trace.Load(fsys)
	if err != nil {
		fmt.Println(err)
		return
	}
	// kube-bench passes 1.2.15 here: it reads the first --profiling
	for _, f := range trace.Trace(cfg, trace.Check{Benchmark: "cis-1.10", ID: "1.2.15", Status: benchresult.Pass}) {
		fmt.Printf("%s:%d\n%s\n", f.File, f.Line, f.Disagreement)
		for _, e := range f.Fix {
			fmt.Printf("lines %d-%d: %q -> %q\n", e.Line, e.EndLine, e.Old, e.New)
		}
	}
	// Output:
	// manifests/kube-apiserver.yaml:12
	// kube-bench passes 1.2.15, but kube-apiserver runs with `--profiling=true` from line 12 of manifests/kube-apiserver.yaml (kube-bench reads the first of 2 occurrences, `--profiling=false` on line 10; the last one wins)
	// lines 12-12: "    - --profiling=true" -> ""
}
