package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/bench-action/bench-action/baseline"
)

// baselineCmd is `bench-action baseline`.
type baselineCmd struct {
	inputFlags
	output string
}

func defineBaseline(fs *flag.FlagSet) func(*env, []string) int {
	c := &baselineCmd{}
	c.inputFlags.register(fs)
	c.purpose = "baseline"
	fs.StringVar(&c.output, "output", "", "the baseline `FILE` to write (required; - for standard output)")
	return c.run
}

func (c *baselineCmd) run(e *env, pos []string) int {
	if c.output == "" {
		return fail(e, "baseline", usageError("--output is required"))
	}
	r, err := c.load(e, pos)
	if err != nil {
		return fail(e, "baseline", err)
	}
	b := baseline.FromChecks(r.Checks)
	if c.output == "-" {
		if _, err := b.WriteTo(e.stdout); err != nil {
			return fail(e, "baseline", fmt.Errorf("write baseline: %w", err))
		}
		return exitPass
	}
	if err := writeFileAtomic(c.output, func(f *os.File) error { _, err := b.WriteTo(f); return err }); err != nil {
		return fail(e, "baseline", err)
	}
	fails := 0
	for _, en := range b.Entries {
		if en.Status.String() == "FAIL" {
			fails++
		}
	}
	fmt.Fprintf(e.stderr, "bench-action baseline: wrote %s: %s (one control on one node), %d FAIL, from %s\n", c.output, plural(len(b.Entries), "result"), fails, plural(len(r.Inputs), "node"))
	return exitPass
}

// writeFileAtomic writes path through a temporary file in the same
// directory and a rename, so a reader never sees half a file.
func writeFileAtomic(path string, write func(*os.File) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
