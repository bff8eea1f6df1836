package trace

import (
	"fmt"
	"sort"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// auditComponents maps kube-bench's binary variables to components.
var auditComponents = []struct{ variable, name string }{
	{"$apiserverbin", APIServer},
	{"$controllermanagerbin", ControllerManager},
	{"$schedulerbin", Scheduler},
	{"$etcdbin", Etcd},
	{"$kubeletbin", Kubelet},
	{"$proxybin", Proxy},
}

// tested returns the component a control's audit reads the command line
// of, and the test items that are flags, config keys or environment
// variables; "" when the control reads something else.
func tested(ctl catalog.Control) (string, []catalog.TestItem) {
	if !ctl.CarriesTest() || !strings.Contains(ctl.Audit, "ps ") {
		return "", nil
	}
	name := ""
	for _, a := range auditComponents {
		if strings.Contains(ctl.Audit, a.variable) {
			name = a.name
			break
		}
	}
	if name == "" {
		return "", nil
	}
	for _, t := range ctl.Tests.Items {
		if !strings.HasPrefix(t.Flag, "-") && t.Path == "" && t.Env == "" {
			return "", nil // "permissions", "root:root": the audit reads a file's mode, not a flag
		}
	}
	return name, ctl.Tests.Items
}

func traceCheck(cfg *Config, c Check) []Finding {
	if cfg == nil {
		return nil
	}
	ctl, ok := catalog.Lookup(c.Benchmark, "", c.ID)
	if !ok {
		return nil
	}
	return traceControl(cfg, ctl, c)
}

func traceControl(cfg *Config, ctl catalog.Control, c Check) []Finding {
	name, items := tested(ctl)
	if name == "" {
		return nil
	}
	var out []Finding
	for _, comp := range cfg.Lookup(name) {
		out = append(out, evaluate(cfg, ctl, c, comp, items))
	}
	return out
}

// reading is one item's two readings and the test against each.
type reading struct {
	t          catalog.TestItem
	kb, eff    Value
	kbOK, effO bool
	// kbArg and effFlags locate the command-line items
	kbArg    int
	effFlags []flagUse
	effLast  *flagUse
}

func evaluate(cfg *Config, ctl catalog.Control, c Check, comp *Component, items []catalog.TestItem) Finding {
	f := Finding{Benchmark: c.Benchmark, ID: c.ID, Component: comp.Name, Source: comp.Source, File: comp.File, Line: comp.Pos.Line}
	var rs []reading
	for _, t := range items {
		r := read(ctl, comp, t)
		rs = append(rs, r)
		it := Item{Setting: settingName(t), Env: t.Env, Test: describeTest(t), KubeBench: r.kb, Effective: r.eff}
		if t.Path != "" {
			it.Key = dottedPath(t.Path)
		}
		f.Items = append(f.Items, it)
	}
	if comp.Incomplete {
		f.Undecided = true
		for _, r := range rs {
			if r.kb.Set || r.eff.Set {
				f.Undecided = false
			}
		}
	}
	f.KubeBenchPasses = combine(ctl.Tests.BinOp, rs, func(r reading) bool { return r.kbOK })
	f.Passes = combine(ctl.Tests.BinOp, rs, func(r reading) bool { return r.effO })

	kbPasses := f.KubeBenchPasses
	if c.Status != 0 {
		kbPasses = c.Status == benchresult.Pass
	}
	if kbPasses != f.Passes {
		f.Disagreement = disagreement(c, comp, kbPasses, rs)
	}
	if !(f.KubeBenchPasses && f.Passes && kbPasses) {
		f.Fix, f.Advice = fix(cfg, ctl, comp, rs)
	}
	// point at the first edit, else the first failing item's line
	switch {
	case len(f.Fix) > 0:
		f.File, f.Line = f.Fix[0].File, f.Fix[0].Line
		if ins := insertedAt(f.Fix[0]); ins > 0 {
			f.Line = min(ins, len(cfg.lines[f.File]))
		}
	default:
		for _, r := range rs {
			if r.kbOK && r.effO {
				continue
			}
			for _, v := range []Value{r.eff, r.kb} {
				if v.Set && v.Pos.Line > 0 {
					f.File, f.Line = v.Pos.File, v.Pos.Line
					return f
				}
			}
			if strings.HasPrefix(r.t.Flag, "-") && !(comp.Name == Kubelet && comp.KubeletConfig != nil && r.t.Path != "") {
				if file, line := comp.insertLine(r.t.Flag); line > 0 {
					f.File, f.Line = file, min(line, len(cfg.lines[file]))
					return f
				}
			}
		}
	}
	return f
}

// insertedAt is the line an insertion's first new line will be on, 0
// for an edit that rewrites lines.
func insertedAt(e Edit) int {
	if e.New != e.Old && strings.HasPrefix(e.New, e.Old+"\n") {
		return e.EndLine + 1
	}
	return 0
}

func combine(op string, rs []reading, ok func(reading) bool) bool {
	if op == "or" {
		for _, r := range rs {
			if ok(r) {
				return true
			}
		}
		return false
	}
	for _, r := range rs {
		if !ok(r) {
			return false
		}
	}
	return true
}

func settingName(t catalog.TestItem) string {
	switch {
	case strings.HasPrefix(t.Flag, "-"):
		return t.Flag
	case t.Path != "":
		return dottedPath(t.Path)
	case t.Env != "":
		return t.Env
	}
	return t.Flag
}

// dottedPath turns kube-bench's jsonpath ("{.authentication.anonymous.enabled}",
// "{range .tlsCipherSuites[:]}{}{','}{end}") into a dotted key.
func dottedPath(p string) string {
	p = strings.TrimSpace(p)
	if strings.HasPrefix(p, "{range ") {
		p = strings.TrimPrefix(p, "{range ")
		if i := strings.IndexAny(p, "[}"); i >= 0 {
			p = p[:i]
		}
	}
	p = strings.Trim(p, "{}")
	return strings.TrimPrefix(p, ".")
}

// read gives one test item's two readings on a component.
func read(ctl catalog.Control, comp *Component, t catalog.TestItem) reading {
	r := reading{t: t, kbArg: -1}

	// kube-bench: the command line; then the config file (when the check
	// has an audit_config and the file is there); then the environment
	kbFound := false
	if t.Flag != "" {
		if v, arg, found := kubeBenchFlag(comp, t.Flag); found {
			kbFound = true
			r.kbArg = arg
			r.kb = Value{Set: true, Value: v, From: "command line"}
			if arg >= 0 {
				a := comp.Args[arg]
				r.kb.Pos, r.kb.Text = a.Pos, a.Text
				if a.Default {
					r.kb.From = "default"
				}
			}
		}
	}
	if kc := comp.kubeBenchConfig(); !kbFound && ctl.AuditConfig != "" && t.Path != "" && kc != nil && len(kc.Keys) > 0 {
		if k, ok := kc.LookupKey(dottedPath(t.Path)); ok && k.Value != "" {
			kbFound = true
			r.kb = Value{Set: true, Value: k.Value, From: "kubelet config", Pos: k.Pos, Text: strings.TrimSpace(k.Line)}
		}
	}
	// kube-bench gives a check with env tests an audit_env of its own
	// (cmd/common.go generateDefaultEnvAudit: the /proc/PID/environ of
	// the control file's one binary) unless disable_env_testing is set:
	// the etcd checks, the only ones with env tests
	if !kbFound && t.Env != "" && (ctl.AuditEnv != "" || ctl.Target == "etcd") {
		if e, ok := comp.LookupEnv(t.Env); ok && e.Value != "" {
			kbFound = true
			r.kb = Value{Set: true, Value: e.Value, From: "environment", Pos: e.Pos, Text: t.Env + "=" + e.Value}
		}
	}
	r.kbOK = satisfies(t, kbFound, r.kb.Value)

	// the component: the last occurrence of the flag; then the kubelet's
	// config file; then etcd's ETCD_* environment
	effFound := false
	switch {
	case strings.HasPrefix(t.Flag, "-"):
		if last, all, ok := lastFlag(comp.Args, t.Flag); ok {
			effFound = true
			r.effFlags = all
			r.effLast = &last
			a := comp.Args[last.arg]
			r.eff = Value{Set: true, Value: last.value, From: "command line", Pos: a.Pos, Text: a.Text}
			if last.split {
				r.eff.Text = a.Text + " " + comp.Args[last.valueArg].Text
			}
			if a.Default {
				r.eff.From = "default"
			}
		}
	case t.Flag != "":
		// a word kube-bench looks for anywhere (RotateKubeletServerCertificate
		// inside --feature-gates): the component reads it the same way
		if kbFound && r.kb.From != "kubelet config" {
			effFound, r.eff = true, r.kb
		}
	}
	if !effFound && t.Path != "" && comp.KubeletConfig != nil {
		if k, ok := comp.KubeletConfig.LookupKey(dottedPath(t.Path)); ok && k.Value != "" {
			effFound = true
			r.eff = Value{Set: true, Value: k.Value, From: "kubelet config", Pos: k.Pos, Text: strings.TrimSpace(k.Line)}
		}
	}
	if !effFound && comp.Name == Etcd {
		env := t.Env
		if env == "" && strings.HasPrefix(t.Flag, "--") {
			env = "ETCD_" + strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(t.Flag, "--"), "-", "_"))
		}
		if e, ok := comp.LookupEnv(env); ok && env != "" {
			effFound = true
			r.eff = Value{Set: true, Value: e.Value, From: "environment", Pos: e.Pos, Text: env + "=" + e.Value}
		}
	}
	r.effO = satisfies(t, effFound, r.eff.Value)
	return r
}

// disagreement says how kube-bench's verdict and the component's
// settings differ.
func disagreement(c Check, comp *Component, kbPasses bool, rs []reading) string {
	verb := "fails"
	if kbPasses {
		verb = "passes"
	}
	if c.Status != 0 && c.Status != benchresult.Pass && c.Status != benchresult.Fail {
		verb = "reports " + c.Status.String() + " on"
	}
	// the item whose readings differ, failing on the component's side
	// when kube-bench passes, passing when it fails
	for _, r := range rs {
		if r.effO == kbPasses || r.kbOK == r.effO && r.kb == r.eff {
			continue
		}
		var runs string
		switch {
		case r.eff.Set:
			runs = fmt.Sprintf("%s runs with `%s` from line %d of %s", comp.Name, effText(r), r.eff.Pos.Line, r.eff.Pos.File)
			if r.eff.From == "default" {
				runs = fmt.Sprintf("%s runs with `%s`, kubeadm's default", comp.Name, effText(r))
			}
		default:
			runs = fmt.Sprintf("%s runs without `%s`", comp.Name, settingName(r.t))
		}
		return fmt.Sprintf("kube-bench %s %s, but %s%s", verb, c.ID, runs, why(comp, r))
	}
	return ""
}

// effText writes the effective setting as the component takes it.
func effText(r reading) string {
	switch r.eff.From {
	case "command line", "default":
		return settingName(r.t) + "=" + r.eff.Value
	case "kubelet config":
		return dottedPath(r.t.Path) + ": " + strings.TrimSuffix(r.eff.Value, ",")
	}
	return r.eff.Text
}

// why explains the difference between the readings of one item.
func why(comp *Component, r reading) string {
	switch {
	case r.effLast != nil && r.effLast.split && r.kbArg == r.effLast.arg:
		return fmt.Sprintf(" (kube-bench reads `%s`, `%s` as two items: the flag alone, as `true`)", comp.Args[r.effLast.arg].Text, comp.Args[r.effLast.valueArg].Text)
	case len(r.effFlags) > 1 && r.kbArg >= 0 && r.kbArg != r.effLast.arg:
		return fmt.Sprintf(" (kube-bench reads the first of %d occurrences, `%s` on line %d; the last one wins)", len(r.effFlags), comp.Args[r.kbArg].Text, comp.Args[r.kbArg].Pos.Line)
	case r.eff.From == "kubelet config" && comp.kubeBenchReadsOther() || r.kb.From == "kubelet config" && comp.kubeBenchReadsOther():
		return fmt.Sprintf(" (kube-bench reads %s, the first of its $kubeletconf paths in the directory, not the kubelet's config)", comp.kbConfigFile)
	case r.kbArg >= 0 && r.effLast == nil:
		return fmt.Sprintf(" (kube-bench finds `%s` inside `%s`)", r.t.Flag, comp.Args[r.kbArg].Text)
	}
	return ""
}

// sortEdits orders edits by file and line.
func sortEdits(es []Edit) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].File != es[j].File {
			return es[i].File < es[j].File
		}
		return es[i].Line < es[j].Line
	})
}
