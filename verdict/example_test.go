package verdict_test

import (
	"fmt"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/verdict"
)

// Evaluate gates a fleet: here three nodes' real kube-bench outputs, with
// one exception that accepts a control, failing on any open FAIL.
func ExampleEvaluate() {
	sources, err := benchresult.ResolveInputs([]string{"../benchresult/testdata/examples"})
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := benchresult.Load(sources, benchresult.LoadOptions{Cluster: "prod"})
	if err != nil {
		fmt.Println(err)
		return
	}
	today := exceptions.Date{Year: 2026, Month: 11, Day: 26}
	ex, err := exceptions.Parse([]byte(`exceptions:
  - check_id: "4.1.9"
    reason: "the kubelet config is read-only in this image"
    owner: platform-team
    review_date: "2027-01-31"
    risk_accepted_by: security-eng
`), "kube-bench-exceptions.yaml", exceptions.ParseOptions{Now: today})
	if err != nil {
		fmt.Println(err)
		return
	}
	v := verdict.Evaluate(r, verdict.Config{Exceptions: ex, FailOn: verdict.FailOnAny, Now: today})
	fmt.Println(v.VerdictWord())
	fmt.Printf("open %d, accepted %d, new %d\n", v.Counts.Fail, v.Counts.Accepted, v.Counts.New)
	fmt.Println(v.Reasons[0])
	// Output:
	// fail
	// open 35, accepted 3, new 35
	// 35 open FAIL results (fail-on any); 20 of them are failed tests of checks that are Manual in their benchmark (kube-bench reports WARN; --manual-as-warn ignores them)
}
