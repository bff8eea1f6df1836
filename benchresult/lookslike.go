package benchresult

import (
	"bytes"
	"regexp"
)

// maxLooksLines bounds how many content lines looksLike reads: what a file
// is shows in its first lines, and detection stays linear in the input.
const maxLooksLines = 64

// maxLooksLineBytes is how much of each line looksLike reads.
const maxLooksLineBytes = 512

// Document kinds that looksLike names.
const (
	looksMarkdown = "Markdown"
	looksYAML     = "YAML"
)

var (
	// A YAML mapping key: top-level keys are lower case (a kubectl or
	// kube-bench "Warning: ..." line before the results is not one);
	// nested keys and sequence items may be anything.
	yamlTopKey    = regexp.MustCompile(`^(- )?[a-z_][A-Za-z0-9_.\-/]*:( |$)`)
	yamlNestedKey = regexp.MustCompile(`^[ ]+(- )?["']?[A-Za-z_][A-Za-z0-9_.\-/]*["']?:( |$)`)
	mdHeading     = regexp.MustCompile(`^#{1,6} \S`)
	mdList        = regexp.MustCompile(`^([-*+]|[0-9]{1,3}\.) \S`)
	mdTable       = regexp.MustCompile(`^\|.*\|\s*$`)
	mdLink        = regexp.MustCompile(`\[[^\]]+\]\([^) ]+\)|^\[[^\]]+\]: \S`)
	mdEmphasis    = regexp.MustCompile("(^|\\s)(\\*\\*|__|`)\\S")
)

// looksLike says what a file that is not kube-bench output looks like, from
// its first content lines (log prefixes already stripped): "Markdown",
// "YAML (a Kubernetes manifest?)" and the like, or "" when it is neither.
// Lines starting with "# " are Markdown headings or YAML comments, and
// "- " list items or YAML sequences, so they only tip the balance.
func looksLike(lines [][]byte) string {
	var yaml, md, ambiguous int
	var manifest, workflow, exceptionsFile bool
	for _, l := range lines {
		t := bytes.TrimRight(l, " \t\r")
		switch {
		case len(bytes.TrimSpace(t)) == 0:
		case bytes.Equal(t, []byte("---")) || bytes.HasPrefix(t, []byte("%YAML")):
			yaml++
		case bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~")):
			md += 2
		case mdHeading.Match(t):
			ambiguous++
		case yamlTopKey.Match(t):
			yaml++
			switch {
			case bytes.HasPrefix(t, []byte("apiVersion:")), bytes.HasPrefix(t, []byte("kind:")):
				manifest = true
			case bytes.HasPrefix(t, []byte("jobs:")):
				workflow = true
			case bytes.HasPrefix(t, []byte("exceptions:")):
				exceptionsFile = true
			}
			if bytes.HasPrefix(t, []byte("- ")) {
				ambiguous++
			}
		case yamlNestedKey.Match(t):
			yaml++
		case mdList.Match(t):
			ambiguous++
		case mdTable.Match(t), bytes.HasPrefix(t, []byte("> ")):
			md++
		case mdLink.Match(t), mdEmphasis.Match(t):
			md++
		}
	}
	switch {
	case yaml >= 2 && yaml > md:
		switch {
		case manifest:
			return looksYAML + " (a Kubernetes manifest?)"
		case workflow:
			return looksYAML + " (a GitHub Actions workflow?)"
		case exceptionsFile:
			return looksYAML + " (an exceptions file? give it with --exceptions)"
		}
		return looksYAML
	case md > 0 || ambiguous >= 2 || (ambiguous == 1 && yaml == 0 && len(lines) > 1):
		return looksMarkdown
	}
	return ""
}

// contentLines returns up to maxLooksLines non-blank lines of data, with
// `kubectl logs --prefix` prefixes stripped; only the part before end is read.
func contentLines(data []byte, end int) [][]byte {
	var out [][]byte
	for off := 0; off < end && len(out) < maxLooksLines; {
		e := bytes.IndexByte(data[off:end], '\n')
		if e < 0 {
			e = end
		} else {
			e += off
		}
		line, _ := StripLogPrefix(bytes.TrimRight(data[off:e], "\r"))
		if len(line) > maxLooksLineBytes {
			line = line[:maxLooksLineBytes]
		}
		if len(bytes.TrimSpace(line)) > 0 {
			out = append(out, line)
		}
		off = e + 1
	}
	return out
}
