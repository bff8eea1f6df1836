package main

import (
	"flag"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// flagNames are the flags of c's flag set, or of every subcommand of a group.
func flagNames(c *command) []string {
	var names []string
	for _, l := range c.leaves() {
		fs, _ := l.flagSet()
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	}
	return names
}

// synopsis is the help up to its first blank line: the usage line(s).
func synopsis(help string) string {
	s, _, _ := strings.Cut(help, "\n\n")
	return s
}

func TestEveryCommandIsListed(t *testing.T) {
	t.Parallel()
	var got []string
	for _, c := range root.leaves() {
		got = append(got, c.name)
	}
	want := []string{"action", "baseline", "exceptions lint", "exceptions migrate", "exceptions pin", "gate", "metrics", "predict", "report",
		"trend append", "trend compact", "trend convert", "trend report", "version"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("commands (-want +got):\n%s", d)
	}
}

// TestHelp asks every command and group for its help, in every spelling:
// printed once to stdout, exit 0, and its usage line lists every flag the
// command's flag set has.
func TestHelp(t *testing.T) {
	t.Parallel()
	type row struct {
		name string
		args []string
		cmd  *command
	}
	var rows []row
	add := func(c *command, path []string) {
		for _, h := range []string{"--help", "-h", "-help"} {
			rows = append(rows, row{strings.Join(append(path, h), " "), append(slices.Clone(path), h), c})
		}
		if len(path) > 0 {
			rows = append(rows, row{"help " + strings.Join(path, " "), append([]string{"help"}, path...), c})
		}
	}
	add(root, nil)
	rows = append(rows, row{"help", []string{"help"}, root})
	for _, c := range commands {
		add(c, []string{c.name})
		for _, s := range c.subs {
			add(s, strings.Fields(s.name))
		}
	}
	rows = append(rows, row{"--help after an INPUT", []string{"gate", "results/", "--help"}, commands[1]})
	t.Logf("%d rows", len(rows))
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, stderr := runCLI(t, "", tt.args...)
			if code != exitPass || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing on stderr", code, stderr)
			}
			if n := strings.Count(out, "usage: bench-action"); n != 1 {
				t.Errorf("usage printed %d times, want once:\n%s", n, out)
			}
			usage := synopsis(out)
			if tt.cmd.subs != nil && tt.cmd != root {
				// a group: the usage lines of its subcommands follow its list
				usage = out
			}
			for _, name := range flagNames(tt.cmd) {
				if tt.cmd != root && !strings.Contains(usage, "--"+name+" ") && !strings.Contains(usage, "--"+name+"]") {
					t.Errorf("the usage does not list --%s:\n%s", name, out)
				}
			}
			for _, line := range strings.Split(out, "\n") {
				if len(line) > helpWidth {
					t.Errorf("line of %d columns, want at most %d: %q", len(line), helpWidth, line)
				}
			}
		})
	}
}

// TestHelpDescribesEveryFlag: a command's help gives each flag a line of
// its own with what it means.
func TestHelpDescribesEveryFlag(t *testing.T) {
	t.Parallel()
	for _, c := range root.leaves() {
		_, out, _ := runCLI(t, "", append(strings.Fields(c.name), "--help")...)
		fs, _ := c.flagSet()
		fs.VisitAll(func(f *flag.Flag) {
			_, meaning := flag.UnquoteUsage(f)
			first := strings.Fields(meaning)[0]
			if !strings.Contains(out, "\n  --"+f.Name) || !strings.Contains(out, first) {
				t.Errorf("%s --help: no line for --%s (%q):\n%s", c.name, f.Name, meaning, out)
			}
		})
	}
}

// TestMistakes: a misspelled flag or command is one line on stderr that
// names it, says what was meant, and where the help is; exit 2.
func TestMistakes(t *testing.T) {
	t.Parallel()
	type row struct {
		name     string
		args     []string
		mentions []string
	}
	rows := []row{
		{"the issue's example", []string{"gate", "--exception", "x.yaml", "results/"}, []string{"unknown flag --exception;", "did you mean --exceptions?", "run 'bench-action gate --help'"}},
		{"single dash", []string{"gate", "-exception", "x.yaml"}, []string{"--exception;", "did you mean --exceptions?"}},
		{"with a value", []string{"report", "--fromat=json", "results/"}, []string{"--fromat;", "did you mean --format?"}},
		{"a prefix", []string{"report", "--max", "1"}, []string{"--max;", "did you mean --max-bytes?"}},
		{"nothing near", []string{"gate", "--frobnicate"}, []string{"unknown flag --frobnicate (run 'bench-action gate --help' for usage)"}},
		{"another command's flag", []string{"baseline", "--history", "h.jsonl"}, []string{"unknown flag --history (run 'bench-action baseline --help'"}},
		{"bad value", []string{"gate", "--warn-days", "soon"}, []string{`invalid value "soon" for flag --warn-days`, "run 'bench-action gate --help'"}},
		{"missing value", []string{"trend", "report", "--history"}, []string{"flag needs an argument: --history", "run 'bench-action trend report --help'"}},
		{"unknown command", []string{"gat"}, []string{`unknown command "gat"; did you mean gate?`, "run 'bench-action --help'"}},
		{"swapped letters", []string{"reprot", "results/"}, []string{"did you mean report?"}},
		{"unknown command, nothing near", []string{"deploy"}, []string{`bench-action: unknown command "deploy" (run 'bench-action --help' for usage)`}},
		{"unknown trend subcommand", []string{"trend", "apend"}, []string{`unknown subcommand "apend"; did you mean append?`, "run 'bench-action trend --help'"}},
		{"unknown exceptions subcommand", []string{"exceptions", "lnt", "x.yaml"}, []string{"did you mean lint?", "run 'bench-action exceptions --help'"}},
		{"help of an unknown command", []string{"help", "gat"}, []string{"did you mean gate?"}},
		{"action takes no flags", []string{"action", "--dry-run"}, []string{"unknown flag --dry-run", "run 'bench-action action --help'"}},
		{"version takes no arguments", []string{"version", "now"}, []string{"version takes no arguments", "run 'bench-action version --help'"}},
	}
	// Every flag of every command, its last letter dropped.
	for _, c := range root.leaves() {
		fs, _ := c.flagSet()
		fs.VisitAll(func(f *flag.Flag) {
			typo := "--" + f.Name[:len(f.Name)-1]
			rows = append(rows, row{c.name + " " + typo, append(strings.Fields(c.name), typo),
				[]string{"unknown flag " + typo + ";", "did you mean --" + f.Name + "?", "run 'bench-action " + c.name + " --help'"}})
		})
	}
	t.Logf("%d rows", len(rows))
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, stderr := runCLI(t, "", tt.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if n := strings.Count(stderr, "\n"); n != 1 || !strings.HasSuffix(stderr, "\n") {
				t.Errorf("stderr has %d lines, want one: %q", n, stderr)
			}
			for _, m := range tt.mentions {
				if !strings.Contains(stderr, m) {
					t.Errorf("stderr %q does not say %q", stderr, m)
				}
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, stderr := runCLI(t, "", args...)
		bi, _ := debug.ReadBuildInfo()
		want := "bench-action " + versionLine(linkerStamps(), bi) + "\n"
		if code != exitPass || stderr != "" || out != want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 0 and %q", args, code, out, stderr, want)
		}
	}
}

func TestVersionLine(t *testing.T) {
	t.Parallel()
	vcs := func(rev, modified, when string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev},
			{Key: "vcs.time", Value: when}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "63a5250c0e1f4e7d9b6a0b5c4d3e2f1a0b9c8d7e"
	tests := []struct {
		name  string
		stamp stamps
		bi    *debug.BuildInfo
		want  string
	}{
		{"go install ...@v1.2.3", stamps{}, &debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Path: "github.com/bench-action/bench-action", Version: "v1.2.3"}},
			"v1.2.3 (go1.24.1)"},
		{"go build in a git checkout", stamps{}, &debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Version: "v0.0.0-20261126120000-63a5250c0e1f+dirty"}, Settings: vcs(rev, "true", "2026-11-26T12:00:00Z")},
			"v0.0.0-20261126120000-63a5250c0e1f+dirty (revision 63a5250c0e1f, modified, 2026-11-26T12:00:00Z, go1.24.1)"},
		{"go build of a clean tagged checkout", stamps{}, &debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Version: "v1.2.3"}, Settings: vcs(rev, "false", "2026-11-26T12:00:00Z")},
			"v1.2.3 (revision 63a5250c0e1f, 2026-11-26T12:00:00Z, go1.24.1)"},
		{"go build without VCS information", stamps{}, &debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Version: "(devel)"}},
			"dev (go1.24.1)"},
		{"goreleaser's -X main.version stamp wins", stamps{version: "v1.4.0"}, &debug.BuildInfo{GoVersion: "go1.24.1", Main: debug.Module{Version: "v1.4.0"}, Settings: vcs(rev, "false", "2026-11-26T12:00:00Z")},
			"v1.4.0 (revision 63a5250c0e1f, 2026-11-26T12:00:00Z, go1.24.1)"},
		{"a release build: -buildvcs=false, commit and date stamped", stamps{version: "v1.4.0", commit: "0123456789abcdef0123456789abcdef01234567", date: "2026-12-01T23:00:00Z"},
			&debug.BuildInfo{GoVersion: "go1.24.0", Main: debug.Module{Version: "(devel)"}},
			"v1.4.0 (revision 0123456789ab, 2026-12-01T23:00:00Z, go1.24.0)"},
		{"the build information's revision wins over a stamped one", stamps{version: "v1.4.0", commit: "0123456789abcdef0123456789abcdef01234567", date: "2026-12-01T23:00:00Z"},
			&debug.BuildInfo{GoVersion: "go1.24.0", Settings: vcs(rev, "false", "2026-11-26T12:00:00Z")},
			"v1.4.0 (revision 63a5250c0e1f, 2026-11-26T12:00:00Z, go1.24.0)"},
		{"no build information", stamps{}, nil, "dev"},
		{"no build information, stamped", stamps{version: "v1.4.0", commit: "0123456789abcdef"}, nil, "v1.4.0 (revision 0123456789ab)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := versionLine(tt.stamp, tt.bi); got != tt.want {
				t.Errorf("versionLine = %q, want %q", got, tt.want)
			}
			wantVersion, _, _ := strings.Cut(tt.want, " ")
			if got := moduleVersion(tt.stamp.version, tt.bi); got != wantVersion {
				t.Errorf("moduleVersion = %q, want %q", got, wantVersion)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	candidates := []string{"exceptions", "baseline", "max-bytes", "max-total-bytes", "now", "format", "fail-on"}
	for _, tt := range []struct{ typed, want string }{
		{"exception", "exceptions"},
		{"EXCEPTIONS", "exceptions"},
		{"basline", "baseline"},
		{"fromat", "format"},
		{"fail-no", "fail-on"},
		{"max", "max-bytes"},
		{"max-total", "max-total-bytes"},
		{"no", "now"},
		{"n", ""},
		{"x", ""},
		{"output", ""},
		{"verbose", ""},
	} {
		if got := suggest(tt.typed, candidates); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}
