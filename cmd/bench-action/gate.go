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
	"github.com/bench-action/bench-action/catalog"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/render/junit"
	"github.com/bench-action/bench-action/render/sarif"
	"github.com/bench-action/bench-action/verdict"
)

// gateFlags are the flags of the gate pipeline, shared by `gate` and the
// GitHub Action mode.
type gateFlags struct {
	inputFlags
	exceptions   string
	baseline     string
	failOn       string
	allowExpired bool
	manualAsWarn bool
	warnDays     int
	now          string
	// configs is a directory of configuration files FAILs are traced to
	// (--configs, the action's configs input); "" traces nothing.
	configs string
}

func (g *gateFlags) register(fs *flag.FlagSet) {
	g.inputFlags.register(fs)
	g.purpose = "gate on"
	fs.StringVar(&g.exceptions, "exceptions", "", "exceptions and owners `FILE` (YAML)")
	fs.StringVar(&g.baseline, "baseline", "", "baseline `FILE` (JSON, or the seed's file holding a FAIL count)")
	fs.StringVar(&g.failOn, "fail-on", "new", "what fails the gate, `new|any|none`: new (open FAILs not in the baseline), any (any open FAIL), none")
	fs.BoolVar(&g.manualAsWarn, "manual-as-warn", false, "read a failed test of a check that is Manual in its benchmark (cis-1.10's 1.2.1, 4.2.4) as kube-bench does, a WARN that is not gated")
	g.registerDates(fs)
}

// registerDates registers the flags about exceptions' review dates.
func (g *gateFlags) registerDates(fs *flag.FlagSet) {
	fs.BoolVar(&g.allowExpired, "allow-expired", false, "do not fail on expired exceptions (still reported)")
	fs.IntVar(&g.warnDays, "warn-days", 14, "report exceptions whose review date is within this many `DAYS`")
	fs.StringVar(&g.now, "now", "", "today's date, `YYYY-MM-DD` (default: the clock), for reproducible runs")
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
func (g *gateFlags) config(e *env) (verdict.Config, error) {
	failOn, err := verdict.ParseFailOn(g.failOn)
	if err != nil {
		return verdict.Config{}, usageError(err.Error())
	}
	if g.warnDays < 0 {
		return verdict.Config{}, usageError("--warn-days must not be negative")
	}
	now, err := g.today(e)
	if err != nil {
		return verdict.Config{}, err
	}
	cfg := verdict.Config{FailOn: failOn, AllowExpired: g.allowExpired, WarnDays: g.warnDays, Now: now, ManualAsWarn: g.manualAsWarn}
	var errs []error
	if g.exceptions != "" {
		f, err := exceptions.LoadFile(g.exceptions, exceptions.ParseOptions{Now: now})
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

// configAndLoad reads the gate's configuration (exceptions, baseline) and
// its inputs at once: Load parses the inputs on every core but leaves
// some idle, the baseline's parse is serial, and neither writes anything.
// Beside the files it decodes the catalog's index, which the verdict
// needs after Load (catalog.Lookup would decode it then). The error joins
// the configuration's problems and the inputs', in that order.
func (g *gateFlags) configAndLoad(e *env, inputs []string) (verdict.Config, *benchresult.Report, error) {
	var cfg verdict.Config
	var cfgErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		cfg, cfgErr = g.config(e)
		_ = catalog.KubeBenchReleases()
	}()
	if g.baseline != "" {
		g.held = append(g.held, g.baseline)
	}
	r, err := g.load(e, inputs)
	<-done
	return cfg, r, errors.Join(cfgErr, err)
}

func loadBaseline(path string) (*baseline.Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline %s: %w", path, unwrap(err))
	}
	return baseline.Parse(data, path, baseline.ParseOptions{})
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var gateFormats = map[string]func(w io.Writer, v *verdict.Verdict) error{
	"text": render.WriteText,
	"json": render.WriteJSON,
	"markdown": func(w io.Writer, v *verdict.Verdict) error {
		return render.WriteMarkdown(w, v, render.MarkdownOptions{})
	},
}

// gateCmd is `bench-action gate`.
type gateCmd struct {
	gateFlags
	format        string
	sarifLocation string
	output        string
}

func defineGate(fs *flag.FlagSet) func(*env, []string) int {
	c := &gateCmd{}
	c.gateFlags.register(fs)
	fs.StringVar(&c.format, "format", "text", "output format, `text|json|markdown|junit|sarif`")
	fs.StringVar(&c.sarifLocation, "sarif-location", "", "sarif: the repository `FILE` every result points at (default: the exceptions file, else "+sarif.DefaultLocation+")")
	fs.StringVar(&c.output, "output", "", "write to this `FILE` instead of standard output")
	fs.StringVar(&c.configs, "configs", "", "trace FAILs to the file and line that sets them in this `DIR` of configuration files (static Pod manifests, kubelet, kubeadm, RKE2/k3s)")
	return c.run
}

func (c *gateCmd) run(e *env, pos []string) int {
	write, ok := gateFormats[c.format]
	switch c.format {
	case "junit":
		write, ok = junit.Write, true
	case "sarif":
		write, ok = func(w io.Writer, v *verdict.Verdict) error {
			return sarif.Write(w, v, sarif.Options{ToolVersion: buildVersion(), LocationURI: c.sarifLocation})
		}, true
	}
	if !ok {
		return fail(e, "gate", usageError(fmt.Sprintf("unknown --format %q (want text, json, markdown, junit or sarif)", c.format)))
	}
	v, err := c.evaluate(e, pos, "gate with --cluster ")
	if err != nil {
		return fail(e, "gate", err)
	}
	w, closeOut, err := openOutput(e, c.output)
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
	if c.output != "" {
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

// gateInputs is the gate as the action runs it: the same loading and
// evaluation as `bench-action gate`, from the action's inputs.
func gateInputs(e *env, in action.Inputs) (*verdict.Verdict, error) {
	g := gateFlags{inputFlags: inputFlags{cluster: in.Cluster, profile: in.Profile, purpose: "gate on"},
		exceptions: in.Exceptions, baseline: in.Baseline, failOn: string(in.FailOn), warnDays: in.WarnDays, manualAsWarn: in.ManualAsWarn,
		configs: in.Configs}
	results := in.Results
	if in.Predict != "" {
		predicted, err := predictInputs(e, in.Predict, in.Baseline)
		if err != nil {
			return nil, err
		}
		results = append(append([]string(nil), results...), predicted...)
	}
	return g.evaluate(e, results, "set the action's cluster input to ")
}

// evaluate is the gate pipeline of `gate` and the Action: load the inputs,
// exceptions and baseline, refuse an empty fleet or a baseline of another
// cluster (fix says how the caller sets the cluster), and evaluate.
func (g *gateFlags) evaluate(e *env, inputs []string, fix string) (*verdict.Verdict, error) {
	cfg, r, err := g.configAndLoad(e, inputs)
	if err != nil {
		return nil, err
	}
	if err := requireChecks(r); err != nil {
		return nil, err
	}
	if err := checkBaselineCluster(g.baseline, cfg.Baseline, r.Cluster, fix); err != nil {
		return nil, err
	}
	v := verdict.Evaluate(r, cfg)
	if g.configs != "" {
		loc, err := newConfigLocator(g.configs, repoRoot(e))
		if err != nil {
			return nil, err
		}
		v.Locate(loc)
	}
	return v, nil
}

// checkBaselineCluster refuses, in one line, a baseline that holds other
// clusters than the gated one: read as empty, it would turn every FAIL new.
// fix is how the caller sets the cluster ("gate with --cluster ").
func checkBaselineCluster(path string, b *baseline.Baseline, cluster, fix string) error {
	if b == nil {
		return nil
	}
	var ce *baseline.ClusterError
	if err := b.CheckCluster(cluster); errors.As(err, &ce) {
		return usageError(fmt.Sprintf("baseline %s: %s", path, ce.Message(fix)))
	} else if err != nil {
		return usageError(fmt.Sprintf("baseline %s: %v", path, err))
	}
	return nil
}
