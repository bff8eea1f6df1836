package benchresult

import (
	"bytes"
	"fmt"
)

// position is where the results start in an input.
type position struct {
	offset int // byte offset of the first results line
	line   int // its 1-based line number
	// prefixed is set when the results line carried a `kubectl logs
	// --prefix` prefix ("[pod/name/container] "), so every line does.
	prefixed bool
}

// detect finds the first line that starts kube-bench results and says which
// format it is, skipping log lines before it (kubectl, glog and kube-bench's
// own warnings on stderr end up there in a `kubectl logs` capture).
func detect(data []byte, maxLine int) (position, Format, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		if len(data) == 0 {
			return position{}, "", fmt.Errorf("%w: the file is empty", ErrNotKubeBench)
		}
		return position{}, "", fmt.Errorf("%w: the file holds only white space", ErrNotKubeBench)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return position{line: 1 + bytes.Count(data[:i], []byte{'\n'})}, "", fmt.Errorf("%w: NUL byte at offset %d (binary data)", ErrNotKubeBench, i)
	}
	line := 0
	var first position // the first line with content
	var firstText []byte
	for off := 0; off < len(data); {
		line++
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off
		}
		next := end + 1
		raw := data[off:end]
		content, prefixed := lineContent(raw)
		if !looksJSON(content) {
			// A lone CR ends a line too (text pasted from an old Mac
			// editor); a JSON line is not searched for one, as CR is
			// white space inside JSON.
			if cr := bytes.IndexByte(raw, '\r'); cr >= 0 && cr+1 < len(raw) {
				end, next = off+cr, off+cr+1
				raw = data[off:end]
				content, prefixed = lineContent(raw)
			}
		}
		if len(raw) > maxLine && !looksJSON(bytes.TrimSpace(raw)) {
			return position{line: line}, "", fmt.Errorf("%w: line is %d bytes long, the limit is %d", ErrTooLarge, len(raw), maxLine)
		}
		pos := position{offset: off, line: line, prefixed: prefixed}
		if len(content) > 0 && first.line == 0 {
			first, firstText = pos, content
		}
		switch {
		case len(content) == 0:
		case looksJSON(content), isTextResultLine(content):
			// Lines before the results are log lines; a Markdown page or a
			// YAML file quoting results in a code block is not a capture.
			if kind := looksLike(linesBefore(data, off)); kind != "" {
				return first, "", notKubeBench(kind, firstText)
			}
			if isTextResultLine(content) {
				return pos, FormatText, nil
			}
			return pos, FormatJSON, nil
		case content[0] == '<':
			if isHTML(data[off:]) {
				return pos, "", fmt.Errorf("%w: an HTML page (an error page from a proxy or a download?)", ErrNotKubeBench)
			}
			isXML := bytes.HasPrefix(content, []byte("<?xml")) || bytes.HasPrefix(content, []byte("<testsuite")) ||
				bytes.HasPrefix(content, []byte("<!--")) && startsElement(afterComments(data[off:]))
			if isXML {
				if kind := looksLike(linesBefore(data, off)); kind != "" {
					return first, "", notKubeBench(kind, firstText)
				}
				return pos, FormatJUnit, nil
			}
			if kind := looksLike(contentLines(data, len(data))); kind != "" {
				return first, "", notKubeBench(kind, firstText)
			}
			return pos, "", fmt.Errorf("%w: XML that is not JUnit (<testsuites> or <testsuite>)", ErrNotKubeBench)
		}
		off = next
	}
	kind := looksLike(contentLines(data, len(data)))
	if kind == "" {
		kind = "plain text"
	}
	return position{line: first.line}, "", notKubeBench(kind, firstText)
}

// afterComments returns b after the XML comments at its start.
func afterComments(b []byte) []byte {
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if !bytes.HasPrefix(b, []byte("<!--")) {
			return b
		}
		end := bytes.Index(b, []byte("-->"))
		if end < 0 {
			return nil
		}
		b = b[end+3:]
	}
}

// startsElement reports whether b, after white space and log prefixes,
// starts with an XML element or declaration (or is nothing more).
func startsElement(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	b, _ = StripLogPrefix(b)
	return len(b) == 0 || b[0] == '<'
}

// StripLogPrefix removes a `kubectl logs --prefix` prefix such as
// "[pod/kube-bench-x/kube-bench] " from a line, reporting whether there was one.
func StripLogPrefix(line []byte) ([]byte, bool) {
	if len(line) < 4 || line[0] != '[' || !bytes.HasPrefix(line[1:], []byte("pod/")) {
		return line, false
	}
	end := bytes.IndexByte(line, ']')
	if end < 0 {
		return line, false
	}
	rest := line[end+1:]
	if len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	return rest, true
}

func looksJSON(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	switch b[0] {
	case '{':
		rest := bytes.TrimLeft(b[1:], " \t\r\n")
		return len(rest) == 0 || rest[0] == '"' || rest[0] == '}'
	case '[':
		rest := bytes.TrimLeft(b[1:], " \t\r\n")
		return len(rest) == 0 || rest[0] == '{' || rest[0] == ']' || rest[0] == '['
	}
	return false
}

// isTextResultLine reports whether a line is one of kube-bench's text
// result lines: "[INFO] 1 ...", "[PASS] 1.1.1 ...", or a heading it begins
// with under --noresults: "== Summary node ==", "== Remediations ==".
//
// A status line whose next word is not a check id is kube-bench's log
// ("[INFO] Using config file: ..." before the JSON of v0.0.x, "[FAIL]
// kube-apiserver is not running"), not a result.
func isTextResultLine(b []byte) bool {
	for _, p := range [][]byte{[]byte("[INFO] "), []byte("[PASS] "), []byte("[FAIL] "), []byte("[WARN] ")} {
		if rest, ok := bytes.CutPrefix(b, p); ok {
			id, _, _ := bytes.Cut(rest[:min(len(rest), 80)], []byte(" "))
			return isCheckID(string(id))
		}
	}
	if bytes.HasPrefix(b, []byte("== Summary ")) || bytes.HasPrefix(b, []byte("== Remediations ")) {
		t := bytes.TrimRight(b, " \t\r")
		if len(t) < 6 || !bytes.HasSuffix(t, []byte(" ==")) {
			return false
		}
		kind, name, _ := bytes.Cut(bytes.TrimSpace(t[3:len(t)-3]), []byte(" "))
		return (string(kind) == "Summary" || string(kind) == "Remediations") && !bytes.ContainsAny(name, " \t")
	}
	return false
}

// lineContent is a line as detection reads it: without line end, colour
// codes, `kubectl logs --prefix` prefix and white space around it. Only
// the start of a line is searched for colour codes (kube-bench writes them
// around the status), so that a long JSON line is not read twice.
func lineContent(raw []byte) ([]byte, bool) {
	content := bytes.TrimRight(raw, "\r")
	if bytes.IndexByte(content[:min(len(content), 64)], 0x1b) >= 0 {
		content = stripANSI(content)
	}
	content, prefixed := StripLogPrefix(bytes.TrimLeft(content, " \t"))
	return bytes.TrimLeft(content, " \t"), prefixed
}

// linesBefore is contentLines of what precedes the results at off, without
// what a capture or a paste puts before them: a shell prompt with the
// command, the fence of a Markdown code block, log lines.
func linesBefore(data []byte, off int) [][]byte {
	lines := contentLines(data, off)
	out := lines[:0]
	for _, l := range lines {
		t := string(bytes.TrimSpace(l))
		if isFence(t) || isPromptLine(t) || isLogLine(t) {
			continue
		}
		out = append(out, l)
	}
	return out
}

func isHTML(b []byte) bool {
	head := b
	if len(head) > 512 {
		head = head[:512]
	}
	head = bytes.ToLower(head)
	return bytes.Contains(head, []byte("<!doctype html")) || bytes.Contains(head, []byte("<html")) || bytes.Contains(head, []byte("<head")) || bytes.Contains(head, []byte("<body"))
}
