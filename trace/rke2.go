package trace

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// rke2Args are the keys of an RKE2 or k3s config.yaml that pass flags to
// a component, each a list of "flag=value".
var rke2Args = []struct{ key, name string }{
	{"kube-apiserver-arg", APIServer},
	{"kube-controller-manager-arg", ControllerManager},
	{"kube-scheduler-arg", Scheduler},
	{"etcd-arg", Etcd},
	{"kubelet-arg", Kubelet},
	{"kube-proxy-arg", Proxy},
}

// rke2Keys are other keys only an RKE2 or k3s config has.
var rke2Keys = []string{"profile", "write-kubeconfig-mode", "tls-san", "cni", "token", "server", "node-name", "protect-kernel-defaults", "secrets-encryption", "cluster-cidr", "disable"}

func isRKE2(m *yaml.Node) bool {
	for _, a := range rke2Args {
		if get(m, a.key) != nil {
			return true
		}
	}
	for _, k := range rke2Keys {
		if get(m, k) != nil {
			return true
		}
	}
	return false
}

// rke2 reads the components' flags of an RKE2/k3s config: one component
// per key. RKE2 and k3s join their own flags with these ("flag=value"
// replaces their own of that name), so the command lines are marked
// Incomplete.
func (l *loader) rke2(p string, m *yaml.Node) {
	for _, a := range rke2Args {
		comp := &Component{Name: a.name, Source: RKE2, File: p, Pos: pos(p, m), Incomplete: true}
		k, v := keyNode(m, a.key), get(m, a.key)
		switch {
		case v == nil:
			comp.insert = insertion{kind: editBare, line: lastLine(m), open: []string{a.key + ":"}, indent: "  "}
		case v.Kind == yaml.SequenceNode:
			comp.Pos = pos(p, k)
			flow := v.Style&yaml.FlowStyle != 0
			for _, it := range v.Content {
				if it.Kind != yaml.ScalarNode {
					continue
				}
				comp.Args = append(comp.Args, Arg{
					Text: "--" + strings.TrimLeft(it.Value, "-"), Pos: pos(p, it), Line: l.lineText(p, it.Line),
					edit: argEdit{kind: editBare, scalar: l.styledOf(p, it, flow), itemStart: it.Line, itemEnd: it.Line},
				})
			}
			if len(v.Content) > 0 {
				if last := v.Content[len(v.Content)-1]; last.Kind == yaml.ScalarNode {
					comp.insert = insertion{kind: editBare, after: l.styledOf(p, last, flow)}
				}
			}
		case v.Kind == yaml.ScalarNode && v.Value != "":
			// a single "flag=value" as a string
			comp.Pos = pos(p, k)
			comp.Args = append(comp.Args, Arg{
				Text: "--" + strings.TrimLeft(v.Value, "-"), Pos: pos(p, v), Line: l.lineText(p, v.Line),
				edit: argEdit{kind: editBare, scalar: l.styledOf(p, v, false), itemStart: v.Line, itemEnd: v.Line},
			})
		}
		// RKE2 and k3s write the flags sorted by name, repeated names in
		// their order (k3s pkg/daemons/config GetArgs)
		sort.SliceStable(comp.Args, func(i, j int) bool {
			ni, _, _ := strings.Cut(comp.Args[i].Text, "=")
			nj, _, _ := strings.Cut(comp.Args[j].Text, "=")
			return ni < nj
		})
		if len(comp.Args) == 0 && v != nil {
			// present but empty: nothing to add to in place
			comp.insert = insertion{}
		}
		l.comps = append(l.comps, comp)
	}
}
