package action

import (
	"fmt"
	"io"
	"strings"

	"github.com/bench-action/bench-action/render"
	"github.com/sethvargo/go-githubactions"
)

// Runner is the Actions runner as the action writes to it: step outputs,
// the job summary, annotations, masks and log lines. Every write reports
// its failure as an error (a full disk, a closed log) instead of panicking.
type Runner interface {
	SetOutput(name, value string) error
	AddSummary(markdown string) error
	Annotate(a render.Annotation) error
	Mask(secret string) error
	// Log writes a line at level "info", "warning" or "error" (the last two
	// are annotations without a file).
	Log(level, message string) error
}

// CommandRunner is the [Runner] of a real job: workflow commands on Log
// (escaped by go-githubactions), outputs and the summary appended to the
// files GITHUB_OUTPUT and GITHUB_STEP_SUMMARY name.
type CommandRunner struct {
	Out        io.Writer                            // the job log: the step's standard output
	Getenv     func(string) string                  // for GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
	AppendFile func(path string, data []byte) error // appends to a file, creating it
}

var _ Runner = (*CommandRunner)(nil)

// outputDelimiter ends a multi-line value in GITHUB_OUTPUT, as
// go-githubactions and actions/toolkit write it.
const outputDelimiter = "_GitHubActionsFileCommandDelimeter_"

// SetOutput appends name=value to GITHUB_OUTPUT.
func (r *CommandRunner) SetOutput(name, value string) error {
	if strings.Contains(value, outputDelimiter) {
		return fmt.Errorf("set output %s: the value holds the file command delimiter", name)
	}
	return r.appendTo("GITHUB_OUTPUT", "output "+name, name+"<<"+outputDelimiter+"\n"+value+"\n"+outputDelimiter+"\n")
}

// AddSummary appends Markdown to the job summary (GITHUB_STEP_SUMMARY).
func (r *CommandRunner) AddSummary(markdown string) error {
	return r.appendTo("GITHUB_STEP_SUMMARY", "job summary", markdown+"\n")
}

func (r *CommandRunner) appendTo(env, what, data string) error {
	path := r.Getenv(env)
	if path == "" {
		return fmt.Errorf("write %s: %s is not set (not running in GitHub Actions?)", what, env)
	}
	if err := r.AppendFile(path, []byte(data)); err != nil {
		return fmt.Errorf("write %s to %s: %w", what, path, err)
	}
	return nil
}

// Annotate writes an ::error, ::warning or ::notice command, with the file and line
// when the annotation has them.
func (r *CommandRunner) Annotate(a render.Annotation) error {
	props := githubactions.CommandProperties{"title": a.Title}
	if a.File != "" {
		props["file"] = a.File
		if a.Line > 0 {
			props["line"] = fmt.Sprint(a.Line)
		}
	}
	name := "warning"
	if a.Level == "error" || a.Level == "notice" {
		name = a.Level
	}
	return r.command(&githubactions.Command{Name: name, Message: a.Message, Properties: props})
}

// Mask asks the runner to hide secret in the rest of the log.
func (r *CommandRunner) Mask(secret string) error {
	return r.command(&githubactions.Command{Name: "add-mask", Message: secret})
}

// Log writes an info line, or a warning or error command.
func (r *CommandRunner) Log(level, message string) error {
	if level == "warning" || level == "error" {
		return r.command(&githubactions.Command{Name: level, Message: message})
	}
	_, err := fmt.Fprintln(r.Out, render.LogText(message))
	return err
}

func (r *CommandRunner) command(c *githubactions.Command) error {
	if _, err := fmt.Fprintln(r.Out, c.String()); err != nil {
		return fmt.Errorf("write the %s command to the log: %w", c.Name, err)
	}
	return nil
}
