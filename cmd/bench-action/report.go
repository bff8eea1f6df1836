package main

import (
	"flag"
	"fmt"

	"github.com/bench-action/bench-action/render"
)

// reportCmd is `bench-action report`.
type reportCmd struct {
	inputFlags
	format  string
	output  string
	configs string
}

func defineReport(fs *flag.FlagSet) func(*env, []string) int {
	c := &reportCmd{}
	c.inputFlags.register(fs)
	fs.StringVar(&c.format, "format", "text", "output format, `text|json|markdown`")
	fs.StringVar(&c.output, "output", "", "write to this `FILE` instead of standard output")
	fs.StringVar(&c.configs, "configs", "", "say where each FAIL is set in this `DIR` of configuration files (static Pod manifests, kubelet, kubeadm, RKE2/k3s); json: a \"where\" array per check")
	fs.BoolVar(&c.trustTotals, "trust-totals", false, "read an input whose own totals disagree with its results (an edited or cut output, kube-bench's test fixtures) with the totals it states, its checks marked incomplete, instead of refusing it")
	return c.run
}

func (c *reportCmd) run(e *env, pos []string) int {
	switch c.format {
	case "text", "json", "markdown":
	default:
		return fail(e, "report", usageError(fmt.Sprintf("unknown --format %q (want text, json or markdown)", c.format)))
	}
	r, err := c.load(e, pos)
	if err != nil {
		return fail(e, "report", err)
	}
	var loc *configLocator
	if c.configs != "" {
		if loc, err = newConfigLocator(c.configs, repoRoot(e)); err != nil {
			return fail(e, "report", err)
		}
	}
	w, closeOut, err := openOutput(e, c.output)
	if err != nil {
		return fail(e, "report", err)
	}
	switch c.format {
	case "json":
		if loc != nil {
			err = render.WriteReportJSONWhere(w, r, loc)
		} else {
			err = render.WriteReportJSON(w, r)
		}
	case "markdown":
		err = render.WriteReportMarkdown(w, r)
	default:
		err = render.WriteReportText(w, r)
	}
	if err == nil && loc != nil && c.format != "json" {
		err = render.WriteReportLocations(w, r, loc, c.format == "markdown")
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return fail(e, "report", fmt.Errorf("write report: %w", err))
	}
	return exitPass
}
