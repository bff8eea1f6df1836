package benchresult

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// The structs below mirror kube-bench's JSON (check/controls.go and
// check/check.go of kube-bench); they are the only place its key names live.
// Only the fields the model keeps are decoded.

type jsonDocument struct {
	Controls []*jsonControls `json:"Controls"`
	Totals   *jsonSummary    `json:"Totals"`
	jsonControls
}

type jsonControls struct {
	ID      string       `json:"id"`
	Version string       `json:"version"`
	Text    string       `json:"text"`
	Type    string       `json:"node_type"`
	Groups  []*jsonGroup `json:"tests"`
}

type jsonSummary struct {
	Pass int `json:"total_pass"`
	Fail int `json:"total_fail"`
	Warn int `json:"total_warn"`
	Info int `json:"total_info"`
}

type jsonGroup struct {
	ID     string       `json:"section"`
	Text   string       `json:"desc"`
	Checks []*jsonCheck `json:"results"`
}

type jsonCheck struct {
	ID          string `json:"test_number"`
	Text        string `json:"test_desc"`
	Type        string `json:"type"`
	Remediation string `json:"remediation"`
	Status      string `json:"status"`
	Actual      string `json:"actual_value"`
	Scored      bool   `json:"scored"`
	Expected    string `json:"expected_result"`
	Reason      string `json:"reason"`
}

// parseJSON decodes every JSON value from start on: one envelope, one bare
// array, or a run of concatenated objects (one per target).
func parseJSON(data []byte, start position, source string, in *interner) (*NodeResult, error) {
	body := data[start.offset:]
	lineBase := start.line
	if start.prefixed {
		body = stripPrefixes(body)
	}
	if nr, ok := scanJSON(body, in); ok {
		return nr, nil
	}
	return decodeJSON(body, lineBase, source)
}

// decodeJSON is parseJSON with encoding/json: the slow path, and the one
// that words the errors.
func decodeJSON(body []byte, lineBase int, source string) (*NodeResult, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	nr := &NodeResult{}
	values := 0
	for {
		off := dec.InputOffset()
		rest := bytes.TrimLeft(body[off:], " \t\r\n")
		if len(rest) == 0 || (values > 0 && rest[0] != '{' && rest[0] != '[') {
			break // end, or log lines after the results
		}
		var controls []*jsonControls
		if rest[0] == '[' {
			if err := dec.Decode(&controls); err != nil {
				return nil, jsonErr(source, body, lineBase, dec, err)
			}
		} else {
			var doc jsonDocument
			if err := dec.Decode(&doc); err != nil {
				return nil, jsonErr(source, body, lineBase, dec, err)
			}
			switch {
			case doc.Controls != nil || doc.Totals != nil:
				controls = doc.Controls
			case doc.Type != "" || doc.Groups != nil || doc.Version != "":
				c := doc.jsonControls
				controls = []*jsonControls{&c}
			default:
				return nil, inputErr(source, lineBase+bytes.Count(body[:off], []byte{'\n'}),
					"%w: a JSON object without kube-bench's \"Controls\" (is it another tool's report?)", ErrNotKubeBench)
			}
		}
		values++
		if err := addControls(nr, controls); err != nil {
			return nil, &InputError{Source: source, Line: lineBase, Err: err}
		}
	}
	return nr, nil
}

func addControls(nr *NodeResult, controls []*jsonControls) error {
	n := 0
	for _, c := range controls {
		if c == nil {
			continue
		}
		for _, g := range c.Groups {
			if g != nil {
				n += len(g.Checks)
			}
		}
	}
	if nr.Checks == nil {
		nr.Checks = make([]Check, 0, n)
	}
	var errs []error
	for _, c := range controls {
		if c == nil {
			return errors.New("null in the list of controls")
		}
		if c.Type == "" {
			return fmt.Errorf("%w: controls %q have no node_type", ErrNotKubeBench, c.ID)
		}
		if c.Version != "" && !slices.Contains(nr.Benchmarks, c.Version) {
			nr.Benchmarks = append(nr.Benchmarks, c.Version)
		}
		for _, g := range c.Groups {
			if g == nil {
				continue
			}
			for _, jc := range g.Checks {
				if jc == nil {
					continue
				}
				st, err := ParseStatus(jc.Status)
				if err != nil || st == NotApplicable {
					errs = append(errs, fmt.Errorf("check %s: unknown status %q", jc.ID, jc.Status))
					continue
				}
				nr.Totals.Add(st)
				nr.Checks = append(nr.Checks, Check{
					Control: &Control{
						Benchmark: c.Version, Target: Target(c.Type), Section: g.ID, SectionText: g.Text,
						ID: jc.ID, Text: jc.Text, Type: jc.Type, Scored: jc.Scored, Remediation: jc.Remediation, Expected: jc.Expected,
					},
					Status: st, Reason: jc.Reason,
				})
			}
		}
	}
	return errors.Join(errs...)
}

func jsonErr(source string, body []byte, lineBase int, dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
		err = fmt.Errorf("field %q: JSON %s where kube-bench writes %s", te.Field, te.Value, goTypeName(te.Type.String()))
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = errors.New("truncated JSON (the file ends inside a value)")
		off = int64(len(body))
	}
	if off > int64(len(body)) {
		off = int64(len(body))
	}
	line := lineBase + bytes.Count(body[:off], []byte{'\n'})
	return &InputError{Source: source, Line: line, Err: fmt.Errorf("invalid JSON: %w", err)}
}

func goTypeName(t string) string {
	switch t {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	}
	if len(t) > 2 && t[:2] == "[]" {
		return "a list"
	}
	return "an object"
}

// stripPrefixes removes `kubectl logs --prefix` prefixes from every line.
func stripPrefixes(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		var line []byte
		if i < 0 {
			line, b = b, nil
		} else {
			line, b = b[:i], b[i+1:]
		}
		line, _ = StripLogPrefix(line)
		out = append(out, line...)
		out = append(out, '\n')
	}
	return out
}

// The fast path. parseJSON first runs scanJSON, a scanner that decodes only
// the fields above, straight from the bytes, without reflection and without
// copying the document. It handles what kube-bench writes (any key order,
// unknown keys, null where Go writes nil, escapes) and gives up, returning
// ok == false, on anything else: a syntax or type error, a key that only
// matches case-insensitively, a key given twice, a lone surrogate, invalid
// UTF-8 in a kept string, nesting deeper than maxScanDepth, or an input
// addControls would reject. encoding/json then decodes the input as before,
// with its errors, so the scanner never changes a result or an error; the
// differential fuzz target FuzzScanJSON holds it to that.

const maxScanDepth = 512

// jsonScanner decodes kube-bench JSON from data. Its scratch slices are
// reused across the controls objects of a document.
type jsonScanner struct {
	data   []byte
	pos    int
	depth  int
	bad    bool // a syntax error inside an object or array
	intern *interner
	str    []byte // scratch for unescaping
	groups []scanGroup
	checks []scanCheck
}

type scanControls struct {
	version, typ string
	hasTests     bool
	groups       []scanGroup
}

type scanGroup struct {
	id, text   string
	start, end int // checks[start:end]
}

type scanCheck struct {
	id, text, typ, remediation, expected, reason string
	status                                       Status
	scored                                       bool
	memo                                         *checkMemo
}

// scanJSON is parseJSON's fast path over body (prefixes already stripped).
func scanJSON(body []byte, in *interner) (*NodeResult, bool) {
	var s *jsonScanner
	if in != nil {
		s = &in.scan // a worker's scanner: its scratch is reused
	} else {
		s = &jsonScanner{}
	}
	*s = jsonScanner{data: body, intern: in, str: s.str[:0], groups: s.groups[:0], checks: s.checks[:0]}
	defer func() { s.data = nil }()
	nr := &NodeResult{}
	values := 0
	for {
		s.skipSpace()
		if s.pos >= len(s.data) {
			break
		}
		c := s.data[s.pos]
		if values > 0 && c != '{' && c != '[' {
			break // log lines after the results
		}
		switch c {
		case '[':
			if !s.controlsArray(nr) {
				return nil, false
			}
		case '{':
			if !s.document(nr) {
				return nil, false
			}
		default:
			return nil, false
		}
		if nr.Checks == nil {
			nr.Checks = []Check{} // as addControls leaves it
		}
		values++
	}
	if values == 0 {
		return nil, false
	}
	return nr, true
}

// Objects and arrays are read by iteration, without closures (which would
// escape to the heap once per check):
//
//	for more := s.enter('{', '}'); more; more = s.next('}') {
//		key, ok := s.key(known)
//		...
//	}
//	if s.bad { ... }
//
// enter and next return false at the end of the value and set s.bad on a
// syntax error.

func (s *jsonScanner) enter(open, close byte) bool {
	if s.peek() != open {
		s.bad = true
		return false
	}
	s.pos++
	s.depth++
	if s.depth > maxScanDepth {
		s.bad = true
		return false
	}
	if s.peek() == close {
		s.pos++
		s.depth--
		return false
	}
	return true
}

func (s *jsonScanner) next(close byte) bool {
	if s.bad {
		return false
	}
	switch s.peek() {
	case ',':
		s.pos++
		return true
	case close:
		s.pos++
		s.depth--
		return false
	}
	s.bad = true
	return false
}

// key reads an object's key and its colon. A key that is not one of known
// but matches one of them case-insensitively (encoding/json would take it)
// gives up, as does a key with escapes.
func (s *jsonScanner) key(known []string) ([]byte, bool) {
	if s.peek() != '"' {
		return nil, false
	}
	key, ok := s.rawString()
	if !ok || !exactKey(key, known) || s.peek() != ':' {
		return nil, false
	}
	s.pos++
	return key, true
}

// document reads an envelope or a single controls object.
func (s *jsonScanner) document(nr *NodeResult) bool {
	var ctl scanControls
	s.groups = s.groups[:0]
	s.checks = s.checks[:0]
	hasControls, hasTotals, embedded := false, false, false
	var seen uint32
	for more := s.enter('{', '}'); more; more = s.next('}') {
		key, ok := s.key(documentKeys)
		if !ok {
			return false
		}
		switch k := string(key); k {
		case "Controls":
			if !mark(&seen, 1) || s.null() || embedded {
				return false // null: let encoding/json decide between the two shapes
			}
			hasControls = true
			if !s.controlsArray(nr) {
				return false
			}
		case "Totals":
			if !mark(&seen, 2) {
				return false
			}
			if !s.null() {
				hasTotals = true
				if !s.totals() {
					return false
				}
			}
		case "id", "version", "text", "node_type", "tests":
			if hasControls {
				return false // both shapes in one object: the slow path decides
			}
			embedded = true
			if !s.controlsField(k, &ctl, &seen) {
				return false
			}
		default:
			if !s.skip() {
				return false
			}
		}
	}
	switch {
	case s.bad:
		return false
	case hasControls || hasTotals:
		return true // an envelope: its Controls, or none
	case ctl.typ == "" && !ctl.hasTests && ctl.version == "":
		return false // not kube-bench's: the slow path has the words for it
	}
	ctl.groups = s.groups
	return s.emit(nr, &ctl)
}

var (
	documentKeys = []string{"Controls", "Totals", "id", "version", "text", "node_type", "tests"}
	controlsKeys = []string{"id", "version", "text", "node_type", "tests"}
	groupKeys    = []string{"section", "desc", "results"}
	checkKeys    = []string{"test_number", "test_desc", "type", "remediation", "status", "actual_value", "scored", "expected_result", "reason"}
	totalsKeys   = []string{"total_pass", "total_fail", "total_warn", "total_info"}
)

// controlsArray reads [controls, ...] and adds each one's checks.
func (s *jsonScanner) controlsArray(nr *NodeResult) bool {
	if s.null() {
		return true
	}
	for more := s.enter('[', ']'); more; more = s.next(']') {
		if s.peek() != '{' {
			return false
		}
		var ctl scanControls
		s.groups = s.groups[:0]
		s.checks = s.checks[:0]
		var seen uint32
		for more := s.enter('{', '}'); more; more = s.next('}') {
			key, ok := s.key(controlsKeys)
			if !ok || !s.controlsField(string(key), &ctl, &seen) {
				return false
			}
		}
		if s.bad {
			return false
		}
		ctl.groups = s.groups
		if !s.emit(nr, &ctl) {
			return false
		}
	}
	return !s.bad
}

// controlsField reads one field of a controls object; unknown keys are skipped.
func (s *jsonScanner) controlsField(k string, ctl *scanControls, seen *uint32) bool {
	switch k {
	case "id":
		return mark(seen, 4) && s.skipString()
	case "text":
		return mark(seen, 8) && s.skipString()
	case "version":
		return mark(seen, 16) && s.string(&ctl.version)
	case "node_type":
		return mark(seen, 32) && s.string(&ctl.typ)
	case "tests":
		if !mark(seen, 64) {
			return false
		}
		if s.null() {
			return true
		}
		ctl.hasTests = true
		for more := s.enter('[', ']'); more; more = s.next(']') {
			if !s.group() {
				return false
			}
		}
		return !s.bad
	}
	return s.skip()
}

func (s *jsonScanner) group() bool {
	if s.null() {
		return true // encoding/json gives a nil group, which addControls skips
	}
	if s.peek() != '{' {
		return false
	}
	g := scanGroup{start: len(s.checks)}
	var seen uint32
	for more := s.enter('{', '}'); more; more = s.next('}') {
		key, ok := s.key(groupKeys)
		if !ok {
			return false
		}
		switch string(key) {
		case "section":
			ok = mark(&seen, 1) && s.string(&g.id)
		case "desc":
			ok = mark(&seen, 2) && s.string(&g.text)
		case "results":
			ok = mark(&seen, 4)
			if ok && !s.null() {
				for more := s.enter('[', ']'); more; more = s.next(']') {
					if !s.check() {
						return false
					}
				}
				ok = !s.bad
			}
		default:
			ok = s.skip()
		}
		if !ok {
			return false
		}
	}
	if s.bad {
		return false
	}
	g.end = len(s.checks)
	s.groups = append(s.groups, g)
	return true
}

func (s *jsonScanner) check() bool {
	if s.null() {
		return true // a nil check, skipped by addControls
	}
	if s.peek() != '{' {
		return false
	}
	s.checks = append(s.checks, scanCheck{})
	c := &s.checks[len(s.checks)-1]
	var m *checkMemo // what this worker saw last for a check of this id
	var seen uint32
	for more := s.enter('{', '}'); more; more = s.next('}') {
		key, ok := s.key(checkKeys)
		if !ok {
			return false
		}
		switch string(key) {
		case "test_number":
			ok = mark(&seen, 1) && s.string(&c.id)
			if ok && s.intern != nil {
				m = s.intern.memo(c.id)
				c.memo = m
			}
		case "test_desc":
			ok = mark(&seen, 2) && s.memoString(m, 0, &c.text)
		case "type":
			ok = mark(&seen, 4) && s.memoString(m, 1, &c.typ)
		case "remediation":
			ok = mark(&seen, 8) && s.memoString(m, 2, &c.remediation)
		case "status":
			ok = mark(&seen, 16) && s.status(&c.status)
		case "actual_value":
			ok = mark(&seen, 32) && s.skipString() // volatile and not kept: neither memoized nor interned
		case "scored":
			ok = mark(&seen, 64) && s.bool(&c.scored)
		case "expected_result":
			ok = mark(&seen, 128) && s.memoString(m, 4, &c.expected)
		case "reason":
			ok = mark(&seen, 256) && s.memoString(m, 5, &c.reason)
		case "audit":
			ok = s.memoSkip(m, 6)
		case "test_info":
			ok = s.memoSkip(m, 7)
		case "AuditEnv":
			ok = s.memoSkip(m, 8)
		case "AuditConfig":
			ok = s.memoSkip(m, 9)
		default:
			ok = s.skip()
		}
		if !ok {
			return false
		}
	}
	return !s.bad && c.status != 0
}

// checkMemo is what a worker saw last in a check of some id: each field's
// value as raw JSON (quotes and all) and, for a kept field, decoded; and
// the Control it made. Nodes of a fleet repeat one another: where the next
// check's bytes are the same, the scanner compares them (memequal, many
// bytes a cycle) instead of scanning, unescaping and hashing them. The raw
// bytes were a complete, valid JSON string, array or object, and such a
// value ends where it ends: the same bytes are the same value.
type checkMemo struct {
	raw [10][]byte
	val [6]string
	ctl *Control
}

// memoString is string through m's slot (m may be nil).
func (s *jsonScanner) memoString(m *checkMemo, slot int, dst *string) bool {
	if m == nil {
		return s.string(dst)
	}
	s.skipSpace()
	if raw := m.raw[slot]; len(raw) > 0 && bytes.HasPrefix(s.data[s.pos:], raw) {
		s.pos += len(raw)
		*dst = m.val[slot]
		return true
	}
	start := s.pos
	if !s.string(dst) {
		return false
	}
	if s.data[start] == '"' {
		m.raw[slot] = append(m.raw[slot][:0], s.data[start:s.pos]...)
		m.val[slot] = *dst
	}
	return true
}

// memoSkip is skip through m's slot (m may be nil).
func (s *jsonScanner) memoSkip(m *checkMemo, slot int) bool {
	if m == nil {
		return s.skip()
	}
	s.skipSpace()
	if raw := m.raw[slot]; len(raw) > 0 && bytes.HasPrefix(s.data[s.pos:], raw) {
		s.pos += len(raw)
		return true
	}
	start := s.pos
	if !s.skip() {
		return false
	}
	switch s.data[start] {
	case '"', '[', '{': // self-delimiting; a number is not
		m.raw[slot] = append(m.raw[slot][:0], s.data[start:s.pos]...)
	}
	return true
}

// status reads a status kube-bench writes; anything else (null too) is
// addControls' error, worded by the slow path.
func (s *jsonScanner) status(dst *Status) bool {
	raw, ok := s.rawString()
	if !ok {
		return false
	}
	switch string(raw) {
	case "PASS":
		*dst = Pass
	case "FAIL":
		*dst = Fail
	case "WARN":
		*dst = Warn
	case "INFO":
		*dst = Info
	default:
		return false
	}
	return true
}

// totals validates the Totals object: integers where kube-bench writes them.
func (s *jsonScanner) totals() bool {
	var seen uint32
	for more := s.enter('{', '}'); more; more = s.next('}') {
		key, ok := s.key(totalsKeys)
		if !ok {
			return false
		}
		var bit uint32
		switch string(key) {
		case "total_pass":
			bit = 1
		case "total_fail":
			bit = 2
		case "total_warn":
			bit = 4
		case "total_info":
			bit = 8
		default:
			if !s.skip() {
				return false
			}
			continue
		}
		if !mark(&seen, bit) || !(s.null() || s.integer()) {
			return false
		}
	}
	return !s.bad
}

// emit adds one controls object's checks to nr, as addControls does.
func (s *jsonScanner) emit(nr *NodeResult, ctl *scanControls) bool {
	if ctl.typ == "" {
		return false
	}
	if ctl.version != "" && !slices.Contains(nr.Benchmarks, ctl.version) {
		nr.Benchmarks = append(nr.Benchmarks, ctl.version)
	}
	if nr.Checks == nil {
		if s.intern != nil && s.intern.spare != nil {
			nr.Checks, s.intern.spare = s.intern.spare[:0], nil
		} else {
			nr.Checks = make([]Check, 0, len(s.checks))
		}
	}
	var controls []Control
	if s.intern == nil {
		controls = make([]Control, 0, len(s.checks)) // one allocation for the lot
	}
	for _, g := range ctl.groups {
		for i := g.start; i < g.end; i++ {
			c := &s.checks[i]
			ctrl := Control{
				Benchmark: ctl.version, Target: Target(ctl.typ), Section: g.id, SectionText: g.text,
				ID: c.id, Text: c.text, Type: c.typ, Scored: c.scored, Remediation: c.remediation, Expected: c.expected,
			}
			var p *Control
			if m := c.memo; m != nil && m.ctl != nil && *m.ctl == ctrl {
				p = m.ctl // the same control as last time: no hashing
			} else if s.intern != nil {
				p = s.intern.control(&ctrl)
				if m != nil {
					m.ctl = p
				}
			} else {
				controls = append(controls, ctrl)
				p = &controls[len(controls)-1]
			}
			nr.Totals.Add(c.status)
			nr.Checks = append(nr.Checks, Check{Control: p, Status: c.status, Reason: c.reason})
		}
	}
	return true
}

// mark sets bit in seen, reporting false if it was set: a key given twice.
func mark(seen *uint32, bit uint32) bool {
	if *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

func (s *jsonScanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

func (s *jsonScanner) peek() byte {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// null consumes a null literal if one comes next.
func (s *jsonScanner) null() bool {
	if s.peek() == 'n' && bytes.HasPrefix(s.data[s.pos:], []byte("null")) {
		s.pos += 4
		return true
	}
	return false
}

// exactKey reports whether key can be matched exactly: it is one of known,
// or it matches none of them even ignoring case (and is plain ASCII, so
// that encoding/json's Unicode case folding cannot match it either).
func exactKey(key []byte, known []string) bool {
	if len(known) == 0 {
		return true
	}
	for _, k := range known {
		if string(key) == k {
			return true
		}
	}
	for _, b := range key {
		if b >= 0x80 {
			return false
		}
	}
	for _, k := range known {
		if len(k) == len(key) && bytes.EqualFold(key, []byte(k)) {
			return false
		}
	}
	return true
}

// strSpecial marks the bytes that end the fast run of a string: the quote,
// the backslash and control characters.
var strSpecial = func() (t [256]bool) {
	for i := 0; i < 0x20; i++ {
		t[i] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// specialAt returns the index of the first byte of d from i on that ends
// the fast run of a string (see strSpecial; with kept, also any byte of
// 0x80 and above), or len(d). It looks at eight bytes at a time: the
// lowest flagged byte of each test below is exact (false positives can only
// follow a true one), so the lowest of them all is the answer.
func specialAt(d []byte, i int, kept bool) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	for i+8 <= len(d) {
		x := binary.LittleEndian.Uint64(d[i:])
		q := x ^ (lo * '"')
		b := x ^ (lo * '\\')
		m := ((q - lo) &^ q) | ((b - lo) &^ b) | ((x - lo*0x20) &^ x)
		m &= hi
		if kept {
			m |= x & hi
		}
		if m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	t := &strSpecial
	if kept {
		t = &strKept
	}
	for i < len(d) && !t[d[i]] {
		i++
	}
	return i
}

// strKept is strSpecial plus the bytes of multi-byte UTF-8 sequences,
// which a kept string must have checked.
var strKept = func() (t [256]bool) {
	t = strSpecial
	for i := 0x80; i < 0x100; i++ {
		t[i] = true
	}
	return t
}()

// rawString reads a string without escapes and returns its bytes (a view
// of data). It gives up on escapes: callers that keep the value use string.
func (s *jsonScanner) rawString() ([]byte, bool) {
	if s.peek() != '"' {
		return nil, false
	}
	start := s.pos + 1
	i := specialAt(s.data, start, false)
	if i >= len(s.data) || s.data[i] != '"' {
		return nil, false
	}
	s.pos = i + 1
	return s.data[start:i], true
}

// string reads a string value (or null, which leaves *dst alone) into dst,
// interned. It gives up where encoding/json would change the bytes in a way
// the scanner does not reproduce (invalid UTF-8, lone surrogates).
func (s *jsonScanner) string(dst *string) bool {
	if s.null() {
		return true
	}
	if s.peek() != '"' {
		return false
	}
	start := s.pos + 1
	i := specialAt(s.data, start, true)
	ascii := true
	if i < len(s.data) && s.data[i] >= 0x80 { // not ASCII: checked as UTF-8 below
		ascii = false
		i = specialAt(s.data, i, false)
	}
	if i >= len(s.data) {
		return false
	}
	if s.data[i] == '"' {
		raw := s.data[start:i]
		if !ascii && !utf8.Valid(raw) {
			return false
		}
		s.pos = i + 1
		*dst = s.intern.string(raw)
		return true
	}
	if s.data[i] != '\\' {
		return false // a control character
	}
	buf := append(s.str[:0], s.data[start:i]...)
	for {
		if i >= len(s.data) {
			return false
		}
		c := s.data[i]
		switch {
		case c == '"':
			s.str = buf
			if !ascii && !utf8.Valid(buf) {
				return false
			}
			s.pos = i + 1
			*dst = s.intern.string(buf)
			return true
		case c < 0x20:
			return false
		case c != '\\':
			var j int
			if c >= 0x80 {
				ascii = false
				j = specialAt(s.data, i+1, false)
			} else {
				j = specialAt(s.data, i+1, true)
			}
			buf = append(buf, s.data[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(s.data) {
			return false
		}
		switch e := s.data[i+1]; e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := hex4(s.data[i+2:])
			if !ok || (r >= 0xd800 && r < 0xe000) {
				return false // surrogates: leave them to encoding/json
			}
			buf = utf8.AppendRune(buf, r)
			i += 4
		default:
			return false
		}
		i += 2
	}
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skipString skips a string value, checking its escapes, or null.
func (s *jsonScanner) skipString() bool {
	if s.null() {
		return true
	}
	return s.peek() == '"' && s.skipStringBody()
}

func (s *jsonScanner) skipStringBody() bool {
	i := s.pos + 1
	for {
		i = specialAt(s.data, i, false)
		if i >= len(s.data) {
			return false
		}
		switch c := s.data[i]; {
		case c == '"':
			s.pos = i + 1
			return true
		case c < 0x20:
			return false
		}
		// a backslash
		if i+1 >= len(s.data) {
			return false
		}
		switch s.data[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i += 2
		case 'u':
			if _, ok := hex4(s.data[i+2:]); !ok {
				return false
			}
			i += 6
		default:
			return false
		}
	}
}

func (s *jsonScanner) bool(dst *bool) bool {
	switch s.peek() {
	case 't':
		if bytes.HasPrefix(s.data[s.pos:], []byte("true")) {
			s.pos += 4
			*dst = true
			return true
		}
	case 'f':
		if bytes.HasPrefix(s.data[s.pos:], []byte("false")) {
			s.pos += 5
			*dst = false
			return true
		}
	case 'n':
		return s.null()
	}
	return false
}

// integer reads a JSON integer that fits an int, as encoding/json takes
// into an int field.
func (s *jsonScanner) integer() bool {
	s.skipSpace()
	i := s.pos
	if i < len(s.data) && s.data[i] == '-' {
		i++
	}
	start := i
	for i < len(s.data) && s.data[i] >= '0' && s.data[i] <= '9' {
		i++
	}
	n := i - start
	if n == 0 || n > 18 || (n > 1 && s.data[start] == '0') {
		return false
	}
	if i < len(s.data) {
		switch s.data[i] {
		case '.', 'e', 'E':
			return false
		}
	}
	s.pos = i
	return true
}

// skip skips any JSON value, checking its syntax as encoding/json does.
func (s *jsonScanner) skip() bool {
	switch c := s.peek(); {
	case c == '"':
		return s.skipStringBody()
	case c == '{':
		for more := s.enter('{', '}'); more; more = s.next('}') {
			if _, ok := s.key(nil); !ok || !s.skip() {
				return false
			}
		}
		return !s.bad
	case c == '[':
		for more := s.enter('[', ']'); more; more = s.next(']') {
			if !s.skip() {
				return false
			}
		}
		return !s.bad
	case c == 't':
		var b bool
		return s.bool(&b)
	case c == 'f':
		var b bool
		return s.bool(&b)
	case c == 'n':
		return s.null()
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	}
	return false
}

// number skips a number in JSON's grammar.
func (s *jsonScanner) number() bool {
	d, i := s.data, s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		return i - j
	}
	if i < len(d) && d[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(d) && d[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	s.pos = i
	return true
}
