package catalog

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// Match is a control that a description may mean, and how well it fits.
type Match struct {
	Control
	// Score is higher the better the description fits; compare it only
	// between the matches of one call. Matches with equal scores are
	// equally likely (a description naming only "--profiling" fits the
	// API server, controller manager and scheduler checks alike).
	Score float64
	// Why lists what the description named that the control has:
	// "flag profiling", "file admin.conf", "value rbac", "word audit".
	Why []string
}

// Resolve reads a free-text description of a control (an exception's
// check_description, a line of an old report) and returns the controls of
// a benchmark it may describe, best first: at most five, none when nothing
// fits. Flag, config path and file names weigh most, then the values a
// control tests for (RBAC, Node, AlwaysPullImages), then words, rarer words
// more. Misspellings are forgiven: "--profilling" still names --profiling.
func Resolve(benchmark, description string) []Match {
	b, ok := load().prepared(benchmark)
	if !ok {
		return nil
	}
	ix := b.resolveIndex()
	q := queryTerms(description)
	var out []Match
	for ci, ct := range ix.controls {
		var score float64
		var why []string
		for _, n := range q.names {
			if w, how := ct.matchName(n); w > 0 {
				score += w
				why = append(why, how+" "+n)
			}
		}
		for _, f := range q.files {
			if ct.files[f] {
				score += 8
				why = append(why, "file "+f)
			}
		}
		for _, v := range q.words {
			if ct.values[v] {
				score += 5
				why = append(why, "value "+v)
				continue
			}
			if w := ix.wordWeight(ct, v); w > 0 {
				score += w
				why = append(why, "word "+v)
			}
		}
		if score > 0 {
			out = append(out, Match{Control: b.control(ix.defs[ci]), Score: math.Round(score*100) / 100, Why: why})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

// resolveIndex holds, per current check of a benchmark, the terms Resolve
// looks for.
type resolveIndex struct {
	defs     []int
	controls []controlTerms
	df       map[string]int // in how many checks a word occurs
}

type controlTerms struct {
	names  map[string]bool // canonical flag / path / env names it tests or its text names
	files  map[string]bool // files it audits: paths, base names, variables
	values map[string]bool // values it tests membership of (has, nothave)
	words  map[string]bool // words of its text
}

func (b *benchmark) resolveIndex() *resolveIndex {
	b.resolveOnce.Do(func() {
		ix := &resolveIndex{df: map[string]int{}}
		for _, i := range b.current {
			c := &b.defs[i].Control
			ct := controlTerms{names: map[string]bool{}, files: map[string]bool{}, values: map[string]bool{}, words: map[string]bool{}}
			for _, it := range c.Tests.Items {
				for _, n := range []string{it.Flag, it.Env} {
					if settingLike(n) {
						ct.names[canonName(n)] = true
					}
				}
				if it.Path != "" {
					p := canonPath(it.Path)
					ct.names[strings.ReplaceAll(p, ".", "")] = true
					if k := strings.LastIndexByte(p, '.'); k >= 0 {
						ct.names[p[k+1:]] = true
					}
				}
				if op := strings.TrimSpace(it.Op); op == "has" || op == "nothave" {
					for _, v := range strings.Split(it.Value, ",") {
						if v = canonName(v); v != "" && v != "true" && v != "false" && strings.Trim(v, "0123456789") != "" {
							ct.values[v] = true
						}
					}
				}
			}
			q := queryTerms(c.Text + " " + c.Section.Text)
			for _, n := range q.names {
				ct.names[n] = true
			}
			for _, f := range q.files {
				ct.files[f] = true
			}
			for _, w := range q.words {
				ct.words[w] = true
			}
			for _, w := range shellWords(c.Audit + " " + c.AuditConfig) {
				for _, f := range fileTerms(w) {
					ct.files[f] = true
				}
			}
			for w := range ct.words {
				ix.df[w]++
			}
			ix.defs = append(ix.defs, i)
			ix.controls = append(ix.controls, ct)
		}
		b.resolve = ix
	})
	return b.resolve
}

// matchName returns the weight of a flag or config name of a description
// in a control: exact, or misspelt by an edit or two.
func (ct controlTerms) matchName(n string) (float64, string) {
	if ct.names[n] {
		return 10, "flag"
	}
	best := 0.0
	for have := range ct.names {
		if d := editDistance(n, have); d <= allowedEdits(n) && best < 7 {
			best = 7
		}
	}
	if best > 0 {
		return best, "flag≈"
	}
	return 0, ""
}

// wordWeight weighs a word of a description found in a control's text:
// the rarer in the benchmark, the more it says.
func (ix *resolveIndex) wordWeight(ct controlTerms, w string) float64 {
	n := float64(len(ix.controls))
	idf := func(word string) float64 { return math.Log(1 + n/float64(ix.df[word])) }
	if ct.words[w] {
		return idf(w)
	}
	if len(w) < 5 {
		return 0
	}
	best := 0.0
	for have := range ct.words {
		if editDistance(w, have) <= allowedEdits(w) {
			best = max(best, 0.7*idf(have))
		}
	}
	return best
}

// query is what a description names.
type query struct {
	names []string // flags and config names, canonical ("profiling", "readonlyport")
	files []string // file names and variables ("admin.conf", "$kubeletconf")
	words []string // other words, lower case
}

var stopwords = map[string]bool{
	"the": true, "that": true, "and": true, "for": true, "are": true, "set": true, "is": true,
	"ensure": true, "argument": true, "arguments": true, "not": true, "appropriate": true, "with": true,
	"file": true, "files": true, "only": true, "use": true, "used": true, "where": true, "this": true,
	"automated": true, "manual": true, "scored": true, "more": true, "restrictive": true, "parameter": true,
	"verify": true, "all": true, "has": true, "have": true, "its": true, "which": true, "there": true,
}

func queryTerms(desc string) query {
	var q query
	add := func(list *[]string, s string) {
		if s != "" && !slices.Contains(*list, s) {
			*list = append(*list, s)
		}
	}
	for _, raw := range strings.FieldsFunc(desc, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '"' || r == '\'' || r == '`' || r == '(' || r == ')' || r == ',' || r == ';'
	}) {
		w := strings.TrimRight(raw, ".:!?")
		switch {
		case strings.HasPrefix(w, "--"):
			name, _, _ := strings.Cut(w, "=")
			add(&q.names, canonName(name))
			w = name // and its words: --read-only-port says "read only port"
		case strings.HasPrefix(w, "{.") || strings.HasPrefix(w, "$") || strings.Contains(w, "/") || looksLikeFile(w):
			for _, f := range fileTerms(w) {
				add(&q.files, f)
			}
			if strings.HasPrefix(w, "{.") {
				add(&q.names, strings.ReplaceAll(canonPath(w), ".", ""))
			}
			continue
		case isCamel(w) || strings.Count(w, "-") >= 1 && len(w) > 6:
			add(&q.names, canonName(w)) // readOnlyPort, anonymous-auth
		}
		for _, part := range strings.FieldsFunc(strings.ToLower(w), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
		}) {
			if len(part) >= 3 && !stopwords[part] {
				add(&q.words, part)
			}
		}
	}
	return q
}

// fileTerms returns the ways a description may name a file an audit
// reads: the path, its base name and a kube-bench variable.
func fileTerms(w string) []string {
	w = strings.Trim(w, "'\"{}")
	if strings.HasPrefix(w, "$") {
		var out []string
		return append(out, variablesIn(w)...)
	}
	if !strings.Contains(w, "/") && !looksLikeFile(w) {
		return nil
	}
	w = strings.TrimRight(w, "/")
	out := []string{strings.ToLower(w)}
	if i := strings.LastIndexByte(w, '/'); i >= 0 && i+1 < len(w) {
		out = append(out, strings.ToLower(w[i+1:]))
	}
	return out
}

// looksLikeFile reports a word such as admin.conf or kubelet.conf.
func looksLikeFile(w string) bool {
	i := strings.LastIndexByte(w, '.')
	if i <= 0 || i == len(w)-1 {
		return false
	}
	switch strings.ToLower(w[i+1:]) {
	case "conf", "yaml", "yml", "json", "kubeconfig", "crt", "key", "pem", "service", "config":
		return true
	}
	return false
}

// isCamel reports a config name such as readOnlyPort.
func isCamel(w string) bool {
	if len(w) < 6 || w[0] < 'a' || w[0] > 'z' {
		return false
	}
	for _, r := range w[1:] {
		if r >= 'A' && r <= 'Z' {
			return true
		}
	}
	return false
}

func allowedEdits(s string) int {
	switch {
	case len(s) >= 9:
		return 2
	case len(s) >= 5:
		return 1
	}
	return 0
}

// editDistance is the optimal string alignment distance of a and b
// (insertions, deletions, substitutions, adjacent transpositions).
func editDistance(a, b string) int {
	if a == b {
		return 0
	}
	if d := len(a) - len(b); d > 2 || d < -2 {
		return 3 // more than any caller allows
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
