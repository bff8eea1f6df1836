package exceptions

import (
	"strings"
	"unicode"

	"github.com/bench-action/bench-action/benchresult"
)

// sameControl reports whether description (as written in an exception's
// check_description; d its words) names the control whose kube-bench text
// has the words t. Evaluate asks it only for benchmarks the catalog does
// not know: elsewhere the control's identity decides.
//
// The two are rarely equal: people write "AlwaysPullImages admission
// plugin" for "Ensure that the admission control plugin AlwaysPullImages is
// set (Manual)". So the comparison is on words: both are folded with
// [benchresult.NormalizeText], split into words (a flag such as
// "--audit-log-path" gives the word "audit-log-path" and its parts),
// and words that every CIS text uses ("ensure", "verify", "that", "the",
// "is", "set", "to", "argument", ...) are dropped. The description matches
// when the words of the text cover at least 80% of its words, each word
// weighted by its length, so that the distinctive long words ("profiling",
// "alwayspullimages", "audit-log-path") decide, not the common short ones.
// A negation decides too: "DenyServiceExternalIPs is not set" is not
// "DenyServiceExternalIPs is set". It is compared when the description
// has one or is a whole benchmark sentence ("Ensure ...", "Verify ...");
// a short phrase such as "--rotate-certificates" may leave it out.
func sameControl(description string, d, t map[string]bool) bool {
	if coverage(d, t) < sameControlThreshold {
		return false
	}
	if d["not"] || isSentence(description) {
		return d["not"] == t["not"]
	}
	return true
}

func isSentence(s string) bool {
	f := strings.Fields(strings.ToLower(s))
	return len(f) > 0 && (f[0] == "ensure" || f[0] == "verify")
}

const sameControlThreshold = 0.8

var stopwords = map[string]bool{
	"ensure": true, "verify": true, "that": true, "the": true, "is": true, "are": true,
	"be": true, "set": true, "to": true, "argument": true, "arguments": true, "a": true,
	"an": true, "as": true, "of": true, "or": true, "and": true, "appropriate": true,
	"parameter": true, "parameters": true, "flag": true,
}

// words returns the significant words of s, each once.
func words(s string) map[string]bool {
	s = benchresult.NormalizeText(s)
	out := map[string]bool{}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-'
	}) {
		w = strings.Trim(w, "-")
		if w == "" || stopwords[w] {
			continue
		}
		out[w] = true
		if strings.Contains(w, "-") {
			for _, part := range strings.Split(w, "-") {
				if part != "" && !stopwords[part] {
					out[part] = true
				}
			}
		}
	}
	return out
}

// coverage is the share of d's words (weighted by length) found in t.
// An empty d (a description of stop words only) says nothing: 1.
func coverage(d, t map[string]bool) float64 {
	var all, found int
	for w := range d {
		n := len(w)
		all += n
		if t[w] {
			found += n
		}
	}
	if all == 0 {
		return 1
	}
	return float64(found) / float64(all)
}

// jaccard is the weighted overlap of two word sets, for ranking candidates.
func jaccard(a, b map[string]bool) float64 {
	var inter, union int
	for w := range a {
		union += len(w)
		if b[w] {
			inter += len(w)
		}
	}
	for w := range b {
		if !a[w] {
			union += len(w)
		}
	}
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}
