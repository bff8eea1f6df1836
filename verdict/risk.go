package verdict

import "github.com/bench-action/bench-action/catalog"

// Risk is a threat of the seed's threat model that a control guards
// against. Findings of such a control come first, highest risk first.
type Risk struct {
	ID    string // "anonymous-api": stable, for JSON and filters
	Title string // "anonymous API server access"
	// Rank orders risks: 1 is the highest. A finding without a risk comes
	// after every finding with one.
	Rank int
}

// The risks of the seed's threat model (its adversaries 1 to 5), ranked by
// blast radius: anonymous API access and unauthenticated etcd give control
// of the whole cluster; the read-only port and token reuse leak data or
// keep a stolen credential alive; the audit-log blind spot hides the rest.
var (
	RiskAnonymousAPI   = Risk{ID: "anonymous-api", Title: "anonymous API server access", Rank: 1}
	RiskEtcdNoAuth     = Risk{ID: "etcd-unauthenticated", Title: "unauthenticated etcd", Rank: 1}
	RiskKubeletRO      = Risk{ID: "kubelet-read-only-port", Title: "kubelet's unauthenticated read-only port", Rank: 2}
	RiskTokenReuse     = Risk{ID: "service-account-token-reuse", Title: "service-account token valid after deletion", Rank: 3}
	RiskAuditBlindSpot = Risk{ID: "audit-log-blind-spot", Title: "audit-log blind spot", Rank: 4}
)

// Risks lists the risks, highest first.
func Risks() []Risk {
	return []Risk{RiskAnonymousAPI, RiskEtcdNoAuth, RiskKubeletRO, RiskTokenReuse, RiskAuditBlindSpot}
}

// riskRow ties a control identity (see [catalog.Identity]) to a risk. The
// identity holds across benchmark versions and providers: cis-1.8's 1.2.17
// and cis-1.10's 1.2.16 are both "setting apiserver auditlogpath".
type riskRow struct {
	identity catalog.Identity
	risk     Risk
	why      string // the reviewed reason
}

// riskTable is small and reviewed: add a row only with its reason.
var riskTable = []riskRow{
	{"setting apiserver anonymousauth", RiskAnonymousAPI,
		"adversary 1: --anonymous-auth=true lets anyone without credentials reach the API server (cis 1.2.1)"},
	{"setting etcd clientcertauth", RiskEtcdNoAuth,
		"adversary 3: without --client-cert-auth any client reaching port 2379 reads every secret (cis 2.2)"},
	{"setting etcd certfile,keyfile", RiskEtcdNoAuth,
		"adversary 3: without --cert-file/--key-file etcd serves clients in plaintext, no TLS (cis 2.1, the shipped alert's etcd TLS check)"},
	{"setting kubelet readonlyport", RiskKubeletRO,
		"adversary 2: the read-only port 10255 serves /pods and /metrics without authentication (cis 4.2.4)"},
	{"setting apiserver serviceaccountlookup", RiskTokenReuse,
		"adversary 4: --service-account-lookup=false keeps a deleted service account's token valid"},
	{"setting apiserver auditlogpath", RiskAuditBlindSpot,
		"adversary 5: without --audit-log-path no API call is recorded"},
}

var riskByIdentity = func() map[catalog.Identity]Risk {
	m := make(map[catalog.Identity]Risk, len(riskTable))
	for _, r := range riskTable {
		m[r.identity] = r.risk
	}
	return m
}()

// RiskOf returns the risk a control of the catalog guards against, if any.
func RiskOf(c catalog.Control) (Risk, bool) {
	r, ok := riskByIdentity[c.Identity]
	return r, ok
}

// rank orders a finding's risk: lower first, no risk last.
func rank(r *Risk) int {
	if r == nil {
		return 1 << 30
	}
	return r.Rank
}
