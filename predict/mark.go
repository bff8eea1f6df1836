package predict

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/bench-action/bench-action/baseline"
	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// Unpredictable is a check whose result the configuration files do not
// decide: a file's mode or owner on the node, a component the files do not
// describe, a cluster-wide query. Its status in predict's output is not the
// sandbox's (which would be a guess) but INFO, or the status a live
// baseline recorded for it.
type Unpredictable struct {
	Target, ID string
	Why        string // "file mode on the node", "the files do not describe kube-proxy", ...
	Sandbox    string // the status kube-bench gave it in the sandbox
	Status     string // its status in the output: INFO, or the baseline's
	From       string // where Status comes from: "" (INFO), or "baseline (node cp-1)"
}

// The fields predict adds to a result of kube-bench's JSON that it does not
// predict. benchresult's parser ignores them; a reader of the JSON sees why
// the status is what it is.
const (
	fieldWhy     = "predict"                // "not predictable from the repository: WHY"
	fieldSandbox = "predict_sandbox_status" // the status kube-bench gave in the sandbox
	fieldFrom    = "predict_status_from"    // "baseline (node cp-1)", when a baseline gave the status
)

// notPredictable starts the text of fieldWhy.
const notPredictable = "not predictable from the repository: "

// Mark rewrites kube-bench's JSON of a sandbox node: each check that the
// node's files do not decide (see [Unpredictable]) gets status INFO, or the
// status base records for it (from the nodes of base that have the same
// role: the worst of them), and the fields "predict",
// "predict_sandbox_status" and "predict_status_from"; the totals are
// counted again. Every other check is kube-bench's, unchanged. base may be
// nil.
func Mark(out []byte, node Node, base *baseline.Baseline) (Marked, error) {
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return Marked{}, fmt.Errorf("read kube-bench's JSON of node %s: %w", node.Name, err)
	}
	controls, _ := doc["Controls"].([]any)
	live := liveStatuses(base, node)
	var list []Unpredictable
	var total benchresult.Totals
	for _, c := range controls {
		cm, ok := c.(map[string]any)
		if !ok {
			continue
		}
		bench, _ := cm["version"].(string)
		target, _ := cm["node_type"].(string)
		var ctotal benchresult.Totals
		groups, _ := cm["tests"].([]any)
		for _, g := range groups {
			gm, ok := g.(map[string]any)
			if !ok {
				continue
			}
			var gtotal benchresult.Totals
			results, _ := gm["results"].([]any)
			for _, r := range results {
				rm, ok := r.(map[string]any)
				if !ok {
					continue
				}
				id, _ := rm["test_number"].(string)
				status, _ := rm["status"].(string)
				if why := unpredictable(node, bench, target, id); why != "" {
					u := Unpredictable{Target: target, ID: id, Why: why, Sandbox: status, Status: "INFO"}
					l, ok := live[liveKey{bench, target, id}]
					if !ok {
						l, ok = live[liveKey{"", target, id}] // a baseline that names no benchmark
					}
					if ok {
						u.Status, u.From = l.status, "baseline ("+l.from+")"
						rm[fieldFrom] = u.From
					}
					rm[fieldWhy] = notPredictable + why
					rm[fieldSandbox] = status
					rm["status"] = u.Status
					status = u.Status
					list = append(list, u)
				}
				if st, err := benchresult.ParseStatus(status); err == nil {
					gtotal.Add(st)
				}
			}
			putTotals(gm, "", gtotal)
			ctotal = ctotal.Plus(gtotal)
		}
		putTotals(cm, "total_", ctotal)
		total = total.Plus(ctotal)
	}
	if t, ok := doc["Totals"].(map[string]any); ok {
		putTotals(t, "total_", total)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return Marked{}, fmt.Errorf("write the JSON of node %s: %w", node.Name, err)
	}
	return Marked{JSON: b.Bytes(), Unpredictable: list, Totals: total}, nil
}

// Marked is kube-bench's JSON of a node after [Mark].
type Marked struct {
	JSON          []byte
	Unpredictable []Unpredictable
	Totals        benchresult.Totals // counted after marking
}

// unpredictable says why the node's files do not decide a check's result,
// or "" when they do, from what the catalog says the check audits.
func unpredictable(node Node, bench, target, id string) string {
	c, ok := catalog.Lookup(bench, target, id)
	if !ok {
		return "the catalog does not know " + bench + " " + target + " " + id
	}
	if c.Kind() != catalog.Automated {
		return "" // WARN or INFO whatever the node holds
	}
	kind, rest, _ := strings.Cut(string(c.Identity), " ")
	switch kind {
	case "mode":
		return "the permissions of a file on the node"
	case "owner":
		return "the owner of a file on the node"
	case "setting":
		comp, _, _ := strings.Cut(rest, " ")
		if node.describes(comp) {
			return node.unreadFile(comp, c.Audit)
		}
		if bin, ok := binaries[comp]; ok {
			return "the files do not describe " + bin
		}
		return "the files do not describe " + comp
	case "text":
		if target == "policies" || target == "managedservices" {
			return "a cluster-wide query"
		}
		return "an audit of the node that is not in the files"
	}
	return "an audit of the node that is not in the files"
}

// fileFlag finds the flag of an audit that reads the file a flag names
// (cis-1.10's 1.2.28: `grep -- --encryption-provider-config | sed ...`, then
// `test -e` and `grep` of that file).
var fileFlag = regexp.MustCompile(`grep -- (--[a-z0-9-]+)`)

// unreadFile says why a check is not predictable when its audit reads a
// file named by a flag of the component and the files do not hold that
// file: kube-bench would find it on the node, not in the sandbox. "" when
// there is no such file, or it is on the node.
func (n Node) unreadFile(comp, audit string) string {
	m := fileFlag.FindStringSubmatch(audit)
	if m == nil || !(strings.Contains(audit, "test -e") || strings.Contains(audit, "cat ")) {
		return ""
	}
	for _, p := range n.Processes {
		if p.Component != comp {
			continue
		}
		file := lastFlag(p.Argv, m[1], "")
		if file == "" {
			return "" // no such flag: kube-bench's test sees that
		}
		for _, f := range n.Files {
			if f.Path == file {
				return ""
			}
		}
		return "the file " + m[1] + " names (" + file + ") is not in the files"
	}
	return ""
}

// putTotals writes t into a JSON object as kube-bench names them (prefix
// "total_" for a target and the run, "" for a group), where it has them.
func putTotals(m map[string]any, prefix string, t benchresult.Totals) {
	for k, v := range map[string]int{"pass": t.Pass, "fail": t.Fail, "warn": t.Warn, "info": t.Info} {
		if _, ok := m[prefix+k]; ok {
			m[prefix+k] = v
		}
	}
}

type liveKey struct{ bench, target, id string }

type liveStatus struct {
	status string
	from   string
}

// liveStatuses are the statuses base records of the nodes with node's role
// (a control plane runs the master target, a worker does not), the worst of
// them for each check; cluster-wide targets have no node.
func liveStatuses(base *baseline.Baseline, node Node) map[liveKey]liveStatus {
	if base == nil || base.Legacy {
		return nil
	}
	controlPlane := false
	for _, t := range node.Targets {
		controlPlane = controlPlane || t == "master"
	}
	masters := map[string]bool{}
	for _, e := range base.Entries {
		if e.Key.Target == "master" {
			masters[e.Key.Node] = true
		}
	}
	type worst struct {
		status benchresult.Status
		nodes  []string
	}
	w := map[liveKey]*worst{}
	for _, e := range base.Entries {
		if e.Key.Node != "" && masters[e.Key.Node] != controlPlane {
			continue
		}
		k := liveKey{e.Key.Benchmark, string(e.Key.Target), e.Key.ID}
		cur, ok := w[k]
		switch {
		case !ok:
			w[k] = &worst{e.Status, []string{e.Key.Node}}
		case e.Status.Severity() > cur.status.Severity():
			cur.status, cur.nodes = e.Status, []string{e.Key.Node}
		case e.Status == cur.status:
			cur.nodes = append(cur.nodes, e.Key.Node)
		}
	}
	out := map[liveKey]liveStatus{}
	for k, v := range w {
		sort.Strings(v.nodes)
		from := "cluster-wide"
		if v.nodes[0] != "" {
			from = "node " + v.nodes[0]
			if len(v.nodes) > 1 {
				from = fmt.Sprintf("nodes %s and %d more", v.nodes[0], len(v.nodes)-1)
			}
		}
		status := v.status.String()
		if v.status == benchresult.NotApplicable {
			status = "INFO" // kube-bench has no such status; a profile will mark it again
		}
		out[k] = liveStatus{status, from}
	}
	return out
}
