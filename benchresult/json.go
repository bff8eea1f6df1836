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
	ID          string       `json:"id"`
	Version     string       `json:"version"`
	Text        string       `json:"text"`
	Type        string       `json:"node_type"`
	Groups      []*jsonGroup `json:"tests"`
	jsonSummary              // the target's own totals
	legacy      bool         // read from the JSON of kube-bench v0.0.6 or earlier
}

// jsonSummary is kube-bench's Summary: a target's totals (inline in its
// Controls) or the whole output's ("Totals"). A count it does not state is
// nil.
type jsonSummary struct {
	Pass *int `json:"total_pass"`
	Fail *int `json:"total_fail"`
	Warn *int `json:"total_warn"`
	Info *int `json:"total_info"`
}

// statement is what the summary states, as a statement named what.
func (j *jsonSummary) statement(what string) statement {
	s := statement{what: what}
	for i, p := range []*int{j.Pass, j.Fail, j.Warn, j.Info} {
		if p != nil {
			s.mask |= 1 << i
			setCount(&s.stated, i, *p)
		}
	}
	return s
}

// setCount sets count i (0 PASS, 1 FAIL, 2 WARN, 3 INFO) of t.
func setCount(t *Totals, i, n int) {
	switch i {
	case 0:
		t.Pass = n
	case 1:
		t.Fail = n
	case 2:
		t.Warn = n
	case 3:
		t.Info = n
	}
}

// The names of the statements a JSON output makes of its totals (a
// target's is named by jsonTargetWhat when it is needed).
const jsonTotalsWhat = `its "Totals"`

func jsonTargetWhat(t Target) string {
	return fmt.Sprintf("the total_pass, total_fail, total_warn and total_info of target %s", t)
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
	Actual      string `json:"actual_value"` // not kept: decoded so that a non-string stays an error
	Scored      bool   `json:"scored"`
	Expected    string `json:"expected_result"`
	Reason      string `json:"reason"`
}

// parseJSON decodes every JSON value from start on: one envelope, one bare
// array, or a run of concatenated objects (one per target).
// What the output says of its own totals goes to st.
func parseJSON(data []byte, start position, source string, in *interner, st *statements) (*NodeResult, error) {
	body := data[start.offset:]
	lineBase := start.line
	if start.prefixed {
		body = stripPrefixes(body)
	}
	nr, ok := scanJSON(body, in, st)
	if !ok {
		var err error
		if nr, err = decodeJSON(body, lineBase, source, st); err != nil {
			return nil, err
		}
	}
	if st != nil { // a statement of a JSON output is on its first line, mostly its only one
		for i := range st.targets {
			st.targets[i].line = lineBase
		}
		for i := range st.totals {
			st.totals[i].line = lineBase
		}
	}
	return nr, nil
}

// decodeJSON is parseJSON with encoding/json: the slow path, and the one
// that words the errors.
func decodeJSON(body []byte, lineBase int, source string, st *statements) (*NodeResult, error) {
	if st != nil {
		st.reset() // the fast path may have begun
	}
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
		var total *jsonSummary
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
				controls, total = doc.Controls, doc.Totals
			case doc.Type != "" || doc.Groups != nil || doc.Version != "":
				c := doc.jsonControls
				controls = []*jsonControls{&c}
			default:
				c, err := decodeLegacy(body[off:dec.InputOffset()])
				if err != nil {
					return nil, inputErr(source, lineBase+bytes.Count(body[:off], []byte{'\n'}), "%w", err)
				}
				controls = []*jsonControls{c}
			}
		}
		values++
		from := 0
		if st != nil {
			from = len(st.targets)
		}
		if err := addControls(nr, controls, st); err != nil {
			return nil, &InputError{Source: source, Line: lineBase, Err: err}
		}
		if total != nil && st != nil {
			t := total.statement(jsonTotalsWhat)
			t.from, t.to = from, len(st.targets)
			st.totals = append(st.totals, t)
		}
	}
	return nr, nil
}

// kube-bench v0.0.6 and earlier printed its Go structs without JSON tags
// (one object per target):
//
//	{"ID":"1","Text":"Master Node Security Configuration","Type":"master",
//	 "Groups":[{"ID":"1.1","Text":"API Server","Checks":[{"id":"1.1.1",
//	 "Text":"...","Remediation":"...","State":"PASS"}]}],"Pass":1,"Fail":0,"Warn":0}
//
// v0.0.7 introduced the names kube-bench writes since.
type legacyControls struct {
	Type   string         `json:"Type"`
	Groups []*legacyGroup `json:"Groups"`
	Pass   *int           `json:"Pass"`
	Fail   *int           `json:"Fail"`
	Warn   *int           `json:"Warn"`
	Info   *int           `json:"Info"`
}

type legacyGroup struct {
	ID     string         `json:"ID"`
	Text   string         `json:"Text"`
	Checks []*legacyCheck `json:"Checks"`
}

type legacyCheck struct {
	ID          string `json:"id"`
	Text        string `json:"Text"`
	Remediation string `json:"Remediation"`
	State       string `json:"State"`
}

// decodeLegacy reads one target's object in the JSON of kube-bench v0.0.6
// and earlier, or says that raw is not kube-bench's.
func decodeLegacy(raw []byte) (*jsonControls, error) {
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) != nil || keys["Type"] == nil || keys["Groups"] == nil {
		return nil, fmt.Errorf("%w: a JSON object without kube-bench's \"Controls\" (is it another tool's report?)", ErrNotKubeBench)
	}
	var l legacyControls
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, fmt.Errorf("invalid JSON of kube-bench v0.0.6 or earlier: %w", err)
	}
	c := &jsonControls{Type: l.Type, legacy: true, jsonSummary: jsonSummary{Pass: l.Pass, Fail: l.Fail, Warn: l.Warn, Info: l.Info}}
	for _, g := range l.Groups {
		if g == nil {
			continue
		}
		jg := &jsonGroup{ID: g.ID, Text: g.Text}
		for _, lc := range g.Checks {
			if lc != nil {
				jg.Checks = append(jg.Checks, &jsonCheck{ID: lc.ID, Text: lc.Text, Remediation: lc.Remediation, Status: lc.State})
			}
		}
		c.Groups = append(c.Groups, jg)
	}
	return c, nil
}

func addControls(nr *NodeResult, controls []*jsonControls, st *statements) error {
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
		ts := c.statement("")
		ts.target = Target(c.Type)
		if c.legacy {
			ts.what = fmt.Sprintf(`the "Pass", "Fail" and "Warn" of target %s`, c.Type)
		}
		for _, g := range c.Groups {
			if g == nil {
				continue
			}
			for _, jc := range g.Checks {
				if jc == nil {
					continue
				}
				status, err := ParseStatus(jc.Status)
				if err != nil || status == NotApplicable {
					errs = append(errs, fmt.Errorf("check %s: unknown status %q", jc.ID, jc.Status))
					continue
				}
				nr.Totals.Add(status)
				ts.counted.Add(status)
				nr.Checks = append(nr.Checks, Check{
					Control: &Control{
						Benchmark: c.Version, Target: Target(c.Type), Section: g.ID, SectionText: g.Text,
						ID: jc.ID, Text: jc.Text, Type: jc.Type, Scored: jc.Scored, Remediation: jc.Remediation, Expected: jc.Expected,
					},
					Status: status, Reason: jc.Reason,
				})
			}
		}
		st.addTarget(ts)
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
	st     *statements // what the output says of its totals (nil: not kept)
	str    []byte      // scratch for unescaping
	groups []scanGroup
	checks []scanCheck
}

type scanControls struct {
	version, typ string
	hasTests     bool
	groups       []scanGroup
	stated       statement // its total_* (mask and stated)
}

type scanGroup struct {
	id, text   string
	start, end int // checks[start:end]
}

type scanCheck struct {
	id     string
	kept   [numKept]string // by check field: checkText, ...
	status Status
	scored bool
	memo   *checkMemo
}

// scanJSON is parseJSON's fast path over body (prefixes already stripped).
// What the output says of its own totals goes to st (nil: nowhere).
func scanJSON(body []byte, in *interner, st *statements) (*NodeResult, bool) {
	var s *jsonScanner
	if in != nil {
		s = &in.scan // a worker's scanner: its scratch is reused
	} else {
		s = &jsonScanner{}
	}
	*s = jsonScanner{data: body, intern: in, st: st, str: s.str[:0], groups: s.groups[:0], checks: s.checks[:0]}
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

// The keys the scanner reads, object by object. Each key's index in its
// list is a named constant, its field; the field is also the key's bit in
// the object's set of keys seen (a key given twice gives up) and, for a
// check, its slot in the worker's checkMemo. Other keys are skipped, their
// values checked. A key that differs from one of a list only in case gives
// up (encoding/json would take it; for a key it does not decode, such as
// audit, that costs time, never a result).

// The fields of a controls object (one target). A document has them too
// when it is a bare controls object, or an envelope's two.
const (
	ctlID = iota
	ctlVersion
	ctlText
	ctlType
	ctlTests
	ctlPass // total_pass, total_fail, total_warn, total_info: the target's totals
	ctlFail
	ctlWarn
	ctlInfo
	docControls
	docTotals
)

// The fields of a group (one section).
const (
	groupSection = iota
	groupDesc
	groupResults
)

// The fields of a check. The first numMemo have a slot in a checkMemo: the
// strings the model keeps (memoized raw and decoded), then values that are
// only checked (memoized raw). The last four are read without a memo: the
// id chooses the memo, status and scored cost less to read than to compare,
// and actual_value differs from node to node (and is not kept).
const (
	checkText = iota
	checkType
	checkRemediation
	checkExpected
	checkReason
	checkAudit
	checkTestInfo
	checkAuditEnv
	checkAuditConfig
	checkNumber // test_number, the id
	checkStatus
	checkScored
	checkActual

	numKept = checkReason + 1      // scanCheck.kept and checkMemo.val
	numMemo = checkAuditConfig + 1 // checkMemo.raw
)

// A field's bit must fit in a uint32 set of keys seen.
const _ = uint32(1) << checkActual

var (
	documentKeys = []string{
		ctlID: "id", ctlVersion: "version", ctlText: "text", ctlType: "node_type", ctlTests: "tests",
		ctlPass: "total_pass", ctlFail: "total_fail", ctlWarn: "total_warn", ctlInfo: "total_info",
		docControls: "Controls", docTotals: "Totals",
	}
	controlsKeys = documentKeys[:docControls]
	groupKeys    = []string{groupSection: "section", groupDesc: "desc", groupResults: "results"}
	checkKeys    = []string{
		checkText: "test_desc", checkType: "type", checkRemediation: "remediation",
		checkExpected: "expected_result", checkReason: "reason",
		checkAudit: "audit", checkTestInfo: "test_info", checkAuditEnv: "AuditEnv", checkAuditConfig: "AuditConfig",
		checkNumber: "test_number", checkStatus: "status", checkScored: "scored", checkActual: "actual_value",
	}
	totalsKeys = documentKeys[ctlPass:docControls] // 0 total_pass ... 3 total_info
)

// Objects and arrays are read by iteration, without closures (which would
// escape to the heap once per check):
//
//	var seen uint32
//	for more := s.enter('{', '}'); more; more = s.next('}') {
//		field, ok := s.key(known, &seen)
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

// key reads an object's key and its colon and returns the key's field, its
// index in known, or -1 for another key. It adds the field to seen and gives
// up on a field seen before (encoding/json would take the last value), on a
// key that matches one of known only ignoring case, and on a key with
// escapes. seen may be nil when known is.
func (s *jsonScanner) key(known []string, seen *uint32) (int, bool) {
	if s.peek() != '"' {
		return -1, false
	}
	key, ok := s.rawString()
	if !ok || s.peek() != ':' {
		return -1, false
	}
	s.pos++
	f, ok := field(key, known)
	if !ok || f < 0 {
		return f, ok
	}
	if *seen&(1<<f) != 0 {
		return f, false
	}
	*seen |= 1 << f
	return f, true
}

// field returns key's index in known, or -1 if it matches none of them even
// ignoring case (and is plain ASCII, so that encoding/json's Unicode case
// folding cannot match it either); ok is false if it only matches ignoring
// case.
func field(key []byte, known []string) (f int, ok bool) {
	if len(known) == 0 {
		return -1, true
	}
	for i, k := range known {
		if string(key) == k { // no conversion: slices.Index would copy key
			return i, true
		}
	}
	for _, b := range key {
		if b >= 0x80 {
			return -1, false
		}
	}
	for _, k := range known {
		if len(k) == len(key) && bytes.EqualFold(key, []byte(k)) {
			return -1, false
		}
	}
	return -1, true
}

// document reads an envelope or a single controls object.
func (s *jsonScanner) document(nr *NodeResult) bool {
	var ctl scanControls
	s.groups = s.groups[:0]
	s.checks = s.checks[:0]
	hasControls, hasTotals, embedded := false, false, false
	total := statement{what: jsonTotalsWhat}
	from := 0
	if s.st != nil {
		from = len(s.st.targets)
	}
	var seen uint32
	for more := s.enter('{', '}'); more; more = s.next('}') {
		f, ok := s.key(documentKeys, &seen)
		if !ok {
			return false
		}
		switch f {
		case docControls:
			if s.null() || embedded {
				return false // null: let encoding/json decide between the two shapes
			}
			hasControls = true
			ok = s.controlsArray(nr)
		case docTotals:
			if !s.null() {
				hasTotals = true
				ok = s.totals(&total)
			}
		case -1:
			ok = s.skip()
		default: // a field of a bare controls object
			if hasControls {
				return false // both shapes in one object: the slow path decides
			}
			embedded = true
			ok = s.controlsField(f, &ctl)
		}
		if !ok {
			return false
		}
	}
	switch {
	case s.bad:
		return false
	case hasControls || hasTotals:
		// An envelope: its Controls, or none.
		if hasTotals && s.st != nil {
			total.from, total.to = from, len(s.st.targets)
			s.st.totals = append(s.st.totals, total)
		}
		return true
	case ctl.typ == "" && !ctl.hasTests && ctl.version == "":
		return false // not kube-bench's: the slow path has the words for it
	}
	ctl.groups = s.groups
	return s.emit(nr, &ctl)
}

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
			f, ok := s.key(controlsKeys, &seen)
			if !ok || !s.controlsField(f, &ctl) {
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

// controlsField reads the value of field f of a controls object (-1: of
// another key, skipped).
func (s *jsonScanner) controlsField(f int, ctl *scanControls) bool {
	switch f {
	case ctlID, ctlText:
		return s.skipString() // decoded by encoding/json, not kept
	case ctlVersion:
		return s.string(&ctl.version)
	case ctlType:
		return s.string(&ctl.typ)
	case ctlPass, ctlFail, ctlWarn, ctlInfo:
		return s.count(&ctl.stated, f-ctlPass)
	case ctlTests:
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
		f, ok := s.key(groupKeys, &seen)
		if !ok {
			return false
		}
		switch f {
		case groupSection:
			ok = s.string(&g.id)
		case groupDesc:
			ok = s.string(&g.text)
		case groupResults:
			if !s.null() {
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
	var m *checkMemo // what this worker saw last in a check of this id
	var seen uint32
	for more := s.enter('{', '}'); more; more = s.next('}') {
		f, ok := s.key(checkKeys, &seen)
		if !ok {
			return false
		}
		switch f {
		case checkNumber:
			ok = s.id(c)
			m = c.memo
		case checkText, checkType, checkRemediation, checkExpected, checkReason:
			ok = s.memoString(m, f, &c.kept[f])
		case checkAudit, checkTestInfo, checkAuditEnv, checkAuditConfig:
			ok = s.memoSkip(m, f)
		case checkStatus:
			ok = s.status(&c.status)
		case checkScored:
			ok = s.bool(&c.scored)
		case checkActual:
			ok = s.skipString() // a string to encoding/json, and not kept
		default:
			ok = s.skip()
		}
		if !ok {
			return false
		}
	}
	return !s.bad && c.status != 0
}

// De-duplication. One of Load's workers reads node after node of a fleet,
// and the nodes repeat one another. Three layers keep it from doing the
// same work, and holding the same strings, once per node:
//
//  1. checkMemo.raw and .val: per check id, each field's raw bytes last
//     time and, for a kept string, its value. Where the bytes are the same
//     again the scanner compares them (memequal, many bytes a cycle)
//     instead of scanning, unescaping and copying them, and the value is
//     the memo's: a repeated check's strings are shared, not copied. The
//     raw bytes were a complete, valid JSON string, array or object, and
//     such a value ends where it ends: the same bytes are the same value.
//  2. checkMemo.ctl: the Control the check made last time. Where the
//     check's fields are the memo's, comparing with it compares pointers;
//     without it each Control would be hashed whole in layer 3.
//  3. interner.controls: the worker's Controls by value, for when the memo
//     misses (nodes of two benchmark versions in turn, say). Load's merger
//     then needs only a lookup by pointer to make them one per fleet.
//
// Each pays for itself. Switched off one at a time, Load of 200 nodes
// takes this much more CPU time (Fleet, Varied and Mixed are
// BenchmarkLoadFleet, BenchmarkLoadFleetVaried and BenchmarkLoadFleetMixed,
// 11.7-12.8, 11.7-13.4 and 10.1-11.4 ms with all three; the range is two
// runs of 10 on 2 shared cores, medians):
//
//	off                       Fleet    Varied   Mixed
//	1                         +55-76%  +60-62%  +41-55%  Fleet: 8.5k -> 23k allocs, 2.0 -> 4.5 MB
//	1, for skipped values     +11-18%   +4-11%   +2-5%   (audit, test_info, AuditEnv, AuditConfig)
//	2                         +10-13%   +5-7%    -2-+6%  (in Mixed it misses anyway)
//	3                          +0-4%    +2-6%   +18-23%  Mixed: 1.2 -> 1.9-2.2 MB allocated
//
// A fourth layer, a per-worker table of every string read, is gone.
// Behind layer 1 it saved no time (with it: +1-16%, +4-9%, -4%) and 0.9%
// of the Report's live heap (6.5 of 705 kB in Varied: each node's copy of
// its benchmark name, and of the reasons that changed), since the merger
// keeps one Control of each; and every volatile value it was given
// (kube-bench's actual_value, until the scanner skipped it) stayed in it
// for the rest of the fleet.

// checkMemo is what a worker saw last in a check of some id (layers 1 and 2).
type checkMemo struct {
	id  string          // the check id
	raw [numMemo][]byte // by check field: the value as raw JSON
	val [numKept]string // by check field: the value decoded
	ctl *Control        // the Control made of them
}

// id reads a check's id into c and, for a worker, c's memo: found by the
// id's bytes where they are plain ASCII, so that the id is not copied (the
// memo's is used).
func (s *jsonScanner) id(c *scanCheck) bool {
	if s.intern != nil && s.peek() == '"' {
		start := s.pos + 1
		if i := specialAt(s.data, start, true); i < len(s.data) && s.data[i] == '"' {
			if m := s.intern.memo(s.data[start:i]); m != nil {
				s.pos = i + 1
				c.id, c.memo = m.id, m
				return true
			}
		}
	}
	if !s.string(&c.id) {
		return false
	}
	if s.intern != nil {
		c.memo = s.intern.memo([]byte(c.id))
	}
	return true
}

// memoString is string through m's slot for field f (m may be nil).
func (s *jsonScanner) memoString(m *checkMemo, f int, dst *string) bool {
	if m == nil {
		return s.string(dst)
	}
	s.skipSpace()
	if raw := m.raw[f]; len(raw) > 0 && bytes.HasPrefix(s.data[s.pos:], raw) {
		s.pos += len(raw)
		*dst = m.val[f]
		return true
	}
	start := s.pos
	if !s.string(dst) {
		return false
	}
	if s.data[start] == '"' {
		m.raw[f] = append(m.raw[f][:0], s.data[start:s.pos]...)
		m.val[f] = *dst
	}
	return true
}

// memoSkip is skip through m's slot for field f (m may be nil).
func (s *jsonScanner) memoSkip(m *checkMemo, f int) bool {
	if m == nil {
		return s.skip()
	}
	s.skipSpace()
	if raw := m.raw[f]; len(raw) > 0 && bytes.HasPrefix(s.data[s.pos:], raw) {
		s.pos += len(raw)
		return true
	}
	start := s.pos
	if !s.skip() {
		return false
	}
	switch s.data[start] {
	case '"', '[', '{': // self-delimiting; a number is not
		m.raw[f] = append(m.raw[f][:0], s.data[start:s.pos]...)
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

// totals reads the Totals object into t: integers where kube-bench writes
// them (or null, as good as absent).
func (s *jsonScanner) totals(t *statement) bool {
	var seen uint32
	for more := s.enter('{', '}'); more; more = s.next('}') {
		f, ok := s.key(totalsKeys, &seen)
		switch {
		case !ok:
			return false
		case f < 0:
			ok = s.skip()
		default:
			ok = s.count(t, f)
		}
		if !ok {
			return false
		}
	}
	return !s.bad
}

// count reads count i (0 PASS ... 3 INFO) of a summary into t: an integer
// that fits an int, or null (not stated).
func (s *jsonScanner) count(t *statement, i int) bool {
	if s.null() {
		return true
	}
	n, ok := s.integer()
	if !ok {
		return false
	}
	t.mask |= 1 << i
	setCount(&t.stated, i, n)
	return true
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
	ts := ctl.stated
	for _, g := range ctl.groups {
		for i := g.start; i < g.end; i++ {
			c := &s.checks[i]
			ctrl := Control{
				Benchmark: ctl.version, Target: Target(ctl.typ), Section: g.id, SectionText: g.text,
				ID: c.id, Text: c.kept[checkText], Type: c.kept[checkType], Scored: c.scored,
				Remediation: c.kept[checkRemediation], Expected: c.kept[checkExpected],
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
			ts.counted.Add(c.status)
			nr.Checks = append(nr.Checks, Check{Control: p, Status: c.status, Reason: c.kept[checkReason]})
		}
	}
	if s.st != nil {
		ts.target = Target(ctl.typ)
		s.st.targets = append(s.st.targets, ts)
	}
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
// a copy. It gives up where encoding/json would change the bytes in a way
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
		*dst = string(raw)
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
			*dst = string(buf)
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
// into an int field (it gives up on longer ones, which encoding/json may
// still take).
func (s *jsonScanner) integer() (int, bool) {
	s.skipSpace()
	i := s.pos
	neg := i < len(s.data) && s.data[i] == '-'
	if neg {
		i++
	}
	start := i
	n := 0
	for i < len(s.data) && s.data[i] >= '0' && s.data[i] <= '9' {
		n = n*10 + int(s.data[i]-'0')
		i++
	}
	digits := i - start
	if digits == 0 || digits > 18 || (digits > 1 && s.data[start] == '0') {
		return 0, false
	}
	if i < len(s.data) {
		switch s.data[i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	s.pos = i
	if neg {
		n = -n
	}
	return n, true
}

// skip skips any JSON value, checking its syntax as encoding/json does.
func (s *jsonScanner) skip() bool {
	switch c := s.peek(); {
	case c == '"':
		return s.skipStringBody()
	case c == '{':
		for more := s.enter('{', '}'); more; more = s.next('}') {
			if _, ok := s.key(nil, nil); !ok || !s.skip() {
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
