package benchresult

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxBytes is the default limit on the size of one input: far above
// any real kube-bench output (a full cis-1.10 run is about 250 KB of JUnit).
const DefaultMaxBytes = 64 << 20

// DefaultMaxLineBytes is the default limit on one line of text output.
const DefaultMaxLineBytes = 1 << 20

// Options tune Parse. The zero value is ready to use.
type Options struct {
	// Node names the node the output came from. kube-bench never records
	// it; see [ResolveInputs] for how the command derives it.
	Node string
	// MaxBytes limits the size of the input (0: DefaultMaxBytes). Beyond it
	// Parse stops reading and returns an error wrapping ErrTooLarge.
	MaxBytes int64
	// MaxLineBytes limits one line of text output (0: DefaultMaxLineBytes).
	MaxLineBytes int
	// TrustTotals reads an output whose own totals (JSON "Totals" and
	// total_*, text summaries) disagree with the checks it lists with the
	// totals it states, as [Incomplete], instead of refusing it with a
	// [*TotalsError].
	TrustTotals bool
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) maxLineBytes() int {
	if o.MaxLineBytes > 0 {
		return o.MaxLineBytes
	}
	return DefaultMaxLineBytes
}

// Parse reads one kube-bench output and detects its format from the content,
// not the name: JSON in any of the shapes kube-bench has printed (the
// {"Controls":[...],"Totals":{...}} envelope, the bare array of --nototals,
// concatenated objects of v0.3.0 and earlier), JUnit XML (--junit), or the
// text output of any release, also with --noresults (a [SummaryOnly]
// result). Each may be a `kubectl logs` capture: log and warning lines
// before the results, and `kubectl logs --prefix` line prefixes, are
// skipped; and text as it looks after a copy and paste (terminal colour, a
// BOM, CRLF or CR, white space around lines or indenting the whole text, a
// shell prompt line or a Markdown code fence around it, lines wrapped at 80
// columns) is read as kube-bench printed it, or refused where it cannot be
// read without guessing. An output whose own totals disagree with its
// results is refused with a [*TotalsError] (see [Options.TrustTotals]).
// source names the input in errors; every error is an [*InputError].
func Parse(r io.Reader, source string, opts Options) (*NodeResult, error) {
	data, err := readLimited(r, opts.maxBytes())
	if err != nil {
		return nil, &InputError{Source: source, Err: err}
	}
	return ParseBytes(data, source, opts)
}

// ParseBytes is Parse over an input already in memory.
func ParseBytes(data []byte, source string, opts Options) (*NodeResult, error) {
	return parseBytes(data, source, opts, nil)
}

// parseBytes is ParseBytes sharing strings and Controls through in (nil:
// no sharing). Nothing in the result refers to data.
func parseBytes(data []byte, source string, opts Options, in *interner) (*NodeResult, error) {
	if int64(len(data)) > opts.maxBytes() {
		return nil, &InputError{Source: source, Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), opts.maxBytes())}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	start, format, err := detect(data, opts.maxLineBytes())
	if err != nil {
		return nil, &InputError{Source: source, Line: start.line, Err: err}
	}
	var nr *NodeResult
	var st *statements
	if in != nil { // a worker of Load: reuse its room
		st = &in.stmts
	} else {
		st = new(statements)
	}
	st.reset()
	switch format {
	case FormatJSON:
		nr, err = parseJSON(data, start, source, in, st)
	case FormatJUnit:
		nr, err = parseJUnit(data[start.offset:], start.line, source)
	case FormatText:
		nr, err = parseText(data, start, source, opts.maxLineBytes(), st)
	}
	if err != nil {
		return nil, err
	}
	if err := st.settle(nr, source, opts.TrustTotals, format == FormatText); err != nil {
		return nil, err
	}
	nr.Node = opts.Node
	for i := range nr.Checks {
		nr.Checks[i].Node = opts.Node
	}
	nr.Source = source
	nr.Format = format
	if err := validate(nr, in); err != nil {
		return nil, &InputError{Source: source, Err: err}
	}
	return nr, nil
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	// Read in chunks and join them once, so memory stays near the input's
	// size (a growing buffer would hold up to three times it), and stop as
	// soon as the limit is passed.
	const chunk = 1 << 20
	var chunks [][]byte
	var total int64
	for {
		buf := make([]byte, chunk)
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			chunks = append(chunks, buf[:n])
			total += int64(n)
			if total > limit {
				return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
			}
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return out, nil
}

// validate checks what every format must give: at least one check, known
// statuses, and no identity twice.
func validate(nr *NodeResult, in *interner) error {
	// kube-bench prints a target with no groups as "tests": null (the
	// master target of every managed benchmark): valid, if empty. Anything
	// else without a check is not kube-bench output.
	if len(nr.Checks) == 0 && len(nr.Benchmarks) == 0 && nr.Coverage != SummaryOnly {
		return fmt.Errorf("%w: no checks in it", ErrNotKubeBench)
	}
	type id = checkID
	var seen map[id]bool
	if in != nil { // a worker of Load: reuse the map
		if in.seen == nil {
			in.seen = make(map[id]bool, len(nr.Checks))
		}
		seen = in.seen
		clear(seen)
	} else {
		seen = make(map[id]bool, len(nr.Checks))
	}
	var errs []error
	for i := range nr.Checks {
		c := &nr.Checks[i]
		if c.Status == 0 || c.Status == NotApplicable {
			errs = append(errs, fmt.Errorf("check %s: no status", c.ID))
		}
		if c.ID == "" {
			errs = append(errs, fmt.Errorf("check %d of target %s: no id", i+1, c.Target))
		}
		k := id{c.Benchmark, c.Target, c.ID}
		if seen[k] {
			errs = append(errs, fmt.Errorf("check %s of target %s appears twice", c.ID, c.Target))
		}
		seen[k] = true
		if len(errs) >= 10 {
			errs = append(errs, errors.New("more problems not shown"))
			break
		}
	}
	return errors.Join(errs...)
}

// interner is what one of Load's workers keeps from node to node: the
// Controls it made, so that checks that repeat across the fleet share one,
// the memo of each check id's last bytes (json.go), and scratch. It is not
// safe for concurrent use. A nil *interner shares nothing.
type interner struct {
	controls map[Control]*Control
	scan     jsonScanner      // the JSON scanner and its scratch, reused
	spare    []Check          // a Checks slice to fill next, recycled by Load
	seen     map[checkID]bool // validate's scratch
	stmts    statements       // what an output says of its totals, reused
	memos    map[string]*checkMemo
}

// maxMemos bounds a worker's memos (real benchmarks have a few hundred
// check ids), so that inputs with ever new ids cannot grow them without end.
const maxMemos = 4096

// memo returns the worker's memo for checks of this id, or nil.
func (in *interner) memo(id []byte) *checkMemo {
	m := in.memos[string(id)]
	if m == nil {
		if len(in.memos) >= maxMemos {
			return nil
		}
		if in.memos == nil {
			in.memos = map[string]*checkMemo{}
		}
		m = &checkMemo{id: string(id)}
		in.memos[m.id] = m
	}
	return m
}

// checkID is a check's identity within one node result.
type checkID struct {
	bench  string
	target Target
	id     string
}

func newInterner() *interner {
	return &interner{controls: map[Control]*Control{}}
}

// control returns a shared copy of c.
func (in *interner) control(c *Control) *Control {
	if p, ok := in.controls[*c]; ok {
		return p
	}
	p := new(Control)
	*p = *c
	in.controls[*p] = p
	return p
}
