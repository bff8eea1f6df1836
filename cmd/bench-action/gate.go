package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bench-action/bench-action/action"
	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/exceptions"
)

// gateFlags are the flags of the gate pipeline, shared by `gate` and the
// GitHub Action mode.
type gateFlags struct {
	inputFlags
	exceptions   string
	baseline     string
	failOn       string
	allowExpired bool
	warnDays     int
	now          string
}

func (g *gateFlags) register(fs *flag.FlagSet) {
	g.inputFlags.register(fs)
	fs.StringVar(&g.exceptions, "exceptions", "", "exceptions and owners file (YAML)")
	fs.StringVar(&g.baseline, "baseline", "", "baseline file (JSON, or the seed's file holding a FAIL count)")
	fs.StringVar(&g.failOn, "fail-on", "new", "what fails the gate: new (open FAILs not in the baseline), any (any open FAIL), none")
	fs.BoolVar(&g.allowExpired, "allow-expired", false, "do not fail the gate on expired exceptions (still reported)")
	fs.IntVar(&g.warnDays, "warn-days", 14, "report exceptions whose review date is within this many days")
	fs.StringVar(&g.now, "now", "", "today's date, YYYY-MM-DD (default: the clock), for reproducible runs")
}

// today is --now, or the clock's date in UTC.
func (g *gateFlags) today(e *env) (exceptions.Date, error) {
	if g.now == "" {
		return exceptions.DateOf(e.now().UTC()), nil
	}
	d, err := exceptions.ParseDate(g.now)
	if err != nil {
		return exceptions.Date{}, usageError(fmt.Sprintf("--now %q: %v", g.now, err))
	}
	return d, nil
}

// config loads the exceptions and baseline files into a gate configuration.
// Every problem of both files is reported.
func (g *gateFlags) config(e *env) (action.Config, error) {
	failOn, err := action.ParseFailOn(g.failOn)
	if err != nil {
		return action.Config{}, usageError(err.Error())
	}
	if g.warnDays < 0 {
		return action.Config{}, usageError("--warn-days must not be negative")
	}
	now, err := g.today(e)
	if err != nil {
		return action.Config{}, err
	}
	cfg := action.Config{FailOn: failOn, AllowExpired: g.allowExpired, WarnDays: g.warnDays, Now: now}
	var errs []error
	if g.exceptions != "" {
		f, err := exceptions.Load(g.exceptions, exceptions.ParseOptions{Now: now})
		if err != nil {
			errs = append(errs, err)
		}
		cfg.Exceptions = f
	}
	if g.baseline != "" {
		b, err := loadBaseline(g.baseline)
		if err != nil {
			errs = append(errs, err)
		}
		cfg.Baseline = b
	}
	return cfg, errors.Join(errs...)
}

func loadBaseline(path string) (*baseline.Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline %s: %w", path, unwrap(err))
	}
	return baseline.Parse(data, path)
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var gateFormats = map[string]func(w io.Writer, v *action.Verdict) error{
	"text": action.WriteText,
	"json": action.WriteJSON,
	"markdown": func(w io.Writer, v *action.Verdict) error {
		return action.WriteMarkdown(w, v, action.MarkdownOptions{})
	},
}

func runGate(e *env, args []string) int {
	fs := newFlagSet(e, "gate", "gate [--exceptions F] [--baseline F] [--fail-on new|any|none] [--allow-expired] [--warn-days N] [--now YYYY-MM-DD] [--format text|json|markdown|junit|sarif] [--output F] INPUT...")
	var g gateFlags
	g.register(fs)
	format := fs.String("format", "text", "output format: text, json, markdown, junit or sarif")
	sarifLocation := fs.String("sarif-location", "", "sarif: the repository file every result points at (default: the exceptions file, else "+action.DefaultSARIFLocation+")")
	output := fs.String("output", "", "write to this file instead of standard output")
	pos, err := parseFlags(fs, args)
	if code, done := flagResult(e, fs, "gate", err); done {
		return code
	}
	write, ok := gateFormats[*format]
	switch *format {
	case "junit":
		write, ok = action.WriteJUnit, true
	case "sarif":
		write, ok = func(w io.Writer, v *action.Verdict) error {
			return action.WriteSARIF(w, v, action.SARIFOptions{ToolVersion: version, LocationURI: *sarifLocation})
		}, true
	}
	if !ok {
		return fail(e, "gate", usageError(fmt.Sprintf("unknown --format %q (want text, json, markdown, junit or sarif)", *format)))
	}
	cfg, cfgErr := g.config(e)
	r, err := g.load(e, pos)
	if err = errors.Join(cfgErr, err); err != nil {
		return fail(e, "gate", err)
	}
	if err := requireChecks(r); err != nil {
		return fail(e, "gate", err)
	}
	v := action.Evaluate(r, cfg)
	w, closeOut, err := openOutput(e, *output)
	if err != nil {
		return fail(e, "gate", err)
	}
	err = write(w, v)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(e, "gate", fmt.Errorf("write verdict: %w", err))
	}
	if *output != "" {
		fmt.Fprintf(e.stderr, "bench-action gate: %s (%s)\n", v.VerdictWord(), v.Reasons[0])
	}
	if !v.Pass {
		return exitFail
	}
	return exitPass
}

// requireChecks refuses to gate a fleet without a single check: it would
// pass, and an empty input (the master target of a managed benchmark
// alone, say) is almost always a collection mistake.
func requireChecks(r *benchresult.Report) error {
	if len(r.Checks) > 0 {
		return nil
	}
	sources := make([]string, 0, len(r.Inputs))
	for _, in := range r.Inputs {
		sources = append(sources, in.Source)
	}
	return fmt.Errorf("no checks in any input (%s): nothing to gate", strings.Join(sources, ", "))
}
