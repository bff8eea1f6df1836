package exceptions_test

import (
	"fmt"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
)

// Parse validates an exceptions file and reports every problem at once,
// each as file:line. Use it on a file read by other means than LoadFile (a
// file from a pull request, from stdin).
func ExampleParse() {
	src := []byte(`exceptions:
  - check_id: "1.2.11"
    reason: "air-gapped nodes"
    owner: platform-team
    reveiw_date: "2026-02-30"
    risk_accepted_by: security-eng
  - check_id: "4.2.11"
    reason: "tracked in INFRA-4821"
    review_date: "2027-02-01"
    risk_accepted_by: ciso
`)
	today, _ := exceptions.ParseDate("2026-11-26")
	_, err := exceptions.Parse(src, "kube-bench-exceptions.yaml", exceptions.ParseOptions{Now: today})
	fmt.Println(err)
	// Output:
	// kube-bench-exceptions.yaml:2: exception 1 (check_id "1.2.11"): missing review_date
	// kube-bench-exceptions.yaml:5: exception 1: unknown field "reveiw_date" (did you mean "review_date"?)
	// kube-bench-exceptions.yaml:7: exception 2 (check_id "4.2.11"): missing owner
}

// Evaluate tells, for a day, which FAILs the exceptions accept and what
// became of each exception. Here an exception written for cis-1.8's 1.2.16
// ("--profiling") meets cis-1.10 results, where 1.2.16 is "--audit-log-path".
func ExampleEvaluate() {
	f, err := exceptions.Parse([]byte(`exceptions:
  - check_id: "1.2.16"
    check_description: "--profiling"
    reason: "profiling needed by the perf team"
    owner: platform-team
    review_date: "2027-01-31"
    risk_accepted_by: security-eng
  - check_id: "4.2.*"
    benchmark: cis-1.10
    nodes: ["gpu-*"]
    reason: "vendor kubelet"
    owner: infrastructure-team
    review_date: "2026-12-01"
    risk_accepted_by: ciso
`), "kube-bench-exceptions.yaml", exceptions.ParseOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	control := func(id, text string) *benchresult.Control {
		return &benchresult.Control{Benchmark: "cis-1.10", ID: id, Text: text}
	}
	checks := []benchresult.Check{
		{Control: control("1.2.15", "Ensure that the --profiling argument is set to false (Automated)"), Node: "cp-1", Status: benchresult.Fail},
		{Control: control("1.2.16", "Ensure that the --audit-log-path argument is set (Automated)"), Node: "cp-1", Status: benchresult.Fail},
		{Control: control("4.2.1", "Ensure that the --anonymous-auth argument is set to false (Automated)"), Node: "gpu-1", Status: benchresult.Fail},
		{Control: control("4.2.1", "Ensure that the --anonymous-auth argument is set to false (Automated)"), Node: "cpu-1", Status: benchresult.Fail},
	}
	today, _ := exceptions.ParseDate("2026-11-26")
	ev := exceptions.Evaluate(f, checks, today, 14)
	for _, s := range ev.Statuses {
		fmt.Printf("%s: %s: %s\n", s.Exception.CheckID, s.State, s.Detail)
		if s.Suggestion != "" {
			fmt.Println("  ", s.Suggestion)
		}
	}
	fmt.Println("accepted FAILs:", len(ev.Accepted))
	// Output:
	// 1.2.16: retargeted: check 1.2.16 now names "Ensure that the --audit-log-path argument is set (Automated)" in cis-1.10, not "--profiling": the exception does not apply
	//    did you mean 1.2.15?
	// 4.2.*: expiring: review date 2026-12-01 is in 5 days: accepts 1 FAIL until then
	// accepted FAILs: 1
}

// OwnerOf names who must act on a FAIL: the owners list (last match wins),
// else the owner of the exception that matched it, else "unowned".
func ExampleFile_OwnerOf() {
	f, _ := exceptions.Parse([]byte(`owners:
  - checks: ["1.*", "2.*", "3.*"]
    owner: platform-team
  - checks: ["4.*"]
    owner: infrastructure-team
  - checks: ["4.2.1"]
    owner: security-team
`), "owners.yaml", exceptions.ParseOptions{})
	for _, id := range []string{"1.2.16", "4.2.1", "4.2.10", "5.1.1"} {
		c := benchresult.Check{Control: &benchresult.Control{ID: id}, Status: benchresult.Fail}
		fmt.Println(id, f.OwnerOf(&c, nil))
	}
	// Output:
	// 1.2.16 platform-team
	// 4.2.1 security-team
	// 4.2.10 infrastructure-team
	// 5.1.1 unowned
}
