package verdict

import (
	"fmt"
	"testing"

	"github.com/bench-action/bench-action/catalog"
)

// TestRiskTableCoversEveryCIS: every risk maps to at least one control of
// every CIS benchmark, and every row of the table to a control of each,
// so a row whose identity the catalog no longer produces is caught.
func TestRiskTableCoversEveryCIS(t *testing.T) {
	t.Parallel()
	for _, b := range []string{"cis-1.5", "cis-1.6", "cis-1.7", "cis-1.8", "cis-1.9", "cis-1.10", "cis-1.11", "cis-1.12"} {
		if !catalog.Known(b) {
			t.Errorf("%s: not in the catalog", b)
			continue
		}
		byRisk := map[string][]string{}
		for _, row := range riskTable {
			found := catalog.Find(b, row.identity)
			if len(found) == 0 {
				t.Errorf("%s: no control has identity %q (%s)", b, row.identity, row.why)
			}
			for _, c := range found {
				r, ok := RiskOf(c)
				if !ok || r != row.risk {
					t.Errorf("%s %s: RiskOf = %v, %v; want %v", b, c.ID, r, ok, row.risk)
				}
				byRisk[row.risk.ID] = append(byRisk[row.risk.ID], c.ID)
			}
		}
		for _, r := range Risks() {
			if len(byRisk[r.ID]) == 0 {
				t.Errorf("%s: risk %s maps to no control", b, r.ID)
			}
		}
		t.Log(b, fmt.Sprint(byRisk))
	}
}
