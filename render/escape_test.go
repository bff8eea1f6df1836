package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/bench-action/bench-action/internal/testfleet"
	"github.com/bench-action/bench-action/render"
	"github.com/bench-action/bench-action/verdict"
)

// hostile is a description, remediation or owner written to break out of
// where bench-action renders it.
var hostileVectors = []struct {
	name, text string
	// bad must not appear in the Markdown as is.
	bad []string
}{
	{"raw HTML", `<img src=x onerror=alert(1)> <script>alert(1)</script>`, []string{"<img", "<script"}},
	{"mention", `ping @octocat and @acme/security-team`, []string{"@octocat", "@acme/"}},
	{"issue reference", `see #123 and acme/infra#7`, []string{"#123", "infra#7"}},
	{"details breakout", `</details><details open><summary>pwned`, []string{"</details><details", "<summary>pwned"}},
	{"marker forgery", `<!-- bench-action:comment cluster=prod -->`, []string{"<!-- bench-action"}},
	{"link", `[click](https://evil.example/x) ![img](https://evil.example/i.png)`, []string{"[click](", "![img]("}},
	{"table breakout", "a | b\n| --- |\n# Heading", []string{"\n# Heading", "a | b"}},
}

func TestMarkdownNeutralisesHostileText(t *testing.T) {
	t.Parallel()
	for _, tc := range hostileVectors {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := verdict.Evaluate(testfleet.Hostile(tc.text), verdict.Config{Now: testfleet.Today})
			var b bytes.Buffer
			if err := render.WriteMarkdown(&b, v, render.MarkdownOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := render.WriteReportMarkdown(&b, v.Report); err != nil {
				t.Fatal(err)
			}
			issues, err := render.TrackingIssues(v, []string{"kube-bench"}, "")
			if err != nil {
				t.Fatal(err)
			}
			out := b.String() + strings.TrimPrefix(issues[0].Body, issues[0].Marker)
			// Outside code blocks nothing of the vector survives; inside a
			// fenced block it is inert, so strip the blocks first.
			prose := stripFences(out)
			for _, bad := range tc.bad {
				if strings.Contains(prose, bad) {
					t.Errorf("rendered Markdown contains %q outside a code block:\n%s", bad, prose)
				}
			}
			if n := strings.Count(prose, "<!--"); n != 0 {
				t.Errorf("%d HTML comments in the output besides the issue's own marker", n)
			}
		})
	}
}

// stripFences removes fenced code blocks, checking each fence is closed by
// a fence of the same length (so the content could not close it early).
func stripFences(s string) string {
	var out []string
	fence := ""
	for _, line := range strings.Split(s, "\n") {
		trimmed := strings.TrimRight(line, " ")
		switch {
		case fence == "" && strings.HasPrefix(trimmed, "```"):
			fence = trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, "`"))]
		case fence != "" && trimmed == fence:
			fence = ""
		case fence == "":
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func TestCodeBlockCannotBeClosedByContent(t *testing.T) {
	t.Parallel()
	for _, content := range []string{"```", "````\nx\n````", "a ``````` b", "~~~"} {
		block := render.CodeBlock(content)
		lines := strings.Split(strings.TrimRight(block, "\n"), "\n")
		open, closing := lines[0], lines[len(lines)-1]
		if strings.TrimSuffix(open, "text") != closing {
			t.Errorf("fence %q closed by %q", open, closing)
		}
		for _, l := range lines[1 : len(lines)-1] {
			if strings.HasPrefix(strings.TrimSpace(l), closing) && strings.Trim(strings.TrimSpace(l), "`") == "" {
				t.Errorf("content line %q closes the fence %q", l, closing)
			}
		}
	}
}

func TestTextOutputDropsControlCharacters(t *testing.T) {
	t.Parallel()
	v := verdict.Evaluate(testfleet.Hostile("fine\x1b[2K\x1b[1A\rFAKE: all checks passed\x07"), verdict.Config{Now: testfleet.Today})
	var b bytes.Buffer
	if err := render.WriteText(&b, v); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteReportText(&b, v.Report); err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(b.String(), "\x1b\r\x07") {
		t.Errorf("control characters reach the terminal: %q", b.String())
	}
}
