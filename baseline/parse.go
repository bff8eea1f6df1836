package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/bench-action/bench-action/benchresult"
)

// DefaultMaxBytes is the default limit on the size of a baseline file: a
// baseline of 1,000 nodes with 130 checks each is about 25 MB.
const DefaultMaxBytes = 256 << 20

// maxProblems is how many problems Parse lists before it gives up.
const maxProblems = 20

// ParseOptions tune Parse and Read. The zero value is ready to use.
type ParseOptions struct {
	// MaxBytes is the largest baseline Parse and Read accept (0 or less:
	// DefaultMaxBytes). Beyond it they return an error wrapping
	// [benchresult.ErrTooLarge].
	MaxBytes int64
}

func (o ParseOptions) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// Read reads a baseline from r, never more than the size limit, and parses
// it as Parse does.
func Read(r io.Reader, source string, opts ParseOptions) (*Baseline, error) {
	limit := opts.maxBytes()
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, limit+1))
	if err != nil {
		return nil, &benchresult.InputError{Source: source, Err: err}
	}
	if n > limit {
		return nil, &benchresult.InputError{Source: source, Err: fmt.Errorf("%w: more than %d bytes", benchresult.ErrTooLarge, limit)}
	}
	return Parse(buf.Bytes(), source, opts)
}

// Parse reads a baseline file: the JSON format WriteTo writes, or the seed's
// legacy baseline, a file holding only the FAIL count (white space around it
// allowed), which gives a Baseline with Legacy set.
//
// Parse is strict, since a baseline that is misread silently lets failures
// through: unknown fields, a value of the wrong type, a missing id, target or
// status, an unknown status, an identity listed twice, an unsupported
// version, a negative count and data after the document are all errors.
// Every error is an [*benchresult.InputError] naming source and, where it
// can, the line; several problems are joined with [errors.Join] (at most 20
// are listed). The entries need not be sorted in the file; the Baseline
// returned is.
func Parse(data []byte, source string, opts ParseOptions) (*Baseline, error) {
	limit := opts.maxBytes()
	if int64(len(data)) > limit {
		return nil, &benchresult.InputError{Source: source, Err: fmt.Errorf("%w: %d bytes, the limit is %d", benchresult.ErrTooLarge, len(data), limit)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a BOM shifts offsets, not lines
	p := &parser{data: data, source: source, line: 1}
	first := skipSpace(data, 0)
	if first == len(data) {
		return nil, p.fail(int64(first), "empty baseline: want a JSON baseline or a FAIL count")
	}
	switch c := data[first]; {
	case c == '{':
		return p.document()
	case c == '-' || c == '+' || ('0' <= c && c <= '9'):
		return p.legacy(first)
	}
	return nil, p.fail(int64(first), "not a baseline: want a JSON object {\"version\":1,\"checks\":[...]} or a FAIL count")
}

type parser struct {
	data   []byte
	source string
	errs   []error
	// line is the line at offset lineOff: lines are counted forwards only.
	line    int
	lineOff int64
}

// lineAt returns the 1-based line of byte offset off.
func (p *parser) lineAt(off int64) int {
	if off > int64(len(p.data)) {
		off = int64(len(p.data))
	}
	if off < p.lineOff {
		p.line, p.lineOff = 1, 0
	}
	p.line += bytes.Count(p.data[p.lineOff:off], []byte{'\n'})
	p.lineOff = off
	return p.line
}

// problem records a problem at off; it reports false once there are too many.
func (p *parser) problem(off int64, format string, args ...any) bool {
	if len(p.errs) == maxProblems {
		p.errs = append(p.errs, &benchresult.InputError{Source: p.source, Err: errors.New("more problems not shown")})
		return false
	}
	if len(p.errs) > maxProblems {
		return false
	}
	p.errs = append(p.errs, &benchresult.InputError{Source: p.source, Line: p.lineAt(off), Err: fmt.Errorf(format, args...)})
	return true
}

// fail records a last problem and returns every problem found.
func (p *parser) fail(off int64, format string, args ...any) error {
	p.problem(off, format, args...)
	return errors.Join(p.errs...)
}

// syntax turns a decoder error into a last problem.
func (p *parser) syntax(dec *json.Decoder, err error) error {
	off := dec.InputOffset()
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return p.fail(int64(len(p.data)), "truncated JSON: the file ends inside the document")
	}
	return p.fail(off, "invalid JSON: %v", err)
}

func (p *parser) legacy(first int) (*Baseline, error) {
	s := string(bytes.TrimSpace(p.data))
	n, err := strconv.Atoi(s)
	var ne *strconv.NumError
	switch {
	case errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange):
		return nil, p.fail(int64(first), "legacy baseline: FAIL count %s is out of range", quoteShort(s))
	case err != nil:
		return nil, p.fail(int64(first), "not a baseline: %s is neither a JSON baseline nor a FAIL count (one integer)", quoteShort(s))
	case n < 0:
		return nil, p.fail(int64(first), "legacy baseline: negative FAIL count %d", n)
	}
	return &Baseline{Legacy: true, FailCount: n}, nil
}

func (p *parser) document() (*Baseline, error) {
	dec := json.NewDecoder(bytes.NewReader(p.data))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // '{', checked by Parse
		return nil, p.syntax(dec, err)
	}
	b := &Baseline{}
	var seenVersion, seenChecks bool
	for dec.More() {
		keyOff := p.skip(dec.InputOffset(), ",")
		tok, err := dec.Token()
		if err != nil {
			return nil, p.syntax(dec, err)
		}
		key, _ := tok.(string)
		switch key {
		case "version":
			if seenVersion {
				p.problem(keyOff, "field \"version\" appears twice")
			}
			seenVersion = true
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, p.syntax(dec, err)
			}
			if string(v) != strconv.Itoa(FormatVersion) {
				if kind(v) != "number" {
					return nil, p.fail(keyOff, "field \"version\": want a number, got %s", kind(v))
				}
				return nil, p.fail(keyOff, "unsupported baseline version %s (this bench-action reads version %d)", v, FormatVersion)
			}
		case "checks":
			if seenChecks {
				p.problem(keyOff, "field \"checks\" appears twice")
			}
			seenChecks = true
			entries, err := p.checks(dec)
			if err != nil {
				return nil, err
			}
			b.Entries = append(b.Entries, entries...)
		default:
			p.problem(keyOff, "unknown field %s (want \"version\" and \"checks\")", quoteShort(key))
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, p.syntax(dec, err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, p.syntax(dec, err)
	}
	end := dec.InputOffset()
	if rest := skipSpace(p.data, int(end)); rest < len(p.data) {
		p.problem(int64(rest), "data after the end of the baseline document")
	}
	if !seenVersion {
		p.problem(0, "missing field \"version\"")
	}
	if !seenChecks {
		p.problem(0, "missing field \"checks\"")
	}
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	sortEntries(b.Entries)
	return b, nil
}

// checks reads the array of the "checks" field.
func (p *parser) checks(dec *json.Decoder) ([]Entry, error) {
	valueOff := p.skip(dec.InputOffset(), ":")
	if valueOff >= int64(len(p.data)) {
		return nil, p.fail(valueOff, "truncated JSON: the file ends inside the document")
	}
	if p.data[valueOff] != '[' {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, p.syntax(dec, err)
		}
		p.problem(valueOff, "field \"checks\": want an array, got %s", kind(v))
		return nil, nil
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.syntax(dec, err)
	}
	// WriteTo writes one check a line: the lines (no more than a check
	// of 40 bytes each could fill) size the entries, so that neither the
	// slice nor the map grows, and is copied, as it fills.
	rest := p.data[valueOff:]
	n := min(bytes.Count(rest, []byte{'\n'}), len(rest)/40) + 1
	entries := make([]Entry, 0, n)
	firstLine := make(map[benchresult.Key]int, n)
	for dec.More() {
		start := p.skip(dec.InputOffset(), ",")
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, p.syntax(dec, err)
		}
		e, ok := p.entry(raw, start)
		if !ok {
			continue
		}
		line := p.lineAt(start)
		if first, dup := firstLine[e.Key]; dup {
			p.problem(start, "check %s appears twice (first at line %d)", e.Key, first)
			continue
		}
		firstLine[e.Key] = line
		entries = append(entries, e)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, p.syntax(dec, err)
	}
	return entries, nil
}

// The fields of a check, in the order WriteTo writes them.
var fieldNames = [...]string{"cluster", "node", "benchmark", "target", "id", "status", "text"}

const (
	fCluster = iota
	fNode
	fBenchmark
	fTarget
	fID
	fStatus
	fText
)

// entry reads one element of "checks", which starts at byte start of the
// file. It reports false when the element had a problem.
func (p *parser) entry(raw json.RawMessage, start int64) (Entry, bool) {
	if kind(raw) != "object" {
		p.problem(start, "check: want an object, got %s", kind(raw))
		return Entry{}, false
	}
	var vals [len(fieldNames)]string
	var seen, bad [len(fieldNames)]bool
	ok := true
	members(raw, func(keyAt int, key string, v []byte) {
		at := start + int64(keyAt)
		f := slices.Index(fieldNames[:], key)
		switch {
		case f < 0:
			p.problem(at, "check: unknown field %s (want %s)", quoteShort(key), `"cluster", "node", "benchmark", "target", "id", "status", "text"`)
			ok = false
			return
		case seen[f]:
			p.problem(at, "check: field %q appears twice", key)
			ok = false
			return
		}
		seen[f] = true
		if kind(v) != "string" {
			p.problem(at, "check: field %q: want a string, got %s", key, kind(v))
			ok, bad[f] = false, true
			return
		}
		vals[f] = decodeString(v)
	})
	for _, f := range []int{fTarget, fID, fStatus} {
		switch {
		case bad[f]: // already reported
		case !seen[f]:
			p.problem(start, "check: missing field %q", fieldNames[f])
			ok = false
		case vals[f] == "" && f != fStatus:
			p.problem(start, "check: field %q is empty", fieldNames[f])
			ok = false
		}
	}
	if !ok {
		return Entry{}, false
	}
	status, err := benchresult.ParseStatus(vals[fStatus])
	if err != nil {
		p.problem(start, "check %s: unknown status %s (want PASS, FAIL, WARN, INFO or NOT APPLICABLE)", vals[fID], quoteShort(vals[fStatus]))
		return Entry{}, false
	}
	return Entry{
		Key: benchresult.Key{
			Cluster:   vals[fCluster],
			Node:      vals[fNode],
			Benchmark: vals[fBenchmark],
			Target:    benchresult.Target(vals[fTarget]),
			ID:        vals[fID],
		},
		Status: status,
		Text:   vals[fText],
	}, true
}

// members calls fn for each member of raw, a valid JSON object (the
// decoder checked it), with the offset of its key, the key and the value.
// It is the decoder's Token loop without its cost, for large baselines.
func members(raw []byte, fn func(keyAt int, key string, v []byte)) {
	i := skipSpace(raw, 0) + 1 // '{'
	for {
		for i < len(raw) && (raw[i] == ',' || raw[i] == ' ' || raw[i] == '\t' || raw[i] == '\n' || raw[i] == '\r') {
			i++
		}
		if i >= len(raw) || raw[i] != '"' {
			return // '}'
		}
		keyAt := i
		end := valueEnd(raw, i)
		key := decodeString(raw[i:end])
		i = skipSpace(raw, end) + 1 // ':'
		i = skipSpace(raw, i)
		vend := valueEnd(raw, i)
		fn(keyAt, key, raw[i:vend])
		i = vend
	}
}

// valueEnd returns the end of the valid JSON value that starts at b[i].
func valueEnd(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1
			}
		}
		return len(b)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = valueEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	return j
}

// decodeString decodes a valid JSON string literal q, quotes included.
func decodeString(q []byte) string {
	if len(q) >= 2 && bytes.IndexByte(q, '\\') < 0 && utf8.Valid(q) {
		return string(q[1 : len(q)-1])
	}
	var s string
	if err := json.Unmarshal(q, &s); err != nil {
		return string(q)
	}
	return s
}

// skip returns the offset of the first byte at or after off that is neither
// white space nor one of the bytes in seps.
func (p *parser) skip(off int64, seps string) int64 {
	i := int(off)
	for i < len(p.data) {
		c := p.data[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || (len(seps) > 0 && bytes.IndexByte([]byte(seps), c) >= 0) {
			i++
			continue
		}
		break
	}
	return int64(i)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// kind names the JSON type of a valid JSON value.
func kind(v []byte) string {
	i := skipSpace(v, 0)
	if i == len(v) {
		return "nothing"
	}
	switch v[i] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

// quoteShort quotes s for a message, cut to 60 bytes.
func quoteShort(s string) string {
	if len(s) > 60 {
		return strconv.Quote(s[:60]) + "..."
	}
	return strconv.Quote(s)
}
