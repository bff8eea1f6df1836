package render_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// WriteText prints a verdict for a terminal or a CI log.
func ExampleWriteText() {
	if err := render.WriteText(os.Stdout, smallVerdict()); err != nil {
		fmt.Println(err)
	}
	// Output:
	// bench-action gate: FAIL
	// New FAIL: 4.2.1 --anonymous-auth not false on worker-1 (unowned)
	//   - 1 open FAIL result (fail-on any)
	//
	// cluster prod: 1 node, cis-1.10
	// FAIL results (one control on one node): 1 open (1 new, 0 persisting), 0 fixed, 0 accepted
	// exceptions: 0 expired, 0 expiring, 0 unused, 0 retargeted
	//
	// == New FAILs: 1 control, 1 result ==
	// [FAIL] 4.2.1 Ensure that the --anonymous-auth argument is set to false (Automated)
	//        nodes: worker-1
	//        fix: set `authentication.anonymous.enabled: false` in the kubelet config file, `/var/lib/kubelet/config.yaml` (or set `--anonymous-auth=false` in kubelet's command line, `/etc/systemd/system/kubelet.service.d/10-kubeadm.conf`)
	//        remediation: Set authentication.anonymous.enabled to false in the kubelet config file.
	//        owner: unowned
}

// WriteMarkdown writes the body of a pull-request comment or a job
// summary; here only its first lines.
func ExampleWriteMarkdown() {
	var b strings.Builder
	if err := render.WriteMarkdown(&b, smallVerdict(), render.MarkdownOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	lines := strings.Split(b.String(), "\n")
	fmt.Println(strings.Join(lines[:min(11, len(lines))], "\n"))
	// Output:
	// ### ❌ New FAIL: 4.2.1 `--anonymous-auth` not false on worker-1 (unowned)
	//
	// **1 new FAIL** (1 node)
	//
	// bench-action CIS gate failed (fail-on any) for cluster `prod`: cis-1.10, 1 node. No baseline to compare with, so every open FAIL counts as new.
	//
	// #### 4.2.1 `--anonymous-auth` not false
	//
	// Ensure that the --anonymous-auth argument is set to false (Automated): on worker-1 · owner unowned\
	// **Fix:** set `authentication.anonymous.enabled: false` in the kubelet config file, `/var/lib/kubelet/config.yaml` (or set `--anonymous-auth=false` in kubelet's command line, `/etc/systemd/system/kubelet.service.d/10-kubeadm.conf`).
	//
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
