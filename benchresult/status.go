package benchresult

import "fmt"

// Status is the outcome of one check as kube-bench reports it, plus
// [NotApplicable], which only a managed-provider [Profile] assigns.
type Status uint8

// The statuses. The zero value is not a valid status, so a check that was
// never given one is caught instead of silently counted.
const (
	Pass Status = iota + 1
	Fail
	Warn
	Info
	NotApplicable
)

var statusNames = [...]string{Pass: "PASS", Fail: "FAIL", Warn: "WARN", Info: "INFO", NotApplicable: "NOT APPLICABLE"}

// String returns the status as kube-bench prints it ("PASS", "FAIL", ...).
func (s Status) String() string {
	if s == 0 || int(s) >= len(statusNames) {
		return fmt.Sprintf("Status(%d)", uint8(s))
	}
	return statusNames[s]
}

// ParseStatus reads a status as kube-bench writes it. Only the four
// statuses kube-bench emits are accepted; case matters, as in kube-bench.
func ParseStatus(s string) (Status, error) {
	switch s {
	case "PASS":
		return Pass, nil
	case "FAIL":
		return Fail, nil
	case "WARN":
		return Warn, nil
	case "INFO":
		return Info, nil
	case "NOT APPLICABLE":
		return NotApplicable, nil
	}
	return 0, fmt.Errorf("unknown status %q (want PASS, FAIL, WARN or INFO)", s)
}

// MarshalText implements [encoding.TextMarshaler].
func (s Status) MarshalText() ([]byte, error) {
	if s == 0 || int(s) >= len(statusNames) {
		return nil, fmt.Errorf("marshal status: invalid status %d", uint8(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Status) UnmarshalText(b []byte) error {
	v, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Severity orders statuses from least to most severe for merging and
// sorting: INFO < NOT APPLICABLE < PASS < WARN < FAIL.
func (s Status) Severity() int {
	switch s {
	case Fail:
		return 4
	case Warn:
		return 3
	case Pass:
		return 2
	case NotApplicable:
		return 1
	}
	return 0
}
