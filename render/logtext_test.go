package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/google/go-cmp/cmp"
)

func TestLogText(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, in, want string }{
		{"plain text is kept", "chmod 600 /etc/kubernetes/admin.conf\n  then restart", "chmod 600 /etc/kubernetes/admin.conf\n  then restart"},
		{"colons inside a line are kept", "bind to [::1]:10250, see a::b", "bind to [::1]:10250, see a::b"},
		{"command at line start", "::error::x", `\::error::x`},
		{"after white space", " \t\u00a0\u3000::add-mask::x", " \t\u00a0\u3000\\::add-mask::x"},
		{"on a later line", "fix:\n  ::warning file=a::x", "fix:\n  \\::warning file=a::x"},
		{"legacy form anywhere", "a ##[error]b ###[c]", `a ##\[error]b ###\[c]`},
		{"CRLF", "a\r\n::error::x", "a\n\\::error::x"},
		{"lone CR", "a\r::error::x", "a\n\\::error::x"},
		{"Unicode line breaks", "a\u2028b\u2029c\u0085d\ve\ff", "a\nb\nc\nd\ne\nf"},
		{"zero width between the colons", ":\u200b:error::x", `\::error::x`},
		{"zero width in the legacy prefix", "#\u200b#\u2060[error]x", `##\[error]x`},
		{"soft hyphen and BOM before", "\u00ad\ufeff::error::x", `\::error::x`},
		{"bidirectional override dropped", "a\u202eb", "ab"},
		{"controls dropped, tab kept", "a\x00\x1b[2K\x07\x7f\u0090\tb", "a[2K\tb"},
		{"variation selector dropped", "a\ufe0fb", "ab"},
		{"backslash already there is kept", `\::error::x`, `\::error::x`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := LogText(tc.in)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("LogText(%q) (-want +got):\n%s", tc.in, diff)
			}
			if again := LogText(got); again != got {
				t.Errorf("LogText is not idempotent: %q -> %q", got, again)
			}
		})
	}
}

// logSafeSeeds are strings for the round-trip tests and the fuzz target.
var logSafeSeeds = []string{
	"plain", "::error::x", "a\n  ::add-mask::x", "a ##[error]b", "a\r\n::error::x\rb",
	"a\u2028::error::x", "a\u0085::error::x", ":\u200b:error::x", "#\u200b#[error]x",
	"x]]>y\n::error::z", "##", "#[", "\U000E0041 tag", "\x7f\u0085\u009f", "a\n\n\t::x::y",
}

// TestLogSafeDocumentsRoundTrip checks that JSON and XML written through
// LogSafeJSON and LogSafeXML decode to the original text and hold no line
// the runner obeys.
func TestLogSafeDocumentsRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range logSafeSeeds {
		checkLogSafeDocuments(t, s)
	}
}

func FuzzLogSafeDocuments(f *testing.F) {
	for _, s := range logSafeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkLogSafeDocuments(t, s)
		got := LogText(s)
		if bad := commandLine(got); bad != "" {
			t.Errorf("LogText(%q) has the line %q", s, bad)
		}
		if again := LogText(got); again != got {
			t.Errorf("LogText is not idempotent: %q -> %q -> %q", s, got, again)
		}
	})
}

type xmlDoc struct {
	XMLName xml.Name `xml:"doc"`
	Attr    string   `xml:"a,attr"`
	Text    string   `xml:"text"`
	Body    xmlCDATA `xml:"body"`
}

// xmlCDATA is written as CDATA, as the body of a JUnit failure is.
type xmlCDATA struct {
	Data string `xml:",cdata"`
}

func checkLogSafeDocuments(t *testing.T, s string) {
	t.Helper()
	s = XMLText(strings.ToValidUTF8(s, "\uFFFD"))
	raw, err := json.MarshalIndent(map[string][]string{"k": {s}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	doc := LogSafeJSON(raw)
	var back map[string][]string
	if err := json.Unmarshal(doc, &back); err != nil || back["k"][0] != s {
		t.Errorf("JSON of %q: %s decodes to %q, %v", s, doc, back["k"], err)
	}
	if bad := commandLine(string(doc)); bad != "" {
		t.Errorf("JSON of %q has the line %q", s, bad)
	}

	var b bytes.Buffer
	enc := xml.NewEncoder(&b)
	enc.Indent("", "\t")
	if err := enc.Encode(xmlDoc{Attr: s, Text: s, Body: xmlCDATA{s}}); err != nil {
		t.Fatal(err)
	}
	xdoc := LogSafeXML(b.Bytes())
	var xback xmlDoc
	if err := xml.Unmarshal(xdoc, &xback); err != nil {
		t.Fatalf("XML of %q does not parse: %v\n%s", s, err, xdoc)
	}
	want := xmlDoc{XMLName: xml.Name{Local: "doc"}, Attr: s, Text: s, Body: xmlCDATA{s}}
	if diff := cmp.Diff(want, xback); diff != "" {
		t.Errorf("XML of %q (-want +got):\n%s\n%s", s, diff, xdoc)
	}
	if bad := commandLine(string(xdoc)); bad != "" {
		t.Errorf("XML of %q has the line %q:\n%s", s, bad, xdoc)
	}
}

// commandLine returns a line of out that starts with "::" after white
// space, or holds "##[", once invisible characters are left out; "" if none.
func commandLine(out string) string {
	lines := strings.FieldsFunc(out, func(r rune) bool { return r == '\r' || logBreak(r) })
	for _, l := range lines {
		seen := strings.Map(func(r rune) rune {
			if logInvisible(r) {
				return -1
			}
			return r
		}, l)
		if strings.HasPrefix(strings.TrimLeftFunc(seen, unicode.IsSpace), "::") || strings.Contains(seen, "##[") {
			return l
		}
	}
	return ""
}

// BenchmarkLogText measures the pass over text the size of a
// control-plane node's kube-bench output: once all ASCII (nothing to
// change), once with a typographic apostrophe, which takes the slow path.
func BenchmarkLogText(b *testing.B) {
	data, err := os.ReadFile(testfleet.KubeBench("v0.14.1-cis-1.10-insecure.json"))
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct{ name, text string }{
		{"ascii", string(data)},
		{"non-ascii", string(data) + "\u2019"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(tc.text)))
			b.ReportAllocs()
			for b.Loop() {
				LogText(tc.text)
			}
		})
	}
}
