package verdict

import "github.com/bench-action/bench-action/benchresult"

// Location is where a finding's control is set in the configuration files
// a team keeps in git (a static Pod manifest, a KubeletConfiguration, a
// kubeadm or RKE2 config), as package trace finds it for `gate --configs`.
type Location struct {
	// File is the file's path relative to the repository root,
	// "/"-separated, as pull requests and code scanning name files.
	File string
	// Line is the 1-based line of the setting, or, when the setting is
	// absent, of the line it belongs under (a container's `command:`).
	Line int
	// Setting is the flag or key, e.g. "--anonymous-auth" or
	// "authentication.anonymous.enabled".
	Setting string
	// Current is the value the file gives it; "" when the setting is absent.
	Current string
	// Fix is the change of lines that fixes the finding; nil when the fix is
	// not a change of the file (a file mode on the node, a policy).
	Fix *LineFix
	// Note says, in one line, where kube-bench reads the setting otherwise
	// than the component runs with it; "" when they agree.
	Note string
}

// LineFix is a change of lines: lines Line..EndLine of File (a
// [Location]'s file when ""), whose text is Old (the lines joined by
// "\n"), become New. EndLine is 0 (or Line) for a change of one line; a
// range is a change such as joining `--audit-log-maxage`, `30` written as
// two list items into `--audit-log-maxage=30`. New holds more than one
// line when the fix adds a line (a flag missing from `command:`), and is
// "" when the fix deletes the lines.
type LineFix struct {
	File     string
	Line     int
	EndLine  int
	Old, New string
}

// Last is the last line the fix changes: EndLine, or Line for one line.
func (f *LineFix) Last() int {
	if f.EndLine > f.Line {
		return f.EndLine
	}
	return f.Line
}

// FixFile is the file the fix changes.
func (l *Location) FixFile() string {
	if l.Fix != nil && l.Fix.File != "" {
		return l.Fix.File
	}
	return l.File
}

// Locator finds where a check's control is set; ok is false when the
// configuration files do not set it (or the control is not about them).
type Locator interface {
	Locate(c *benchresult.Check) (loc Location, ok bool)
}

// Locate sets [Finding.Where] of every finding l locates, and returns how
// many it located. Findings of one control and node share one Location.
func (v *Verdict) Locate(l Locator) int {
	n := 0
	for i := range v.Findings {
		f := &v.Findings[i]
		loc, ok := l.Locate(f.Check)
		if !ok {
			f.Where = nil
			continue
		}
		if loc.Fix != nil {
			fix := *loc.Fix
			loc.Fix = &fix
		}
		f.Where = &loc
		n++
	}
	return n
}

// Where is the location of the group's first located finding, or nil.
func (g FindingGroup) Where() *Location {
	for _, f := range g.Findings {
		if f.Where != nil {
			return f.Where
		}
	}
	return nil
}
