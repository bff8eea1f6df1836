package benchresult

import (
	"strings"
	"testing"
)

// pathologicalTexts are inputs on which a line-by-line text parser easily
// turns quadratic: every remediation line searched against every INFO
// check, thousands of rows "wrapped" after one 80-column line, a line of
// status tags. Parsing each is linear (about 30-60 ms for these 0.6-1.6 MB
// on a loaded 2-core machine; they took 45 s and 9 s before the fix).
var pathologicalTexts = []struct{ name, in string }{
	{"remediations against INFO checks", func() string {
		var b strings.Builder
		b.WriteString("[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n")
		for i := 0; i < 20000; i++ {
			b.WriteString("[INFO] 4.2." + strings.Repeat("9", 1+i%7) + "a" + string(rune('a'+i%26)) + " x\n")
		}
		b.WriteString("\n== Remediations node ==\n")
		for i := 0; i < 20000; i++ {
			b.WriteString("zz nothing\n")
		}
		return b.String()
	}()},
	{"20,000 rows after an 80-column line", "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\n[PASS] 4.2.1 " +
		strings.Repeat("x", 67) + "\n" + strings.Repeat(strings.Repeat("y", 80)+"\n", 20000)},
	{"a line of status tags", "[INFO] 4 Worker Node Security Configuration\n[INFO] 4.2 Kubelet\nx" + strings.Repeat("[PASS] 1.1", 100000) + "\n"},
}

// BenchmarkParseTextPathological: go test -run '^$' -bench TextPathological ./benchresult
func BenchmarkParseTextPathological(b *testing.B) {
	for _, tt := range pathologicalTexts {
		b.Run(tt.name, func(b *testing.B) {
			b.SetBytes(int64(len(tt.in)))
			for b.Loop() {
				_, _ = ParseBytes([]byte(tt.in), "text", Options{})
			}
		})
	}
}
