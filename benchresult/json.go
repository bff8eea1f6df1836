package benchresult

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
func parseJSON(data []byte, start position, source string) (*NodeResult, error) {
	body := data[start.offset:]
	lineBase := start.line
	if start.prefixed {
		body = stripPrefixes(body)
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
				return nil, inputErr(source, lineBase+bytes.Count(body[:off], []byte{'\n'}), -1,
					"%w: a JSON object without kube-bench's \"Controls\" (is it another tool's report?)", ErrNotKubeBench)
			}
		}
		values++
		if err := addControls(nr, controls); err != nil {
			return nil, &InputError{Source: source, Line: lineBase, Offset: -1, Err: err}
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
		if c.Version != "" && !contains(nr.Benchmarks, c.Version) {
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
					Status: st, Reason: jc.Reason, Actual: jc.Actual,
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
	return &InputError{Source: source, Line: line, Offset: -1, Err: fmt.Errorf("invalid JSON: %w", err)}
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

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
