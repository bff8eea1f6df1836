package main

import (
	"fmt"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/exceptions"
)

// runExceptions is `bench-action exceptions lint F [--results INPUT...]`.
func runExceptions(e *env, args []string) int {
	if len(args) == 0 || args[0] != "lint" {
		return fail(e, "exceptions", usageError("usage: bench-action exceptions lint FILE [--results INPUT...] [--warn-days N] [--now YYYY-MM-DD]"))
	}
	fs := newFlagSet(e, "exceptions lint", "exceptions lint FILE [--results INPUT...] [--warn-days N] [--now YYYY-MM-DD] [--allow-expired]")
	var g gateFlags
	g.register(fs)
	results := fs.Bool("results", false, "the arguments after FILE are results to check the exceptions against")
	pos, err := parseFlags(fs, args[1:])
	if code, done := flagResult(e, fs, "exceptions lint", err); done {
		return code
	}
	if len(pos) == 0 {
		return fail(e, "exceptions lint", usageError("no exceptions FILE given"))
	}
	g.exceptions = pos[0]
	inputs := pos[1:]
	if len(inputs) > 0 && !*results {
		return fail(e, "exceptions lint", usageError("more than one FILE: give results after --results"))
	}
	now, err := g.today(e)
	if err != nil {
		return fail(e, "exceptions lint", err)
	}
	f, err := exceptions.Load(g.exceptions, exceptions.ParseOptions{Now: now})
	if err != nil {
		return fail(e, "exceptions lint", err)
	}
	if len(inputs) == 0 {
		fmt.Fprintf(e.stdout, "%s: %d exception(s), %d owner rule(s): valid\n", g.exceptions, len(f.Exceptions), len(f.Owners))
		return exitPass
	}
	r, err := g.load(e, inputs)
	if err != nil {
		return fail(e, "exceptions lint", err)
	}
	v := action.Evaluate(r, action.Config{Exceptions: f, FailOn: action.FailOnNone, WarnDays: g.warnDays, Now: now, AllowExpired: g.allowExpired})
	fmt.Fprintf(e.stdout, "%s: %d exception(s), %d owner rule(s): valid\n", g.exceptions, len(f.Exceptions), len(f.Owners))
	for _, s := range v.Exceptions {
		ex := s.Exception
		// The file's text is someone else's: print it log-safe.
		fmt.Fprintln(e.stdout, action.LogText(fmt.Sprintf("%s:%d: %s %s (owner %s, review date %s): %s", ex.Source, ex.Line, s.State, ex.CheckID, ex.Owner, ex.ReviewDate, s.Detail)))
		if s.Suggestion != "" {
			fmt.Fprintln(e.stdout, action.LogText(fmt.Sprintf("%s:%d:   %s", ex.Source, ex.Line, s.Suggestion)))
		}
	}
	if v.Counts.Expired > 0 && !g.allowExpired {
		fmt.Fprintf(e.stderr, "bench-action exceptions lint: %d expired exception(s)\n", v.Counts.Expired)
		return exitFail
	}
	return exitPass
}
