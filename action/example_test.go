package action_test

import (
	"context"
	"fmt"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// outputs is an in-memory Runner: it keeps the step outputs and drops the
// summary, annotations and log lines.
type outputs struct {
	set     []string
	summary int
}

func (o *outputs) SetOutput(name, value string) error {
	o.set = append(o.set, name+"="+value)
	return nil
}
func (o *outputs) AddSummary(markdown string) error   { o.summary += len(markdown); return nil }
func (o *outputs) Annotate(a render.Annotation) error { return nil }
func (o *outputs) Mask(secret string) error           { return nil }
func (o *outputs) Log(level, message string) error    { return nil }

// Run is the whole action; here with the inputs in a map, no GitHub client
// and a Gate that evaluates a fleet already parsed.
func ExampleRun() {
	env := map[string]string{"INPUT_RESULTS": "results/", "INPUT_FAIL-ON": "any", "GITHUB_EVENT_NAME": "push"}
	runner := &outputs{}
	code, err := action.Run(context.Background(), action.Env{
		Getenv: func(k string) string { return env[k] },
		Runner: runner,
		Gate: func(in action.Inputs) (*verdict.Verdict, error) {
			return verdict.Evaluate(fleet(), verdict.Config{FailOn: in.FailOn}), nil
		},
	})
	fmt.Println("exit", code, err)
	for _, o := range runner.set {
		fmt.Println(o)
	}
	fmt.Println("summary written:", runner.summary > 0)
	// Output:
	// exit 1 <nil>
	// verdict=fail
	// fail-count=1
	// new-count=1
	// fixed-count=0
	// accepted-count=0
	// expired-count=0
	// summary-file=
	// summary written: true
}

// fleet is one worker's kube-bench JSON with two checks: 4.2.1 fails,
// 4.2.2 passes.
func fleet() *benchresult.Report {
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
	return benchresult.Merge("prod", nr)
}
