package benchresult

import (
	"fmt"
	"math/bits"
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
// and at the end "== Summary total ==" with the same four lines (since
// v0.5.0; up to v0.4.x the headings name no target: "== Remediations ==",
// "== Summary =="). With --noresults only the headings and what follows
// them are printed: a [SummaryOnly] result.
//
// The text carries neither the benchmark id (Control.Benchmark is "") nor
// scored, type, expected or actual values; the target comes from the
// "== Remediations <target> ==" or "== Summary <target> ==" heading of the
// block, else from the target's description (see [targetOfText]).

type textLine struct {
	text string // without line end, log prefix, colour codes and surrounding white space
	line int
	// raw: indented with a tab and a space past the text's own
	// indentation, as --include-test-output prints a check's audit output
	// ("\t <line>").
	raw bool
}

type textBlock struct {
	heading   string // the target's description
	headLine  int
	target    Target
	checks    []int // indexes into the result's checks
	totals    Totals
	remedyIdx int // next check (index into checks) a remediation may be for
	failIdx   int // next FAIL or WARN check from remedyIdx on (see remedyFor)
	// Its "== Summary <target> ==": the counts it states (mask: which).
	summary     Totals
	summaryMask uint8
	summaryLine int
	hasSummary  bool
	hasRemedies bool
	// headless: the block begins with its remediations or summary, no
	// result of it was printed (--noresults).
	headless bool
}

type textParser struct {
	source string
	lines  []textLine
	nr     *NodeResult
	blocks []*textBlock
	// "== Summary total ==": the counts it states (mask: which).
	total     Totals
	totalMask uint8
	totalLine int
	hasTotal  bool
}

// parseText reads kube-bench's text output from start on. What it says
// of its own totals goes to st.
func parseText(data []byte, start position, source string, maxLine int, st *statements) (*NodeResult, error) {
	p := &textParser{source: source, nr: &NodeResult{}}
	if err := p.split(data[start.offset:], start.line, maxLine); err != nil {
		return nil, err
	}
	if err := p.parse(); err != nil {
		return nil, err
	}
	p.statements(st)
	return p.nr, nil
}

func (p *textParser) errorf(line int, format string, args ...any) error {
	return inputErr(p.source, line, format, args...)
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
	var remedy *Check // the check whose remediation lines are being read
	var remedyText []string
	var remedyIsReason bool
	// The summary being read: of block (stSummary) or the total (stTotal).
	var summary *Totals
	var summaryMask *uint8
	var summaryWhat string

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
	leave := func(next textState, line int) error {
		endRemedy()
		// kube-bench v0.0.x prints no INFO count: PASS, FAIL and WARN are
		// a whole summary too.
		if (state == stSummary || state == stTotal) && *summaryMask != 0 && *summaryMask != allCounts && *summaryMask != countsNoInfo {
			return p.errorf(line, "%s has %d of its 4 count lines; expected \"<n> checks PASS\", \"<n> checks FAIL\", \"<n> checks WARN\" and \"<n> checks INFO\" (a cut or edited output?)", summaryWhat, bits.OnesCount8(*summaryMask))
		}
		state = next
		return nil
	}

	for i, l := range p.lines {
		s := l.text
		if isHeading(s) {
			kind, name, _ := strings.Cut(strings.TrimSpace(s[3:len(s)-3]), " ")
			switch kind {
			case "Remediations", "Summary":
				if err := leave(stOutside, l.line); err != nil {
					return err
				}
				if kind == "Summary" && name == "total" {
					if p.hasTotal {
						return p.errorf(l.line, "a second \"== Summary total ==\" (two outputs in one file? give each its own file)")
					}
					p.hasTotal, p.totalLine = true, l.line
					summary, summaryMask, summaryWhat = &p.total, &p.totalMask, `"== Summary total =="`
					state = stTotal
					continue
				}
				if strings.ContainsAny(name, " \t") {
					return p.errorf(l.line, "%q does not name a target (expected \"== %s <target> ==\")", s, kind)
				}
				b, err := p.blockFor(block, kind, Target(name), l.line, s)
				if err != nil {
					return err
				}
				block = b
				if name != "" {
					block.target = Target(name)
				}
				if kind == "Remediations" {
					block.hasRemedies = true
					state = stRemediation
				} else {
					block.hasSummary, block.summaryLine = true, l.line
					summary, summaryMask = &block.summary, &block.summaryMask
					summaryWhat = "the summary of target " + string(block.target)
					if block.target == "" {
						summaryWhat = `"== Summary =="`
					}
					state = stSummary
				}
				continue
			}
		}
		st, id, text, isResult := resultLine(s)
		if l.raw {
			isResult = false // audit output, whatever it says
		}
		switch state {
		case stRemediation:
			if isResult {
				// --nosummary: the next target begins.
				if err := leave(stOutside, l.line); err != nil {
					return err
				}
				break
			}
			if next := p.remedyFor(block, s); next != nil {
				endRemedy()
				remedy, remedyText = next, nil
				rest := strings.TrimPrefix(strings.TrimPrefix(s, next.ID), " ")
				remedyIsReason = false
				if r, ok := strings.CutPrefix(rest, "audit test did not run: "); ok && next.Status == Warn {
					remedyIsReason, rest = true, r
				}
				remedyText = append(remedyText, rest)
				continue
			}
			if remedy != nil && !isLogLine(s) && !isFence(s) {
				remedyText = append(remedyText, s)
			}
			continue
		case stSummary, stTotal:
			if isResult {
				if err := leave(stOutside, l.line); err != nil {
					return err
				}
				break
			}
			if n, what, ok := summaryCount(s); ok {
				bit := uint8(1) << what
				if *summaryMask&bit != 0 {
					return p.errorf(l.line, "%s gives the %s count twice", summaryWhat, Status(what+1))
				}
				*summaryMask |= bit
				setCount(summary, what, n)
				continue
			}
			if s == "" && *summaryMask != 0 {
				if err := leave(stOutside, l.line); err != nil {
					return err
				}
			}
			continue
		}
		if !isResult {
			if s == "" && (state == stGroup || state == stTarget) && !l.raw {
				// The empty line after a target's results. Raw test output
				// (--include-test-output) is indented with "\t ", never empty.
				state = stOutside
				continue
			}
			if (state == stGroup || state == stTarget) && !l.raw {
				if at := embeddedResult(s, 0); at >= 0 {
					return p.errorf(l.line, "a kube-bench result in the middle of a line (%q); expected each \"[STATUS] <id> <description>\" at the start of its own line", truncate(s[at:], 40))
				}
			}
			continue // log lines, raw test output ("\t ...")
		}
		if !isCheckID(id) {
			if state == stOutside {
				continue // a log line that looks like a result: "[INFO] Starting ..."
			}
			return p.errorf(l.line, "[%s] line with %q where a check id belongs", st, truncate(id, 40))
		}
		if at := embeddedResult(s, 1); at >= 0 {
			return p.errorf(l.line, "two kube-bench results in one line (the second at %q); expected each \"[STATUS] <id> <description>\" at the start of its own line (lines joined by a copy and paste?)", truncate(s[at:], 40))
		}
		switch {
		case state == stOutside:
			if st != Info {
				return p.errorf(l.line, "[%s] %s outside of a target (no \"[INFO] <n> <target>\" heading before it: is the start of the output cut off?)", st, id)
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
	last := 0
	if n := len(p.lines); n > 0 {
		last = p.lines[n-1].line
	}
	if err := leave(stOutside, last); err != nil {
		return err
	}
	return p.finish()
}

// blockFor is the block a "== Remediations <name> ==" or "== Summary
// <name> ==" heading belongs to: the current one, whose results precede it,
// or, where it is done with (or there is none: --noresults), a new headless
// block. name is "" up to kube-bench v0.4.x.
func (p *textParser) blockFor(b *textBlock, kind string, name Target, line int, heading string) (*textBlock, error) {
	fresh := b == nil || b.hasSummary || (kind == "Remediations" && b.hasRemedies)
	if !fresh && name != "" && b.target != "" && b.target != name {
		if !b.headless {
			return nil, p.errorf(line, "%q in the block of target %s", heading, b.target)
		}
		fresh = true
	}
	if !fresh {
		return b, nil
	}
	nb := &textBlock{headLine: line, headless: true}
	p.blocks = append(p.blocks, nb)
	return nb, nil
}

// embeddedResult returns where, from index from on, s holds a kube-bench
// result ("[FAIL] 1.2.3 ") not at its start, or -1.
func embeddedResult(s string, from int) int {
	for i := from; i < len(s); {
		j := strings.IndexByte(s[i:], '[')
		if j < 0 {
			return -1
		}
		at := i + j
		if at > 0 {
			if _, id, _, ok := resultLine(s[at:]); ok && isCheckID(id) && strings.ContainsRune(id, '.') {
				return at
			}
		}
		i = at + 1
	}
	return -1
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
	for j := i + 1; j < len(p.lines); j++ {
		l := &p.lines[j]
		if isLogLine(l.text) || isFence(l.text) {
			continue // interleaved by kubectl logs, or a paste
		}
		st, next, _, ok := resultLine(l.text)
		return ok && st != 0 && isCheckID(next)
	}
	return false
}

// remedyFor is the check of the block whose remediation line s begins,
// if it is the next one kube-bench prints, and moves past it. kube-bench
// prints one per FAIL and WARN, in order (up to v0.0.x, one per check that
// did not pass, INFO too), so the line is the next check's that did not
// pass, or the next FAIL's or WARN's. Both indexes only move forward.
func (p *textParser) remedyFor(b *textBlock, s string) *Check {
	if b == nil {
		return nil
	}
	n := len(b.checks)
	status := func(i int) Status { return p.nr.Checks[b.checks[i]].Status }
	matches := func(i int) bool {
		id := p.nr.Checks[b.checks[i]].ID
		return strings.HasPrefix(s, id) && (len(s) == len(id) || s[len(id)] == ' ')
	}
	for b.remedyIdx < n && status(b.remedyIdx) == Pass {
		b.remedyIdx++
	}
	if i := b.remedyIdx; i < n && matches(i) {
		b.remedyIdx = i + 1
		return &p.nr.Checks[b.checks[i]]
	}
	b.failIdx = max(b.failIdx, b.remedyIdx)
	for b.failIdx < n && status(b.failIdx) != Fail && status(b.failIdx) != Warn {
		b.failIdx++
	}
	if i := b.failIdx; i < n && matches(i) {
		b.remedyIdx = i + 1
		return &p.nr.Checks[b.checks[i]]
	}
	return nil
}

// summaryCount reads "12 checks PASS": the number and which count it is
// (0 PASS, 1 FAIL, 2 WARN, 3 INFO).
func summaryCount(s string) (int, int, bool) {
	f := strings.Fields(s)
	if len(f) != 3 || f[1] != "checks" {
		return 0, 0, false
	}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 0 {
		return 0, 0, false
	}
	switch f[2] {
	case "PASS":
		return n, 0, true
	case "FAIL":
		return n, 1, true
	case "WARN":
		return n, 2, true
	case "INFO":
		return n, 3, true
	}
	return 0, 0, false
}

// finish gives each block's checks their target.
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
	return nil
}

// statements puts what the output says of its totals into st: each
// block's summary, and "== Summary total ==".
func (p *textParser) statements(st *statements) {
	if st == nil {
		return
	}
	for _, b := range p.blocks {
		s := statement{target: b.target, counted: b.totals}
		if b.hasSummary {
			s.mask, s.stated, s.line = b.summaryMask, b.summary, b.summaryLine
			s.what = "the summary of target " + string(b.target)
			if b.target == "" {
				s.what = `"== Summary =="`
			}
		}
		st.targets = append(st.targets, s)
	}
	if p.hasTotal {
		st.totals = append(st.totals, statement{mask: p.totalMask, stated: p.total, line: p.totalLine, what: `"== Summary total =="`, from: 0, to: len(st.targets)})
	}
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
