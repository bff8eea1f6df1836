package main

import (
	"fmt"

	"github.com/bench-action/bench-action/action"
)

func runReport(e *env, args []string) int {
	fs := newFlagSet(e, "report", "report [--format text|json|markdown] [--cluster C] [--profile P] [--output F] INPUT...")
	var in inputFlags
	in.register(fs)
	format := fs.String("format", "text", "output format: text, json or markdown")
	output := fs.String("output", "", "write to this file instead of standard output")
	pos, err := parseFlags(fs, args)
	if code, done := flagResult(e, fs, "report", err); done {
		return code
	}
	switch *format {
	case "text", "json", "markdown":
	default:
		return fail(e, "report", usageError(fmt.Sprintf("unknown --format %q (want text, json or markdown)", *format)))
	}
	r, err := in.load(e, pos)
	if err != nil {
		return fail(e, "report", err)
	}
	w, closeOut, err := openOutput(e, *output)
	if err != nil {
		return fail(e, "report", err)
	}
	switch *format {
	case "json":
		err = action.WriteReportJSON(w, r)
	case "markdown":
		err = action.WriteReportMarkdown(w, r)
	default:
		err = action.WriteReportText(w, r)
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(e, "report", fmt.Errorf("write report: %w", err))
	}
	return exitPass
}
