package sarif_test

import (
	"fmt"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render/sarif"
	"github.com/bench-action/bench-action/verdict"
)

// Write gives GitHub code scanning one result per open FAIL; here the
// lines naming the SARIF version, the levels (the rule's default, then the
// result's), the location and the rule id.
func ExampleWrite() {
	var b strings.Builder
	if err := sarif.Write(&b, smallVerdict(), sarif.Options{LocationURI: "clusters/prod/kube-bench-exceptions.yaml"}); err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range strings.Split(b.String(), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, `"version"`) || strings.HasPrefix(l, `"ruleId"`) || strings.HasPrefix(l, `"level"`) || strings.HasPrefix(l, `"uri"`) {
			fmt.Println(l)
		}
	}
	// Output:
	// "version": "2.1.0",
	// "level": "error",
	// "uri": "clusters/prod/kube-bench-exceptions.yaml"
	// "ruleId": "cis-1.10/node/4.2.1",
	// "level": "error",
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
