package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/render"
)

// inputFlags are the flags every command that reads results shares.
type inputFlags struct {
	held        []string // files the run keeps in memory beside the report (a baseline), for sizeGC
	trustTotals bool     // report --trust-totals
	// purpose is what the command does with per-check results ("gate on"),
	// for the refusal of inputs that hold only kube-bench's summary; ""
	// takes them (report).
	purpose       string
	cluster       string
	profile       string
	maxBytes      int64
	maxTotalBytes int64
}

// defaultMaxTotalBytes bounds a whole fleet: 10,000 nodes of the largest
// real output (a full control-plane JUnit file, about 250 KB) are 2.5 GB.
const defaultMaxTotalBytes = 16 << 30

func (f *inputFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.cluster, "cluster", "", "the `NAME` of the cluster the results come from")
	fs.StringVar(&f.profile, "profile", "none", "managed-provider `PROFILE`: none, eks, gke, aks, auto, or a kube-bench configuration file (skip:/targets:)")
	fs.Int64Var(&f.maxBytes, "max-bytes", benchresult.DefaultMaxBytes, "largest input file accepted, in `BYTES`")
	fs.Int64Var(&f.maxTotalBytes, "max-total-bytes", defaultMaxTotalBytes, "largest total size of all inputs, in `BYTES`")
}

// load resolves, parses and merges the inputs, and applies the profile.
func (f *inputFlags) load(e *env, args []string) (*benchresult.Report, error) {
	if len(args) == 0 {
		return nil, usageError("no INPUT given: name result files, directories, globs, NODE=PATH or -")
	}
	profile, auto, err := f.resolveProfile()
	if err != nil {
		return nil, err
	}
	sources, err := benchresult.ResolveInputs(args)
	if err != nil {
		return nil, err
	}
	if e.sizeGC != nil {
		e.sizeGC(sources, f.held)
	}
	r, err := benchresult.Load(sources, benchresult.LoadOptions{
		Options:       benchresult.Options{MaxBytes: f.maxBytes, TrustTotals: f.trustTotals},
		Cluster:       f.cluster,
		MaxTotalBytes: f.maxTotalBytes,
		Stdin:         e.stdin,
	})
	if err != nil {
		return nil, totalsHint(err, f.purpose == "")
	}
	if f.purpose != "" {
		if err := benchresult.SummaryOnlyError(f.purpose, r.Inputs); err != nil {
			return nil, err
		}
	}
	benchresult.ApplyProfile(r, profile, auto)
	return r, nil
}

// totalsHint adds to the errors of inputs that disagree with their own
// totals what can be done about it: report reads them with
// --trust-totals; the other commands need every check.
func totalsHint(err error, report bool) error {
	var te *benchresult.TotalsError
	if !errors.As(err, &te) {
		return err
	}
	if report {
		return fmt.Errorf("%w\nwith --trust-totals, report shows the totals such an input states and marks its checks incomplete", err)
	}
	return fmt.Errorf("%w\nsuch an input cannot be gated, baselined or recorded: give the complete output (bench-action report --trust-totals shows the totals it states)", err)
}

func (f *inputFlags) resolveProfile() (benchresult.Profile, bool, error) {
	switch f.profile {
	case "auto":
		return benchresult.Profile{}, true, nil
	case "", "none", "eks", "gke", "aks":
		p, err := benchresult.BuiltinProfile(f.profile)
		return p, false, err
	}
	data, err := os.ReadFile(f.profile)
	if err != nil {
		return benchresult.Profile{}, false, fmt.Errorf("--profile %s: not none, eks, gke, aks or auto, and not a readable file: %w", f.profile, err)
	}
	p, err := benchresult.ParseProfile(data, f.profile)
	return p, false, err
}

// usageError marks an error as bad usage (exit 2): its message ends with
// where to find the usage.
type usageError string

func (u usageError) Error() string { return string(u) }

// parseFlags parses flags that may come before, between or after the
// positional arguments (`report results/ --format json`), and returns the
// positional ones. "--" ends the flags.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// fail prints err for a person and returns the exit code for it: 2 for bad
// usage and bad input (every error reaching here is one), one line per
// problem; bad usage ends with where to find the usage.
func fail(e *env, cmd string, err error) int {
	lines := errorLines(err)
	if len(lines) == 0 {
		lines = []string{"failed"}
	}
	var u usageError
	if errors.As(err, &u) {
		lines[len(lines)-1] += " (" + helpHint(cmd) + ")"
	}
	prefix := "bench-action: "
	if cmd != "" {
		prefix = "bench-action " + cmd + ": "
	}
	for _, line := range lines {
		fmt.Fprintf(e.stderr, "%s%s\n", prefix, line)
	}
	return exitUsage
}

// errorLines splits joined errors into one line each, safe to print in a
// CI log: an error may quote a file's content (see [render.LogText]).
func errorLines(err error) []string {
	var out []string
	for _, l := range strings.Split(render.LogText(err.Error()), "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// openOutput returns where to write: stdout, or the file named by path.
func openOutput(e *env, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("write %s: %w", path, err)
	}
	return f, f.Close, nil
}

// appendFile appends data to the file at path, creating it.
func appendFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
