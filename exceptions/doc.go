// Package exceptions reads the file in which a team records the kube-bench
// FAILs it accepts, who owns which checks, and until when; and it matches
// those exceptions to results.
//
// # The file
//
// An exceptions file (kube-bench-exceptions.yaml) is YAML with two lists:
//
//	exceptions:
//	  - check_id: "1.2.11"            # required: an id, or a section pattern "1.2.*"
//	    check_description: "AlwaysPullImages admission plugin"  # optional: guards against renumbering (for "1.2.*": the section title)
//	    benchmark: cis-1.10           # optional scope (a glob), as are
//	    target: master                #   target (one of Targets: eks-stig repeats ids),
//	    nodes: ["worker-*"]           #   nodes and
//	    clusters: ["prod-*"]          #   clusters (globs of path.Match); absent means any
//	    reason: "why the risk is accepted"     # required
//	    owner: platform-team                   # required
//	    review_date: "2026-11-01"              # required, YYYY-MM-DD; holds through that day
//	    risk_accepted_by: security-eng         # required
//	owners:                           # who owns a FAIL; the last matching rule wins
//	  - checks: ["1.*", "2.*", "3.*"]
//	    owner: platform-team
//	  - checks: ["4.*"]
//	    owner: infrastructure-team
//
// The fields of the original kube-bench-exceptions.yaml (check_id,
// check_description, reason, owner, review_date, risk_accepted_by) keep
// their meaning.
//
// # Validation
//
// [Parse] and [LoadFile] are strict, and report every problem at once in a
// [*ValidationError], one "file:line: message" per problem: YAML syntax
// (tabs included), anchors and aliases (refused, so alias bombs cost
// nothing), duplicate keys, unknown fields ("reveiw_date", with a
// suggestion), wrong types, missing or empty required fields, dates that
// are not YYYY-MM-DD or do not exist (Feb 30), review dates more than
// [ParseOptions].MaxReviewYears ahead, invalid id patterns and globs,
// duplicate exceptions (same check_id and scope), and the size limits.
//
// # Matching
//
// [Evaluate] matches exceptions to check results given today's date: an
// exception accepts a FAIL (never a WARN or a PASS) whose id and scope it
// covers, through its review date inclusive. Every exception gets a
// [State]: active, expiring (review date within the warning window),
// expired (the FAILs it matched are open again), unused (nothing to
// accept: remove it), retargeted (the id now names another control than
// check_description says, as when cis-1.8's 1.2.16 "--profiling" became
// cis-1.10's 1.2.16 "--audit-log-path") or unpinned (it names neither
// check_description nor benchmark: a renumbering would move it silently).
// Where the catalog knows the benchmark, check_description is resolved to
// the control it describes and compared by identity (see [Evaluate]); the
// words are compared only for benchmarks it does not know. A retargeted
// exception does not apply; the status names the one id the described
// control has now, or says it no longer exists. An expired exception is
// expired whatever else is wrong with it.
//
// # Owners
//
// [File.OwnerOf] names who owns a check: the last owners rule matching
// its id, else the owner of the exception that matched it, else [Unowned].
//
// The package never reads the clock or the environment: today is passed in.
package exceptions
