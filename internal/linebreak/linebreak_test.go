package linebreak

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

type found struct {
	Line int
	What string
	OK   bool
}

func TestForeign(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want found
	}{
		{"line feeds", "a: 1\nb: 2\n", found{}},
		{"CR LF", "a: 1\r\nb: 2\r\n", found{}},
		{"empty", "", found{}},
		{"other text", "a: \"caf\u00e9 \u20ac\"\n", found{}},
		{"lone CR", "a: 1\nb: 2\rc: 3\n", found{2, "a carriage return without a line feed", true}},
		{"CR at the end", "a: 1\n\r", found{2, "a carriage return without a line feed", true}},
		{"NEL", "a: 1\nb: 2\nc:\u00853\n", found{3, "a next-line character (U+0085)", true}},
		{"LS", "a:\u20281\n", found{1, "a line separator (U+2028)", true}},
		{"PS", "\n\n\na: 1\u2029", found{4, "a paragraph separator (U+2029)", true}},
		{"a cut UTF-8 sequence", "a: \xe2\x80", found{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got found
			got.Line, got.What, got.OK = Foreign([]byte(tt.in))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Foreign(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

// TestYAMLCountsThem holds the reason for the package: after each
// character Foreign reports, yaml.v3 numbers the next key's line
// differently from a count of line feeds; after the others, the same.
func TestYAMLCountsThem(t *testing.T) {
	t.Parallel()
	for _, sep := range []string{"\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029"} {
		data := []byte("a: 1" + sep + "b: 2\n")
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%q: %v", sep, err)
		}
		yamlLine := doc.Content[0].Content[2].Line
		lfLine := 1 + strings.Count("a: 1"+sep, "\n")
		if _, _, foreign := Foreign(data); foreign != (yamlLine != lfLine) {
			t.Errorf("%q: Foreign says %v, but yaml.v3 puts b on line %d and line feeds on %d", sep, foreign, yamlLine, lfLine)
		}
	}
}
