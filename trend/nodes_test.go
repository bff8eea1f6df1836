package trend

import (
	"html/template"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A cell of a control failing on 57 of 62 nodes names three and folds the
// rest away, in Markdown and in HTML.
func TestNodeCells(t *testing.T) {
	t.Parallel()
	// names makes n node names w-1..w-n.
	names := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "w-" + string(rune('1'+i))
		}
		return out
	}
	// nbh writes the hyphens of node names as the cells do (see unbroken).
	nbh := func(s string) string { return strings.ReplaceAll(s, "w-", "w"+nbHyphen) }
	// spans is names as the HTML cell writes them, each in a span that does
	// not wrap.
	spans := func(names ...string) string {
		for i, n := range names {
			names[i] = `<span class="nw">` + n + "</span>"
		}
		return strings.Join(names, ", ")
	}
	for _, tt := range []struct {
		name     string
		nodes    []string
		md, html string
	}{
		{name: "none", nodes: nil, md: "", html: ""},
		{name: "one", nodes: names(1), md: "w-1", html: `<span class="nw">w-1</span>`},
		{name: "cluster-wide", nodes: []string{""}, md: "(cluster)", html: `<span class="nw">(cluster)</span>`},
		{name: "four are all named", nodes: names(4), md: "w-1, w-2, w-3, w-4", html: spans("w-1", "w-2", "w-3", "w-4")},
		{name: "five fold two", nodes: names(5),
			md:   "<details><summary>w-1, w-2, w-3, and\u00a02\u00a0more</summary>w-4, w-5</details>",
			html: `<details title="w-1, w-2, w-3, w-4, w-5"><summary>` + spans("w-1", "w-2", "w-3") + ", and\u00a02\u00a0more</summary>" + spans("w-4", "w-5") + "</details>"},
		{name: "hostile names are escaped", nodes: []string{"<b>", "@x", "a|b", "d", "e"},
			md:   "<details><summary>&lt;b&gt;, &#64;x, a&#124;b, and\u00a02\u00a0more</summary>d, e</details>",
			html: `<details title="&lt;b&gt;, @x, a|b, d, e"><summary>` + spans("&lt;b&gt;", "@x", "a|b") + ", and\u00a02\u00a0more</summary>" + spans("d", "e") + "</details>"},
		{name: "a long name may wrap", nodes: []string{"ip-10-0-12-34.eu-west-1.compute.internal", strings.Repeat("n", 49)},
			md: "ip‑10‑0‑12‑34.eu‑west‑1.compute.internal, " + strings.Repeat("n", 49), html: `<span class="nw">ip‑10‑0‑12‑34.eu‑west‑1.compute.internal</span>, ` + strings.Repeat("n", 49)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			nodes := tt.nodes
			md, html := nbh(tt.md), template.HTML(nbh(tt.html))
			if diff := cmp.Diff(md, mdNodes(nodes)); diff != "" {
				t.Errorf("mdNodes(%q) (-want +got):\n%s", nodes, diff)
			}
			if diff := cmp.Diff(html, htmlNodes(nodes)); diff != "" {
				t.Errorf("htmlNodes(%q) (-want +got):\n%s", nodes, diff)
			}
			if strings.Contains(mdNodes(nodes), "and\u00a01\u00a0more") {
				t.Errorf("mdNodes(%q) folds one node away", nodes)
			}
		})
	}
}
