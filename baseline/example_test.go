package baseline_test

import (
	"fmt"
	"os"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
)

// Record the current results as a baseline, for example to commit it as
// .kube-bench-baseline.json when the gate is first enabled.
func ExampleFromChecks() {
	anon := &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetNode, ID: "4.2.1", Text: "Ensure that the --anonymous-auth argument is set to false (Automated)"}
	rbac := &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetPolicies, ID: "5.1.1", Text: "Ensure that the cluster-admin role is only used where required (Manual)"}
	checks := []benchresult.Check{
		{Control: anon, Cluster: "prod", Node: "worker-2", Status: benchresult.Pass},
		{Control: anon, Cluster: "prod", Node: "worker-1", Status: benchresult.Fail},
		{Control: rbac, Cluster: "prod", Status: benchresult.Warn},
	}
	if _, err := baseline.FromChecks(checks).WriteTo(os.Stdout); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"version":1,"checks":[
	// {"cluster":"prod","node":"","benchmark":"cis-1.10","target":"policies","id":"5.1.1","status":"WARN","text":"Ensure that the cluster-admin role is only used where required (Manual)"},
	// {"cluster":"prod","node":"worker-1","benchmark":"cis-1.10","target":"node","id":"4.2.1","status":"FAIL","text":"Ensure that the --anonymous-auth argument is set to false (Automated)"},
	// {"cluster":"prod","node":"worker-2","benchmark":"cis-1.10","target":"node","id":"4.2.1","status":"PASS","text":"Ensure that the --anonymous-auth argument is set to false (Automated)"}
	// ]}
}

// Read a committed baseline: the JSON format, or the seed's file holding
// only a FAIL count. Problems name the file and the line.
func ExampleParse() {
	b, err := baseline.Parse([]byte(`{"version":1,"checks":[
{"cluster":"prod","node":"worker-1","benchmark":"cis-1.10","target":"node","id":"4.2.1","status":"FAIL","text":"Ensure that the --anonymous-auth argument is set to false"}
]}`), ".kube-bench-baseline.json", baseline.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range b.Entries {
		fmt.Println(e.Key, e.Status)
	}

	legacy, _ := baseline.Parse([]byte("12\n"), "kube-bench-baseline.txt", baseline.ParseOptions{})
	fmt.Println("legacy:", legacy.Legacy, legacy.FailCount)

	_, err = baseline.Parse([]byte(`{"version":1,"checks":[
{"target":"node","id":"4.2.1","status":"FAILED"}
]}`), ".kube-bench-baseline.json", baseline.ParseOptions{})
	fmt.Println(err)
	// Output:
	// prod/worker-1/cis-1.10/node/4.2.1 FAIL
	// legacy: true 12
	// read .kube-bench-baseline.json: line 2: check 4.2.1: unknown status "FAILED" (want PASS, FAIL, WARN, INFO or NOT APPLICABLE)
}

// Compare today's results with a baseline taken on an older benchmark
// version: the audit-log-path control moved from 1.2.17 (cis-1.8) to 1.2.16
// (cis-1.10), and its FAIL persists rather than appearing new.
func ExampleDiff() {
	base, err := baseline.Parse([]byte(`{"version":1,"checks":[
{"cluster":"prod","node":"cp-1","benchmark":"cis-1.8","target":"master","id":"1.2.16","status":"FAIL","text":"Ensure that the --profiling argument is set to false (Automated)"},
{"cluster":"prod","node":"cp-1","benchmark":"cis-1.8","target":"master","id":"1.2.17","status":"FAIL","text":"Ensure that the --audit-log-path argument is set (Automated)"}
]}`), "baseline.json", baseline.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	control := func(id, text string) *benchresult.Control {
		return &benchresult.Control{Benchmark: "cis-1.10", Target: benchresult.TargetMaster, ID: id, Text: text}
	}
	checks := []benchresult.Check{
		{Control: control("1.2.15", "Ensure that the --profiling argument is set to false (Automated)"), Cluster: "prod", Node: "cp-1", Status: benchresult.Pass},
		{Control: control("1.2.16", "Ensure that the --audit-log-path argument is set (Automated)"), Cluster: "prod", Node: "cp-1", Status: benchresult.Fail},
		{Control: control("1.2.17", "Ensure that the --audit-log-maxage argument is set to 30 or as appropriate (Automated)"), Cluster: "prod", Node: "cp-1", Status: benchresult.Fail},
	}
	d := baseline.Diff(base, checks)
	for _, c := range d.Carried {
		fmt.Printf("carried %s %s -> %s %s\n", c.From.Benchmark, c.From.ID, c.To.Benchmark, c.To.ID)
	}
	for _, l := range []struct {
		name    string
		changes []baseline.Change
	}{{"new", d.New}, {"persisting", d.Persisting}, {"fixed", d.Fixed}} {
		for _, c := range l.changes {
			before := "not in the baseline"
			if c.Before != 0 {
				before = c.Before.String()
			}
			fmt.Printf("%s: %s (%s -> %s)\n", l.name, c.Key.ID, before, c.After)
		}
	}
	// Output:
	// carried cis-1.8 1.2.16 -> cis-1.10 1.2.15
	// carried cis-1.8 1.2.17 -> cis-1.10 1.2.16
	// new: 1.2.17 (not in the baseline -> FAIL)
	// persisting: 1.2.16 (FAIL -> FAIL)
	// fixed: 1.2.15 (FAIL -> PASS)
}
