package main

import (
	"flag"
	"fmt"

	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// lintCmd is `bench-action exceptions lint FILE [--results INPUT...]`.
// It takes the gate's flags about inputs and review dates, not the ones
// about the baseline or what fails the gate.
type lintCmd struct {
	gateFlags
	results bool
}

func defineExceptionsLint(fs *flag.FlagSet) func(*env, []string) int {
	c := &lintCmd{}
	c.inputFlags.register(fs)
	c.purpose = "check the exceptions against"
	c.registerDates(fs)
	fs.BoolVar(&c.results, "results", false, "the arguments after FILE are results (INPUT...) to check the exceptions against")
	return c.run
}

func (c *lintCmd) run(e *env, pos []string) int {
	if len(pos) == 0 {
		return fail(e, "exceptions lint", usageError("no exceptions FILE given"))
	}
	c.exceptions = pos[0]
	inputs := pos[1:]
	if len(inputs) > 0 && !c.results {
		return fail(e, "exceptions lint", usageError("more than one FILE: give results after --results"))
	}
	now, err := c.today(e)
	if err != nil {
		return fail(e, "exceptions lint", err)
	}
	f, err := exceptions.LoadFile(c.exceptions, exceptions.ParseOptions{Now: now})
	if err != nil {
		return fail(e, "exceptions lint", err)
	}
	if len(inputs) == 0 {
		fmt.Fprintf(e.stdout, "%s: %s, %s: valid\n", c.exceptions, plural(len(f.Exceptions), "exception"), plural(len(f.Owners), "owner rule"))
		return exitPass
	}
	r, err := c.load(e, inputs)
	if err != nil {
		return fail(e, "exceptions lint", err)
	}
	v := verdict.Evaluate(r, verdict.Config{Exceptions: f, FailOn: verdict.FailOnNone, WarnDays: c.warnDays, Now: now, AllowExpired: c.allowExpired})
	fmt.Fprintf(e.stdout, "%s: %s, %s: valid\n", c.exceptions, plural(len(f.Exceptions), "exception"), plural(len(f.Owners), "owner rule"))
	for _, s := range v.Exceptions {
		ex := s.Exception
		// The file's text is someone else's: print it log-safe.
		fmt.Fprintln(e.stdout, render.LogText(fmt.Sprintf("%s:%d: %s %s (owner %s, review date %s): %s", ex.Source, ex.Line, s.State, ex.CheckID, ex.Owner, ex.ReviewDate, s.Detail)))
		if s.Suggestion != "" {
			fmt.Fprintln(e.stdout, render.LogText(fmt.Sprintf("%s:%d:   %s", ex.Source, ex.Line, s.Suggestion)))
		}
	}
	if v.Counts.Expired > 0 && !c.allowExpired {
		fmt.Fprintf(e.stderr, "bench-action exceptions lint: %s\n", plural(v.Counts.Expired, "expired exception"))
		return exitFail
	}
	return exitPass
}
