// Package junit writes a verdict as JUnit XML, for CI systems that show test
// reports (GitLab, Jenkins, Azure Pipelines, GitHub test-report actions):
// one test suite per node and target, one test case per check. It is a
// package of its own so that only its users import go-junit-report.
//
// # Writing
//
// [Write] writes the XML; [New] gives the go-junit-report model to change
// before writing (a timestamp, for example). The output depends only on the
// verdict, and is safe to print in a CI log.
//
// # Example
//
//	v := verdict.Evaluate(report, verdict.Config{})
//	if err := junit.Write(f, v); err != nil {
//		return err
//	}
package junit
