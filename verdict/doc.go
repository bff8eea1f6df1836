// Package verdict is the gate: it joins a parsed kube-bench report with the
// exceptions and the baseline into a decision, pass or fail, with the
// findings and the reasons behind it. It renders and publishes nothing, and
// imports only this module's lower packages and the standard library, so a
// tool that only needs the decision pays for nothing else.
//
// # Evaluating
//
// [Evaluate] takes a [*benchresult.Report] and a [Config] (the exceptions
// file, the baseline, the [FailOn] policy, today's date) and returns a
// [*Verdict]. Evaluate never reads the clock: [Config].Now is today.
//
// # Findings
//
// Every FAIL of the report becomes a [Finding] in a [FindingState]: open
// (no exception covers it) or accepted (by which exception). With a
// baseline, each open FAIL is new or persisting; [Verdict.NewFindings],
// [Verdict.PersistingFindings] and [Verdict.AcceptedFindings] list them, and
// [GroupFindings] (as [Verdict.NewGroups] does) gathers one control's
// findings across nodes into a [FindingGroup].
//
// # Where a finding is set
//
// [Verdict.Locate] asks a [Locator] (cmd/bench-action's wraps package
// trace) where each finding's control is set in the configuration files,
// and keeps the answer as [Finding].Where: a [Location] (file, line,
// setting, current value) with the [LineFix] that fixes it.
//
// # Counts and reasons
//
// [Counts] holds the figures (open, new, persisting, fixed and accepted
// FAILs; expired, expiring, unused and retargeted exceptions); [Verdict].Reasons
// says in words why the gate failed or passed. [CompareExceptions] lists the
// exceptions a pull request adds or changes, as [ExceptionChange] values.
//
// # Example
//
//	r, _ := benchresult.Load(sources, benchresult.LoadOptions{Cluster: "prod"})
//	v := verdict.Evaluate(r, verdict.Config{FailOn: verdict.FailOnAny})
//	fmt.Println(v.VerdictWord(), v.Counts.Fail)
//
// The renderers live in package render (and render/junit, render/sarif);
// publishing to GitHub in package action.
package verdict
