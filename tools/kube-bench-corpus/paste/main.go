// Command paste turns a real kube-bench output into what people paste: the
// same output after a copy from a terminal, an editor, a chat or an issue.
//
//	paste -v crlf < run/v0.15.6-cis-1.12-full.txt > paste/v0.15.6-cis-1.12-full-crlf.txt
//	paste -list text
//
// Each variant changes only what a paste changes (whitespace, line ends, a
// BOM, a prompt, fences, a terminal's wrapping, log lines); the checks and
// the totals kube-bench printed stay as they were. The output is the same
// for the same input, so the corpus regenerates byte for byte.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// variant is one way a paste changes a text.
type variant struct {
	name  string
	json  bool // also applies to JSON output
	about string
	apply func(lines []string) []string
}

var variants = []variant{
	{"trailing-blanks", true, "spaces and tabs at the end of every line", func(ls []string) []string {
		return each(ls, func(i int, l string) string { return l + []string{" ", "  ", "\t", " \t"}[i%4] })
	}},
	{"leading-blanks", false, "one to three spaces before some lines (as a chat client's quote block leaves them)", func(ls []string) []string {
		return each(ls, func(i int, l string) string { return strings.Repeat(" ", i%4) + l })
	}},
	{"indent-tab", true, "the whole text indented by a tab", func(ls []string) []string {
		return each(ls, func(_ int, l string) string { return nonEmpty(l, "\t") })
	}},
	{"indent-4", true, "the whole text indented by four spaces (a Markdown code block)", func(ls []string) []string {
		return each(ls, func(_ int, l string) string { return nonEmpty(l, "    ") })
	}},
	{"crlf", true, "CRLF line ends", nil}, // in write
	{"bom", true, "a UTF-8 byte order mark first", nil},
	{"prompt", true, "the shell prompt and command line before the output", func(ls []string) []string {
		return append([]string{"$ kube-bench run --targets master,node"}, ls...)
	}},
	{"fenced", true, "a Markdown code fence around the text", func(ls []string) []string {
		return append(append([]string{"```"}, trimEnd(ls)...), "```", "")
	}},
	{"fenced-prompt", true, "a Markdown code fence around a prompt line and the text", func(ls []string) []string {
		return append(append([]string{"```console", "root@node-1:~# kube-bench run"}, trimEnd(ls)...), "```", "")
	}},
	{"wrap80", false, "lines longer than 80 columns wrapped by the terminal at column 80", func(ls []string) []string {
		var out []string
		for _, l := range ls {
			r := []rune(l)
			for len(r) > 80 {
				out = append(out, string(r[:80]))
				r = r[80:]
			}
			out = append(out, string(r))
		}
		return out
	}},
	{"leading-blank-line", true, "one blank line before the text", func(ls []string) []string {
		return append([]string{""}, ls...)
	}},
	{"summary-trailing-blanks", false, "trailing blanks after every `== Summary ... ==` and `== Remediations ... ==` heading", func(ls []string) []string {
		return each(ls, func(_ int, l string) string {
			if heading.MatchString(l) {
				return l + "  "
			}
			return l
		})
	}},
}

// logsInterleaved is not a paste but a capture: glog lines of kube-bench
// between the sections of its text, as `kubectl logs` shows a run whose
// stderr and stdout reach the log in another order.
var logsInterleaved = variant{"logs-interleaved", false, "glog lines between the sections", func(ls []string) []string {
	var out []string
	n := 0
	for _, l := range ls {
		if heading.MatchString(l) || section.MatchString(l) {
			out = append(out, glog[n%len(glog)])
			n++
		}
		out = append(out, l)
	}
	return out
}}

var (
	heading = regexp.MustCompile(`^== (Summary|Remediations)\b.*==$`)
	section = regexp.MustCompile(`^\[INFO\] [0-9]+ `)
	glog    = []string{
		"I1201 12:00:00.000000       1 util.go:396] Unable to get Kubernetes version from kubectl, using default version: 1.18",
		"W1201 12:00:00.000000       1 util.go:624] Can't find oc command: exec: \"oc\": executable file not found in $PATH",
		"I1201 12:00:00.000000       1 common.go:78] Using test file: /opt/kube-bench/cfg/cis-1.10/node.yaml",
		"E1201 12:00:00.000000       1 check.go:195] failed to run: \"/bin/sh -c 'kubectl version'\", output: \"\", error: exit status 1",
	}
)

func each(ls []string, f func(int, string) string) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = f(i, l)
	}
	return out
}

func nonEmpty(l, indent string) string {
	if l == "" {
		return l
	}
	return indent + l
}

// trimEnd drops the empty last line that a final newline leaves.
func trimEnd(ls []string) []string {
	if len(ls) > 0 && ls[len(ls)-1] == "" {
		return ls[:len(ls)-1]
	}
	return ls
}

func main() {
	name := flag.String("v", "", "the variant")
	list := flag.String("list", "", "list the variants for text or json and exit")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: paste -v VARIANT < kube-bench-output > pasted\n       paste -list text|json\nvariants:")
		for _, v := range append(variants, logsInterleaved) {
			fmt.Fprintf(os.Stderr, "  %-24s %s\n", v.name, v.about)
		}
	}
	flag.Parse()
	if *list != "" {
		for _, v := range variants {
			if *list == "text" || v.json {
				fmt.Println(v.name)
			}
		}
		return
	}
	v, ok := find(*name)
	if !ok {
		fmt.Fprintf(os.Stderr, "paste: unknown variant %q (paste -list text)\n", *name)
		os.Exit(2)
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "paste: read stdin: %v\n", err)
		os.Exit(1)
	}
	if _, err := os.Stdout.Write(apply(v, in)); err != nil {
		fmt.Fprintf(os.Stderr, "paste: write stdout: %v\n", err)
		os.Exit(1)
	}
}

func find(name string) (variant, bool) {
	if name == logsInterleaved.name {
		return logsInterleaved, true
	}
	for _, v := range variants {
		if v.name == name {
			return v, true
		}
	}
	return variant{}, false
}

func apply(v variant, in []byte) []byte {
	lines := strings.Split(string(in), "\n")
	if v.apply != nil {
		lines = v.apply(lines)
	}
	out := []byte(strings.Join(lines, "\n"))
	switch v.name {
	case "crlf":
		out = bytes.ReplaceAll(out, []byte("\n"), []byte("\r\n"))
	case "bom":
		out = append([]byte("\xef\xbb\xbf"), out...)
	}
	return out
}
