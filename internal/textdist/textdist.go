// Package textdist measures how far apart two short strings are, for the
// "did you mean" of misspelled flags, commands and YAML field names.
package textdist

// Distance is the optimal string alignment distance of a and b: the
// insertions, deletions, substitutions and swaps of neighbouring bytes
// that turn one into the other ("reveiw_date" is 1 from "review_date").
// Strings longer than 64 bytes are far from everything: 99.
func Distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
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
