package benchresult

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Text as people capture and paste it. kube-bench prints its text output
// one result per line at the start of the line; between it and a file
// stand a terminal (colour codes, lines wrapped at its width), kubectl
// (`--prefix`, stderr's glog lines and warnings interleaved), and a copy
// and paste (a BOM, CRLF or CR line ends, white space around lines or
// indenting the whole text, a shell prompt line, Markdown code fences).
// textParser.split undoes each of these where it is unambiguous.

// termWidth is the terminal width whose wrapped lines are joined again.
const termWidth = 80

// maxWrapRows bounds the rows joined into one line: a result line of
// kube-bench is a few hundred columns at most.
const maxWrapRows = 16

// physLine is one line of the input as a terminal showed it.
type physLine struct {
	line    int
	display string // without line end and colour codes: as the terminal showed it
	lead    string // white space before a log prefix (or before the text)
	inner   string // white space after a log prefix
	text    string // without log prefix and surrounding white space
}

// split cuts data into lines (at LF, CRLF or a lone CR), enforcing the
// line length limit, and keeps them with colour codes and `kubectl logs
// --prefix` prefixes removed and surrounding white space trimmed; the rows
// of a result line a 80-column terminal wrapped are joined again.
func (p *textParser) split(data []byte, line, maxLine int) error {
	var phys []physLine
	for len(data) > 0 {
		end, next := lineEnd(data)
		raw := data[:end]
		data = data[next:]
		if maxLine > 0 && len(raw) > maxLine {
			return p.errorf(line, "%w: line is %d bytes long, the limit is %d", ErrTooLarge, len(raw), maxLine)
		}
		if bytes.IndexByte(raw, 0x1b) >= 0 {
			raw = stripANSI(raw)
		}
		s := validUTF8(string(raw))
		if strings.Contains(s, "\u00a0") { // no-break spaces from a web page
			s = strings.ReplaceAll(s, "\u00a0", " ")
		}
		rest := strings.TrimLeft(s, " \t")
		lead := s[:len(s)-len(rest)]
		if b, ok := StripLogPrefix([]byte(rest)); ok {
			rest = string(b)
		}
		after := strings.TrimLeft(rest, " \t")
		phys = append(phys, physLine{line: line, display: s, lead: lead, inner: rest[:len(rest)-len(after)], text: strings.TrimSpace(after)})
		line++
	}
	// The indentation of the whole text: what every result line and
	// heading starts with.
	common, first := "", true
	for i := range phys {
		if isResultOrHeading(phys[i].text) {
			if first {
				common, first = phys[i].lead, false
			} else {
				common = commonPrefix(common, phys[i].lead)
			}
		}
	}
	p.lines = make([]textLine, 0, len(phys))
	// full: the last row is one of a result line and filled the terminal's
	// width (atSpace: up to a space, which the wrap left at its end).
	full, atSpace := false, false
	rows := 0 // rows of the last line
	for i := range phys {
		ph := &phys[i]
		extra := strings.TrimPrefix(ph.lead, common) + ph.inner
		width, trailing := rowWidth(ph.display, common)
		if full && rows < maxWrapRows && isContinuation(ph.text, extra) {
			last := &p.lines[len(p.lines)-1]
			rows++
			if atSpace {
				last.text += " "
			}
			last.text += extra + ph.text
			full = width == termWidth || width == termWidth-1 && trailing
			atSpace = width == termWidth-1 && trailing
			continue
		}
		p.lines = append(p.lines, textLine{text: ph.text, line: ph.line, raw: strings.HasPrefix(extra, "\t ")})
		rows = 1
		_, _, _, isResult := resultLine(ph.text)
		full = isResult && (width == termWidth || width == termWidth-1 && trailing)
		atSpace = width == termWidth-1 && trailing
	}
	return nil
}

// lineEnd returns where the line at the start of data ends and where the
// next one starts: at "\n", "\r\n" or a lone "\r".
func lineEnd(data []byte) (end, next int) {
	i := bytes.IndexAny(data, "\r\n")
	if i < 0 {
		return len(data), len(data)
	}
	if data[i] == '\r' && i+1 < len(data) && data[i+1] == '\n' {
		return i, i + 2
	}
	return i, i + 1
}

// rowWidth is how many columns a line took on the terminal, without the
// indentation added to the whole text; spaceAtEnd reports trailing white
// space after those (a row that ended in a space when it wrapped).
func rowWidth(display, common string) (int, bool) {
	d := strings.TrimPrefix(display, common)
	t := strings.TrimRight(d, " \t")
	return utf8.RuneCountInString(t), len(t) < len(d)
}

// isContinuation reports whether a line can be the rest of a result line
// a terminal wrapped: not blank, not a result line or heading, not a fence,
// log line or indented output of --include-test-output.
func isContinuation(text, extra string) bool {
	if text == "" || strings.HasPrefix(extra, "\t") || isResultOrHeading(text) || isFence(text) || isLogLine(text) {
		return false
	}
	return true
}

// isResultOrHeading reports whether a trimmed line is a result line
// ("[PASS] 1.1.1 ...") or a heading ("== Summary node ==").
func isResultOrHeading(s string) bool {
	if _, _, _, ok := resultLine(s); ok {
		return true
	}
	return isHeading(s)
}

func isHeading(s string) bool {
	return len(s) > 6 && strings.HasPrefix(s, "== ") && strings.HasSuffix(s, " ==")
}

func commonPrefix(a, b string) string {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return a[:i]
		}
	}
	return a[:n]
}

// isFence reports whether a line opens or closes a Markdown code block:
// "```", "```text", "~~~".
func isFence(s string) bool {
	for _, f := range []string{"```", "~~~"} {
		if rest, ok := strings.CutPrefix(s, f); ok {
			rest = strings.TrimLeft(rest, f[:1])
			for _, r := range rest {
				if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '+') {
					return false
				}
			}
			return true
		}
	}
	return false
}

// isLogLine reports whether a line is a log line kube-bench or kubectl
// writes to stderr: glog/klog ("I1201 23:12:00.123456 ..."), or a warning.
func isLogLine(s string) bool {
	if len(s) >= 14 && strings.ContainsRune("IWEF", rune(s[0])) && allDigits(s[1:5]) && s[5] == ' ' &&
		allDigits(s[6:8]) && s[8] == ':' && allDigits(s[9:11]) && s[11] == ':' && allDigits(s[12:14]) {
		return true
	}
	for _, p := range []string{"Warning:", "WARNING:", "warning:", "Error:", "error:"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// isPromptLine reports whether a line is a shell prompt with the command
// that printed the output: "$ kube-bench run", "# kubectl logs job/x",
// "user@host:~$ docker run ...".
func isPromptLine(s string) bool {
	rest, ok := "", false
	switch {
	case strings.HasPrefix(s, "$ "), strings.HasPrefix(s, "# "), strings.HasPrefix(s, "> "), strings.HasPrefix(s, "% "):
		rest, ok = s[2:], true
	default:
		// user@host:dir$ or user@host dir #
		at := strings.IndexByte(s, '@')
		if at <= 0 {
			return false
		}
		for _, sep := range []string{"$ ", "# ", "% "} {
			if i := strings.Index(s, sep); i > at && !strings.ContainsAny(s[:at], " \t") {
				rest, ok = s[i+2:], true
				break
			}
		}
	}
	if !ok {
		return false
	}
	rest = strings.TrimSpace(rest)
	rest = strings.TrimPrefix(rest, "sudo ")
	rest = strings.TrimPrefix(rest, "./")
	cmd, _, _ := strings.Cut(rest, " ")
	switch cmd {
	case "kube-bench", "kubectl", "docker", "podman", "nerdctl", "crictl", "cat", "oc", "k", "k3s", "microk8s", "kube-bench.exe":
		return true
	}
	return strings.HasSuffix(cmd, "/kube-bench")
}

// stripANSI removes terminal escape sequences: CSI ("\x1b[31m", "\x1b[0m",
// "\x1b[K"), OSC ("\x1b]0;title\x07") and two-byte ones ("\x1b(B"), which
// kube-bench writes around statuses when its output is a terminal (and
// terminals and tools add).
func stripANSI(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b || i+1 >= len(b) {
			out = append(out, b[i])
			continue
		}
		switch c := b[i+1]; {
		case c == '[': // CSI: parameters and intermediates, then a final byte
			j := i + 2
			for j < len(b) && b[j] >= 0x20 && b[j] <= 0x3f {
				j++
			}
			if j < len(b) && b[j] >= 0x40 && b[j] <= 0x7e {
				i = j
				continue
			}
			i = j - 1 // a broken sequence: drop what was read of it
		case c == ']': // OSC: up to BEL or ST
			j := i + 2
			for j < len(b) && b[j] != 0x07 && !(b[j] == 0x1b && j+1 < len(b) && b[j+1] == '\\') {
				j++
			}
			if j < len(b) && b[j] == 0x1b {
				j++
			}
			i = j
		case c == '(' || c == ')' || c == '#' || c == '%': // charset and similar: one more byte
			i += 2
		case c >= 0x40 && c <= 0x5f, c >= 0x60 && c <= 0x7e: // two-byte sequences
			i++
		default:
			out = append(out, b[i])
		}
	}
	return out
}
