package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/bench-action/bench-action/internal/textdist"
)

// command is a subcommand, or a group of them (trend, exceptions).
type command struct {
	name    string // as typed after bench-action: "gate", "trend append"
	summary string // one line, for the list of commands
	args    string // the positional arguments in the usage line: "INPUT..."
	// define registers the command's flags on fs and returns what runs it
	// with the positional arguments. Nil for a group.
	define func(fs *flag.FlagSet) func(e *env, pos []string) int
	subs   []*command // a group's subcommands
}

// dispatch runs c with args: a group picks its subcommand, a command
// parses its flags. --help prints the usage to stdout; a mistake prints
// one line with what to do about it.
func (c *command) dispatch(e *env, args []string) int {
	if c.subs != nil {
		if len(args) == 0 {
			c.writeHelp(e.stderr)
			return exitUsage
		}
		if isHelp(args[0]) {
			c.writeHelp(e.stdout)
			return exitPass
		}
		for _, s := range c.subs {
			if s.name == c.sub(args[0]) {
				return s.dispatch(e, args[1:])
			}
		}
		return c.unknownSub(e, args[0])
	}
	fs, runCmd := c.flagSet()
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		c.writeHelp(e.stdout)
		return exitPass
	}
	if err != nil {
		return fail(e, c.name, flagError(fs, err))
	}
	return runCmd(e, pos)
}

// flagSet makes the command's flags, with flag's own usage output turned
// off: the help and the errors are written here.
func (c *command) flagSet() (*flag.FlagSet, func(e *env, pos []string) int) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs, c.define(fs)
}

// sub is the full name of the group's subcommand called name.
func (c *command) sub(name string) string {
	if c.name == "" {
		return name
	}
	return c.name + " " + name
}

func (c *command) unknownSub(e *env, name string) int {
	var names []string
	for _, s := range c.subs {
		names = append(names, strings.TrimPrefix(s.name, c.sub("")))
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if c.name != "" {
		msg = fmt.Sprintf("unknown subcommand %q", name)
	}
	if s := suggest(name, names); s != "" {
		msg += "; did you mean " + s + "?"
	}
	return fail(e, c.name, usageError(msg))
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "-help", "--help", "help":
		return true
	}
	return false
}

// helpHint is what every usage error ends with.
func helpHint(cmd string) string {
	if cmd == "" {
		return "run 'bench-action --help' for usage"
	}
	return fmt.Sprintf("run 'bench-action %s --help' for usage", cmd)
}

// flagError turns an error of flag.Parse into one line in the terms the
// help uses (--name), with a suggestion for a flag that does not exist.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
		name = strings.TrimLeft(name, "-")
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		names = append(names, "help")
		msg = "unknown flag --" + name
		if s := suggest(name, names); s != "" {
			msg += "; did you mean --" + s + "?"
		}
		return usageError(msg)
	}
	// "flag needs an argument: -history", "invalid value "x" for flag -runs: ..."
	msg = strings.Replace(msg, ": -", ": --", 1)
	msg = strings.Replace(msg, " flag -", " flag --", 1)
	return usageError(msg)
}

// suggest returns the candidate closest to typed, or "" when none is
// close: typed is a prefix of it, or it is within a third of typed's
// length in edits (one at least; a swap of two letters is one edit).
func suggest(typed string, candidates []string) string {
	typed = strings.ToLower(typed)
	best, bestDist := "", 0
	for _, c := range candidates {
		d := textdist.Distance(typed, c)
		if d > max(1, len(typed)/3) && !(len(typed) >= 2 && strings.HasPrefix(c, typed)) {
			continue
		}
		if best == "" || d < bestDist || d == bestDist && c < best {
			best, bestDist = c, d
		}
	}
	return best
}

// The help is generated from the commands' flag sets, so it lists every
// flag a command takes and cannot drift from them.

const helpWidth = 80

// writeHelp prints c's usage: the usage line with every flag, the summary,
// and each flag with what it means (a group: each subcommand's usage line).
func (c *command) writeHelp(w io.Writer) {
	var b strings.Builder
	if c.subs != nil {
		c.writeGroupHelp(&b)
	} else {
		fs, _ := c.flagSet()
		b.WriteString(c.usageLine(fs, "usage: "))
		fmt.Fprintf(&b, "\n%s.\n", upperFirst(c.summary))
		writeFlags(&b, fs)
	}
	io.WriteString(w, b.String())
}

func (c *command) writeGroupHelp(b *strings.Builder) {
	if c.name == "" {
		b.WriteString("usage: bench-action COMMAND [flags] [INPUT...]\n\ncommands:\n")
	} else {
		fmt.Fprintf(b, "usage: bench-action %s SUBCOMMAND [flags]\n\n%s.\n\nsubcommands:\n", c.name, upperFirst(c.summary))
	}
	width := 0
	for _, s := range c.subs {
		width = max(width, len(strings.TrimPrefix(s.name, c.sub(""))))
	}
	for _, s := range c.subs {
		fmt.Fprintf(b, "  %-*s  %s\n", width, strings.TrimPrefix(s.name, c.sub("")), s.summary)
	}
	if c.name == "" {
		b.WriteString("\nINPUT is a file, a directory, a glob, NODE=PATH, or - for stdin.\n")
		b.WriteString("Exit codes: 0 pass, 1 the gate failed, 2 bad usage or bad input.\n")
		b.WriteString("Run 'bench-action COMMAND --help' for the flags of a command.\n")
		return
	}
	b.WriteString("\n")
	for _, s := range c.subs {
		fs, _ := s.flagSet()
		b.WriteString(s.usageLine(fs, "  "))
	}
	fmt.Fprintf(b, "\nRun 'bench-action %s SUBCOMMAND --help' for what each flag means.\n", c.name)
}

// usageLine is "bench-action NAME" with every flag (the required ones
// first, without brackets) and the positional arguments, wrapped.
func (c *command) usageLine(fs *flag.FlagSet, prefix string) string {
	var required, optional []string
	fs.VisitAll(func(f *flag.Flag) {
		word := "--" + f.Name
		if meta := metavar(f); meta != "" {
			word += " " + meta
		}
		if isRequired(f) {
			required = append(required, word)
		} else {
			optional = append(optional, "["+word+"]")
		}
	})
	words := append(required, optional...)
	if c.args != "" {
		words = append(words, strings.Fields(c.args)...)
	}
	head := prefix + "bench-action " + c.name
	return wrap(head, words, len(head)+1)
}

// writeFlags lists the flags in a column, each with its meaning and default.
func writeFlags(b *strings.Builder, fs *flag.FlagSet) {
	type row struct{ name, text string }
	var rows []row
	width := len("-h, --help")
	fs.VisitAll(func(f *flag.Flag) {
		name := "--" + f.Name
		if meta := metavar(f); meta != "" {
			name += " " + meta
		}
		_, text := flag.UnquoteUsage(f)
		if d := f.DefValue; d != "" && d != "0" && d != "false" && d != "0s" && !strings.Contains(text, "default") {
			text += fmt.Sprintf(" (default %s)", d)
		}
		rows = append(rows, row{name, text})
		width = max(width, len(name))
	})
	rows = append(rows, row{"-h, --help", "print this help"})
	width = min(width, 28)
	b.WriteString("\nflags:\n")
	for _, r := range rows {
		head := fmt.Sprintf("  %-*s  ", width, r.name)
		if len(r.name) > width {
			head = "  " + r.name + "\n" + strings.Repeat(" ", width+4)
		}
		b.WriteString(wrap(head, strings.Fields(r.text), width+4))
	}
}

// metavar is the placeholder of a flag's value: the `quoted` word of its
// usage, or the value's type; "" for a boolean flag.
func metavar(f *flag.Flag) string {
	name, _ := flag.UnquoteUsage(f)
	if strings.Contains(f.Usage, "`") {
		return name
	}
	return strings.ToUpper(name)
}

// isRequired reports whether a flag's usage says it is required.
func isRequired(f *flag.Flag) bool {
	return strings.Contains(f.Usage, "(required")
}

// wrap joins words after head into lines of at most helpWidth columns,
// continuing lines indented by indent; it ends with a newline. A head
// that ends in a space or a newline is followed by the first word directly.
func wrap(head string, words []string, indent int) string {
	var b strings.Builder
	b.WriteString(head)
	col := len(head) - strings.LastIndexByte(head, '\n') - 1
	space := head != "" && !strings.HasSuffix(head, " ") && !strings.HasSuffix(head, "\n")
	for _, w := range words {
		if space && col+1+len(w) > helpWidth && col > indent {
			b.WriteString("\n" + strings.Repeat(" ", indent))
			col, space = indent, false
		}
		if space {
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += len(w)
		space = true
	}
	b.WriteByte('\n')
	return b.String()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// leaves lists every command a person can run, groups' subcommands included.
func (c *command) leaves() []*command {
	if c.subs == nil {
		return []*command{c}
	}
	var out []*command
	for _, s := range c.subs {
		out = append(out, s.leaves()...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
