// Package action is the GitHub Action's runtime: it reads the action's
// inputs and the triggering event, gates the results through a caller's
// function, and publishes the verdict as a job summary, workflow
// annotations, step outputs, a sticky pull-request comment and one tracking
// issue per owner. It reads no environment, clock or file by itself and
// imports no GitHub client: everything comes through [Env].
//
// # Running
//
// [Run] is the whole action; it returns the exit code ([ExitPass],
// [ExitFail], [ExitUsage]). cmd/bench-action wires the real [Env]: the
// process environment, a [CommandRunner] writing workflow commands and the
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and the go-github adapter of
// package action/githubapi.
//
// # Publishing through small interfaces
//
// A [Runner] takes outputs, the summary and annotations; a
// [CommentPublisher] keeps the sticky comment, an [IssueTracker] the
// tracking issues, a [ReviewPublisher] the review comments with suggested
// changes on the lines a pull request changed (for FAILs traced by the
// configs input), a [FileReader] reads the base branch's exceptions file.
// [Publisher] uses them for one verdict. A refused write (a fork's read-only
// token, [ErrReadOnly]) degrades to the summary and annotations; the gate
// still decides the exit code.
//
// # Inputs and event
//
// [Inputs] are the inputs action.yml declares; [Event] is what the action
// needs of the webhook payload.
//
// # Example
//
// The caller passes the world in (cmd/bench-action gives the process's
// environment, the clock and standard output):
//
//	code, err := action.Run(ctx, action.Env{
//		Getenv: getenv, // INPUT_* and GITHUB_*
//		Now:    now,
//		Runner: &action.CommandRunner{Out: stdout, Getenv: getenv, AppendFile: appendFile},
//		Log:    stdout,
//		Gate:   gate, // func(action.Inputs) (*verdict.Verdict, error)
//	})
package action
