// Package trend keeps the history of benchmark runs and turns it into trend
// reports.
//
// # History
//
// A history file is JSON Lines: one [Record] per run, one run per line,
// appended by [Append] with a single write and never rewritten, so that an
// append costs the same on the first day and on the thousandth. [ReadHistory]
// reads it back; a last line torn by a run killed mid-write is dropped with
// a warning, a damaged line anywhere else is an error naming the file and
// the line. The seed's history (one JSON array, as report.py's write_trend
// writes it) is read too, and [WriteJSONLines] converts it. [Compact] applies
// a retention policy ([KeepPolicy]) in a separate step that writes a new
// file and renames it over the old one.
//
// # Reports
//
// [RenderMarkdown] writes, per cluster, a table of the last runs, Mermaid
// xychart-beta charts over time (FAIL on its own scale, WARN and PASS, and
// the nodes reported of those expected when a run missed some), what
// changed since the previous run and since a week before, and for each
// check how long it has been failing or how long it took to fix.
// [RenderHTML] writes the same as one self-contained, fluid HTML page with
// inline SVG charts (one per status, each on its own round-numbered
// scale), and a print stylesheet.
//
// # Coverage and staleness
//
// A run is expected to cover the nodes that reported in it or in one of
// the [CoverageWindow] runs before it ([Record.Nodes]). A check that failed
// on a node that did not report keeps its last known state, "not
// reported", and is never counted as fixed; a node gone for longer leaves
// its checks "not fixed: not reported by" it. A cluster is stale when its
// last run is more than [StaleAfter] older than the newest run of the
// history and more than twice its usual interval between runs.
//
// A check is followed as a control, by its identity in package
// [github.com/bench-action/bench-action/catalog], not by its id: across a
// benchmark upgrade a renumbered control keeps its "failing since", a
// reused id starts anew, and a control the new benchmark dropped is "no
// longer in" it rather than fixed. [Record.BenchmarkOf] says which benchmark
// a node's failing ids are of; where it cannot, the id decides.
// [History.FailingSince] gives the same "failing since" as the report, by
// check id, for other outputs (the Action's tracking issues).
//
// The report's tables name at most four nodes in a cell: "all 62 nodes"
// when a control fails on every node of a run that heard from all, else
// the first three and, folded in a <details>, the rest ("and 54 more").
//
// # Metrics
//
// The Prometheus series of a run are in package
// [github.com/bench-action/bench-action/metrics]; trend imports no
// Prometheus library, so reading or reporting history costs none of it.
//
// The package reads no clock and no environment: the caller passes the time
// of a run and "now".
package trend
