package render

import (
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/verdict"
)

// Links turn a file of the repository and a line into a link to it at the
// commit the run checked out. The zero value links nothing.
type Links struct {
	// Blob is the URL of the repository's files at the commit, without a
	// trailing slash: "https://github.com/acme/infra/blob/0123abc".
	Blob string
	// Root is the directory repository paths are relative to (the
	// workspace); an absolute path outside it is not linked.
	Root string
}

// Line is the URL of line of file (a path relative to Root, or absolute
// inside it), or "" when it cannot be linked.
func (l Links) Line(file string, line int) string {
	if l.Blob == "" || file == "" {
		return ""
	}
	rel := path.Clean(strings.ReplaceAll(file, "\\", "/"))
	if root := strings.TrimSuffix(path.Clean(strings.ReplaceAll(l.Root, "\\", "/")), "/"); l.Root != "" && strings.HasPrefix(rel, root+"/") {
		rel = strings.TrimPrefix(rel, root+"/")
	}
	if rel == "." || rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
		return ""
	}
	u := strings.TrimSuffix(l.Blob, "/") + "/" + escapePath(rel)
	if line > 0 {
		u += "#L" + strconv.Itoa(line)
	}
	return u
}

// link is "[file:line](url)", or the plain escaped text without a URL.
func (l Links) link(file string, line int) string {
	text := file
	if line > 0 {
		text += ":" + strconv.Itoa(line)
	}
	if u := l.Line(file, line); u != "" {
		return "[" + MarkdownText(path.Base(text)) + "](" + markdownURL(u) + ")"
	}
	return MarkdownText(text)
}

func escapePath(p string) string {
	return strings.NewReplacer(" ", "%20", "#", "%23", "?", "%3F", "%", "%25").Replace(p)
}

// ControlRef names a control across nodes.
type ControlRef struct {
	Benchmark, Target, ID string
}

// RefOf is the ref of a group's control.
func RefOf(g verdict.ControlGroup) ControlRef {
	return ControlRef{Benchmark: g.Control.Benchmark, Target: string(g.Control.Target), ID: g.Control.ID}
}

// Non-breaking forms for table cells: GitHub's CSS breaks a cell at a
// hyphen, so a date reads "2026-/11-01" and an owner "infrastructure-/team"
// at 900 px. In cells, hyphens of dates, owners, node names and flags
// become U+2011 (non-breaking hyphen); GitHub strips <nobr> and
// white-space styles.
const nbHyphen = "\u2011"

// nb is s escaped for a cell, its hyphens non-breaking.
func nb(s string) string { return strings.ReplaceAll(MarkdownText(s), "-", nbHyphen) }

// flagInTextRE finds command-line flags in a control's text.
var flagInTextRE = regexp.MustCompile(`--[A-Za-z0-9][A-Za-z0-9-]*`)

// cellText is a control's text escaped for a cell, its flags unbroken.
func cellText(s string) string {
	return flagInTextRE.ReplaceAllStringFunc(MarkdownText(s), func(f string) string {
		return strings.ReplaceAll(f, "-", nbHyphen)
	})
}
