package benchresult

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kube-bench's text output (cmd/common.go prettyPrint of kube-bench), per
// target:
//
//	[INFO] 4 Worker Node Security Configuration      the target: Controls id and text
//	[INFO] 4.1 Worker Node Configuration Files       a group: id and description
//	[FAIL] 4.1.1 Ensure that ...                     a check: status, id, description
//	                                                 (blank line)
//	== Remediations node ==                          only when the target has FAIL or WARN
//	4.1.1 <remediation, possibly over several lines>
//	4.2.3 audit test did not run: <reason>           a WARN whose audit could not run
//	                                                 (blank line)
//	== Summary node ==
//	1 checks PASS                                    and FAIL, WARN, INFO
//
// and at the end "== Summary total ==" with the same four lines.
//
// The text carries neither the benchmark id (Control.Benchmark is "") nor
// scored, type, expected or actual values; the target comes from the
// "== Remediations <target> ==" or "== Summary <target> ==" heading of the
// block, else from the target's description (see [targetOfText]).

type textLine struct {
	text string // without line end, log prefix and colour codes
	line int
}

type textBlock struct {
	heading   string // the target's description
	headLine  int
	target    Target
	checks    []int // indexes into the result's checks
	totals    Totals
	remedyIdx int // next FAIL/WARN check (index into checks) a remediation is expected for
}

type textParser struct {
	source string
	lines  []textLine
	nr     *NodeResult
	blocks []*textBlock
	total  *Totals // from "== Summary total =="
	totalL int
}

// parseText reads kube-bench's text output from start on.
func parseText(data []byte, start position, source string, maxLine int) (*NodeResult, error) {
	p := &textParser{source: source, nr: &NodeResult{}}
	if err := p.split(data[start.offset:], start.line, maxLine); err != nil {
		return nil, err
	}
	if err := p.parse(); err != nil {
		return nil, err
	}
	return p.nr, nil
}

func (p *textParser) errorf(line int, format string, args ...any) error {
	return inputErr(p.source, line, format, args...)
}

// split cuts the input into lines, enforcing the line length limit and
// removing CR line ends, `kubectl logs --prefix` prefixes and terminal
// colour codes.
func (p *textParser) split(data []byte, line, maxLine int) error {
	p.lines = make([]textLine, 0, bytes.Count(data, []byte{'\n'})+1)
	for len(data) > 0 {
		raw := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if maxLine > 0 && len(raw) > maxLine {
			return p.errorf(line, "%w: line is %d bytes long, the limit is %d", ErrTooLarge, len(raw), maxLine)
		}
		raw = bytes.TrimRight(raw, "\r")
		raw, _ = StripLogPrefix(raw)
		if bytes.IndexByte(raw, 0x1b) >= 0 {
			raw = stripANSI(raw)
		}
		p.lines = append(p.lines, textLine{text: validUTF8(string(raw)), line: line})
		line++
	}
	return nil
}

// stripANSI removes CSI escape sequences ("\x1b[31m"), which kube-bench
// writes around statuses when its output is a terminal.
func stripANSI(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == ';') {
				j++
			}
			if j < len(b) {
				i = j
				continue
			}
		}
		out = append(out, b[i])
	}
	return out
}

// resultLine splits "[PASS] 1.2.3 text" into its status, id and text.
func resultLine(s string) (st Status, id, text string, ok bool) {
	if len(s) < 7 || s[0] != '[' || s[5] != ']' || s[6] != ' ' {
		return 0, "", "", false
	}
	st, err := ParseStatus(s[1:5])
	if err != nil {
		return 0, "", "", false
	}
	id, text, _ = strings.Cut(s[7:], " ")
	return st, id, text, true
}

// isGroupID reports whether an id has the shape of a group id: numbers
// joined by dots ("4.2", "7"). Check ids of some benchmarks ("V-242386"
// in eks-stig) do not.
func isGroupID(s string) bool {
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if _, ok := atoi(part); !ok {
			return false
		}
	}
	return true
}

type textState int

const (
	stOutside     textState = iota // between targets: log lines, summaries
	stTarget                       // after a target heading, before its first group
	stGroup                        // in a group's checks
	stRemediation                  // in "== Remediations ... ==" of the current block
	stSummary                      // in "== Summary <target> ==" of the current block
	stTotal                        // in "== Summary total =="
)

func (p *textParser) parse() error {
	state := stOutside
	var block *textBlock
	var group, groupText string
	var summary Totals
	var summaryLine, summarySeen int
	var remedy *Check // the check whose remediation lines are being read
	var remedyText []string
	var remedyIsReason bool

	endRemedy := func() {
		if remedy == nil {
			return
		}
		text := strings.TrimRight(strings.Join(remedyText, "\n"), "\n \t")
		if remedyIsReason {
			remedy.Reason = text
		} else {
			remedy.Remediation = text
		}
		remedy, remedyText = nil, nil
	}
	endSummary := func() error {
		if state == stSummary && summarySeen > 0 && block != nil && summary != block.totals {
			return p.errorf(summaryLine, "the summary of target %s says %s but the results read are %s (the parser misread the output)", block.target, fmtTotals(summary), fmtTotals(block.totals))
		}
		if state == stTotal && summarySeen > 0 {
			t := summary
			p.total, p.totalL = &t, summaryLine
		}
		return nil
	}
	leave := func(next textState) error {
		endRemedy()
		if err := endSummary(); err != nil {
			return err
		}
		state = next
		return nil
	}

	for i, l := range p.lines {
		s := l.text
		if strings.HasPrefix(s, "== ") && strings.HasSuffix(s, " ==") && len(s) > 6 {
			kind, name, _ := strings.Cut(strings.TrimSpace(s[3:len(s)-3]), " ")
			switch kind {
			case "Remediations", "Summary":
				if err := leave(stOutside); err != nil {
					return err
				}
				summary, summaryLine, summarySeen = Totals{}, l.line, 0
				if kind == "Summary" && name == "total" {
					state = stTotal
					continue
				}
				if block == nil {
					return p.errorf(l.line, "%q before any results", s)
				}
				if name == "" || strings.ContainsAny(name, " \t") {
					return p.errorf(l.line, "%q does not name a target", s)
				}
				if block.target != "" && block.target != Target(name) {
					return p.errorf(l.line, "%q in the block of target %s", s, block.target)
				}
				block.target = Target(name)
				if kind == "Remediations" {
					state = stRemediation
				} else {
					state = stSummary
				}
				continue
			}
		}
		st, id, text, isResult := resultLine(s)
		switch state {
		case stRemediation:
			if isResult {
				// --nosummary: the next target begins.
				if err := leave(stOutside); err != nil {
					return err
				}
				break
			}
			if next := p.nextRemedy(block); next != nil && strings.HasPrefix(s, next.ID+" ") || next != nil && s == next.ID {
				endRemedy()
				block.remedyIdx++
				remedy, remedyText = next, nil
				rest := strings.TrimPrefix(strings.TrimPrefix(s, next.ID), " ")
				remedyIsReason = false
				if r, ok := strings.CutPrefix(rest, "audit test did not run: "); ok && next.Status == Warn {
					remedyIsReason, rest = true, r
				}
				remedyText = append(remedyText, rest)
				continue
			}
			if remedy != nil {
				remedyText = append(remedyText, s)
			}
			continue
		case stSummary, stTotal:
			if isResult {
				if err := leave(stOutside); err != nil {
					return err
				}
				break
			}
			if n, what, ok := summaryCount(s); ok {
				summarySeen++
				switch what {
				case "PASS":
					summary.Pass = n
				case "FAIL":
					summary.Fail = n
				case "WARN":
					summary.Warn = n
				case "INFO":
					summary.Info = n
				}
				continue
			}
			if strings.TrimSpace(s) == "" && summarySeen > 0 {
				if err := leave(stOutside); err != nil {
					return err
				}
			}
			continue
		}
		if !isResult {
			if s == "" && (state == stGroup || state == stTarget) {
				// The empty line after a target's results. Raw test output
				// (--include-test-output) is indented with "\t ", never empty.
				state = stOutside
			}
			continue // log lines, raw test output ("\t ...")
		}
		if !isCheckID(id) {
			if state == stOutside {
				continue // a log line that looks like a result: "[INFO] Starting ..."
			}
			return p.errorf(l.line, "[%s] line with %q where a check id belongs", st, truncate(id, 40))
		}
		switch {
		case state == stOutside:
			if st != Info {
				return p.errorf(l.line, "[%s] %s outside of a target (no \"[INFO] <n> <target>\" heading before it)", st, id)
			}
			block = &textBlock{heading: text, headLine: l.line}
			p.blocks = append(p.blocks, block)
			group, groupText = "", ""
			state = stTarget
			continue
		case state == stTarget:
			if st != Info {
				return p.errorf(l.line, "[%s] %s before any group heading of target %q", st, id, block.heading)
			}
			group, groupText = id, text
			state = stGroup
			continue
		case st == Info && p.isGroupHeading(i, group, id):
			group, groupText = id, text
			continue
		}
		if len(p.nr.Checks) >= maxTextChecks {
			return p.errorf(l.line, "%w: more than %d checks", ErrTooLarge, maxTextChecks)
		}
		block.checks = append(block.checks, len(p.nr.Checks))
		block.totals.Add(st)
		p.nr.Totals.Add(st)
		p.nr.Checks = append(p.nr.Checks, Check{
			Control: &Control{Section: group, SectionText: groupText, ID: id, Text: text},
			Status:  st,
		})
	}
	if err := leave(stOutside); err != nil {
		return err
	}
	return p.finish()
}

// maxTextChecks bounds the checks of one text output; real benchmarks have
// a few hundred.
const maxTextChecks = 1 << 20

// isGroupHeading decides whether "[INFO] <id>" inside group `group` starts a
// new group rather than being an INFO check of the current one. Group ids
// are dotted numbers; a check of a group has the group's id as a prefix
// ("4.1" → "4.1.1", "7" → "7.10") except in eks-stig ("V-242386"). A group
// heading is always followed by a check of it.
func (p *textParser) isGroupHeading(i int, group, id string) bool {
	if !isGroupID(id) || strings.HasPrefix(id, group+".") {
		return false
	}
	if i+1 >= len(p.lines) {
		return false
	}
	st, next, _, ok := resultLine(p.lines[i+1].text)
	return ok && st != 0 && isCheckID(next)
}

// nextRemedy is the next check of the block kube-bench prints a
// remediation line for: every FAIL and WARN, in order.
func (p *textParser) nextRemedy(b *textBlock) *Check {
	if b == nil {
		return nil
	}
	for b.remedyIdx < len(b.checks) {
		c := &p.nr.Checks[b.checks[b.remedyIdx]]
		if c.Status == Fail || c.Status == Warn {
			return c
		}
		b.remedyIdx++
	}
	return nil
}

// summaryCount reads "12 checks PASS".
func summaryCount(s string) (int, string, bool) {
	f := strings.Fields(s)
	if len(f) != 3 || f[1] != "checks" {
		return 0, "", false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 {
		return 0, "", false
	}
	switch f[2] {
	case "PASS", "FAIL", "WARN", "INFO":
		return n, f[2], true
	}
	return 0, "", false
}

// finish gives each block's checks their target and compares the totals
// with "== Summary total ==".
func (p *textParser) finish() error {
	for _, b := range p.blocks {
		if b.target == "" {
			t, ok := targetOfText(b.heading)
			if !ok && len(b.checks) > 0 {
				t, ok = targetOfID(p.nr.Checks[b.checks[0]].ID)
			}
			if !ok && len(b.checks) > 0 {
				return p.errorf(b.headLine, "cannot tell which kube-bench target %q is (no \"== Summary <target> ==\" line, and kube-bench uses no such description)", b.heading)
			}
			b.target = t
		}
		for _, i := range b.checks {
			p.nr.Checks[i].Target = b.target
		}
	}
	if p.total != nil && *p.total != p.nr.Totals {
		return p.errorf(p.totalL, "\"== Summary total ==\" says %s but the results read are %s (the parser misread the output)", fmtTotals(*p.total), fmtTotals(p.nr.Totals))
	}
	return nil
}

func fmtTotals(t Totals) string {
	return fmt.Sprintf("%d PASS, %d FAIL, %d WARN, %d INFO", t.Pass, t.Fail, t.Warn, t.Info)
}

// validUTF8 replaces invalid UTF-8 with U+FFFD, as Go's JSON decoder does,
// so a result reads the same in every format and survives a JSON round trip.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
