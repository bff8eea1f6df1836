package junit_test

import (
	"fmt"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render/junit"
	"github.com/bench-action/bench-action/verdict"
)

// Write gives CI systems that show test reports one test case per check;
// here the first lines of the XML.
func ExampleWrite() {
	var b strings.Builder
	if err := junit.Write(&b, smallVerdict()); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(b.String(), "\n")
	fmt.Println(strings.Join(lines[:min(8, len(lines))], "\n"))
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <testsuites name="bench-action prod" tests="2" failures="1">
	// 	<testsuite name="worker-1/node" tests="2" failures="1" errors="0" id="0" hostname="worker-1" time="0">
	// 		<properties>
	// 			<property name="cluster" value="prod"></property>
	// 			<property name="node" value="worker-1"></property>
	// 			<property name="target" value="node"></property>
	// 			<property name="benchmark" value="cis-1.10"></property>
}

// smallVerdict gates one worker's kube-bench JSON with two checks:
// 4.2.1 fails, 4.2.2 passes.
func smallVerdict() *verdict.Verdict {
	out := `{"Controls":[{"id":"4","version":"cis-1.10","text":"Worker Node Security Configuration","node_type":"node",
"tests":[{"section":"4.2","desc":"Kubelet","results":[
 {"test_number":"4.2.1","test_desc":"Ensure that the --anonymous-auth argument is set to false (Automated)",
  "remediation":"Set authentication.anonymous.enabled to false in the kubelet config file.","status":"FAIL","scored":true},
 {"test_number":"4.2.2","test_desc":"Ensure that the --authorization-mode argument is not set to AlwaysAllow (Automated)",
  "remediation":"Set authorization.mode to Webhook.","status":"PASS","scored":true}]}],
"total_pass":1,"total_fail":1,"total_warn":0,"total_info":0}],
"Totals":{"total_pass":1,"total_fail":1,"total_warn":0,"total_info":0}}`
	nr, err := benchresult.ParseBytes([]byte(out), "worker-1.json", benchresult.Options{Node: "worker-1"})
	if err != nil {
		panic(err)
	}
	return verdict.Evaluate(benchresult.Merge("prod", nr), verdict.Config{FailOn: verdict.FailOnAny})
}
