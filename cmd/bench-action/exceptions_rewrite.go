package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/bench-action/bench-action/catalog"
	"github.com/bench-action/bench-action/exceptions"
	"github.com/bench-action/bench-action/render"
)

// pinCmd is `bench-action exceptions pin FILE --results INPUT...`: it
// writes into each exception without check_description the text (and
// benchmark) of the control it matches in the results.
type pinCmd struct {
	inputFlags
	results bool
	output  string
}

func defineExceptionsPin(fs *flag.FlagSet) func(*env, []string) int {
	c := &pinCmd{}
	c.inputFlags.register(fs)
	c.purpose = "pin the exceptions to"
	fs.BoolVar(&c.results, "results", false, "the arguments after FILE are the results (INPUT...) whose controls are pinned")
	fs.StringVar(&c.output, "output", "", "write the pinned file to `FILE` (- for stdout) instead of rewriting FILE in place")
	return c.run
}

func (c *pinCmd) run(e *env, pos []string) int {
	const name = "exceptions pin"
	if len(pos) == 0 {
		return fail(e, name, usageError("no exceptions FILE given"))
	}
	file, inputs := pos[0], pos[1:]
	if !c.results || len(inputs) == 0 {
		return fail(e, name, usageError("give the results to pin against: FILE --results INPUT..."))
	}
	data, err := readExceptions(file)
	if err != nil {
		return fail(e, name, err)
	}
	r, err := c.load(e, inputs)
	if err != nil {
		return fail(e, name, err)
	}
	out, changes, err := exceptions.Pin(data, file, r.Checks)
	if err != nil {
		return fail(e, name, err)
	}
	return finishRewrite(e, name, file, c.output, data, out, changes, "pinned")
}

// migrateCmd is `bench-action exceptions migrate FILE --to BENCHMARK`: it
// rewrites the check ids of a file for a benchmark upgrade.
type migrateCmd struct {
	to, from, output string
}

func defineExceptionsMigrate(fs *flag.FlagSet) func(*env, []string) int {
	c := &migrateCmd{}
	fs.StringVar(&c.to, "to", "", "the `BENCHMARK` to migrate the ids to (cis-1.10); required")
	fs.StringVar(&c.from, "from", "", "the `BENCHMARK` the exceptions without a benchmark: field were written for (default: what each one's check_description resolves to)")
	fs.StringVar(&c.output, "output", "", "write the migrated file to `FILE` (- for stdout) instead of rewriting FILE in place")
	return c.run
}

func (c *migrateCmd) run(e *env, pos []string) int {
	const name = "exceptions migrate"
	switch {
	case len(pos) == 0:
		return fail(e, name, usageError("no exceptions FILE given"))
	case len(pos) > 1:
		return fail(e, name, usageError("one exceptions FILE, not "+plural(len(pos), "argument")))
	case c.to == "":
		return fail(e, name, usageError("--to BENCHMARK is required"))
	}
	for _, b := range []struct{ flag, id string }{{"--to", c.to}, {"--from", c.from}} {
		if b.id != "" && !catalog.Known(b.id) {
			return fail(e, name, usageError(unknownBenchmark(b.flag, b.id)))
		}
	}
	file := pos[0]
	data, err := readExceptions(file)
	if err != nil {
		return fail(e, name, err)
	}
	out, changes, err := exceptions.Migrate(data, file, c.to, c.from)
	if err != nil {
		return fail(e, name, err)
	}
	return finishRewrite(e, name, file, c.output, data, out, changes, "migrated to "+c.to)
}

// unknownBenchmark says that the catalog does not know a benchmark, and
// which one was probably meant.
func unknownBenchmark(flagName, id string) string {
	var ids []string
	for _, b := range catalog.Benchmarks() {
		ids = append(ids, b.ID)
	}
	msg := fmt.Sprintf("%s %s: the catalog does not know this benchmark", flagName, id)
	if s := suggest(id, ids); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return msg
}

func readExceptions(file string) ([]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read exceptions file: %w", err)
	}
	return data, nil
}

// finishRewrite writes the rewritten file (in place, to --output, or to
// stdout for "-"), prints one line per change and a summary (to stderr
// when the file goes to stdout), and exits 1 when an exception was left
// for review.
func finishRewrite(e *env, name, file, output string, in, out []byte, changes []exceptions.Change, done string) int {
	report := e.stdout
	switch output {
	case "-":
		report = e.stderr
		if _, err := e.stdout.Write(out); err != nil {
			return fail(e, name, fmt.Errorf("write stdout: %w", err))
		}
	case "":
		if !bytes.Equal(in, out) {
			if err := replaceFile(file, out); err != nil {
				return fail(e, name, err)
			}
		}
	default:
		if err := replaceFile(output, out); err != nil {
			return fail(e, name, err)
		}
	}
	edited, review := 0, 0
	for _, c := range changes {
		mark := ""
		if c.Edited {
			edited++
		} else {
			review++
			mark = "left alone: "
			if strings.Contains(c.Message, "left alone") {
				mark = ""
			}
		}
		fmt.Fprintln(report, render.LogText(fmt.Sprintf("%s:%d: %s%s", file, c.Line, mark, c.Message)))
	}
	where := "in place"
	switch {
	case output == "-":
		where = "to stdout"
	case output != "":
		where = "to " + output
	case edited == 0:
		where = "unchanged"
	}
	fmt.Fprintf(report, "%s: %s %s, %d left for review (%s)\n", file, done, plural(edited, "exception"), review, where)
	if review > 0 {
		return exitFail
	}
	return exitPass
}

// replaceFile writes data to path through a temporary file in the same
// folder, so a failed write leaves the old file whole; it keeps the
// file's permissions.
func replaceFile(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, bytes.NewReader(data)); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
