package trace

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// kubeadmDefaults are the flags kubeadm (v1.29-v1.32) writes into the
// static Pod manifests by itself, before extraArgs are applied. Values
// that name a host's addresses are placeholders; no CIS test reads them.
// tools/kubeadm-defaults/check.sh holds them against kubeadm's source of
// v1.29.0, v1.30.2 and v1.32.0: the same flags, and the same literal values.
var kubeadmDefaults = map[string][]string{
	APIServer: {
		"--advertise-address=ADDRESS", "--allow-privileged=true", "--authorization-mode=Node,RBAC",
		"--client-ca-file=/etc/kubernetes/pki/ca.crt", "--enable-admission-plugins=NodeRestriction",
		"--enable-bootstrap-token-auth=true", "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
		"--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
		"--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key", "--etcd-servers=https://127.0.0.1:2379",
		"--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
		"--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
		"--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
		"--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt",
		"--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key",
		"--requestheader-allowed-names=front-proxy-client",
		"--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
		"--requestheader-extra-headers-prefix=X-Remote-Extra-", "--requestheader-group-headers=X-Remote-Group",
		"--requestheader-username-headers=X-Remote-User", "--secure-port=6443",
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file=/etc/kubernetes/pki/sa.pub",
		"--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
		"--service-cluster-ip-range=10.96.0.0/12", "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
		"--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
	},
	ControllerManager: {
		"--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
		"--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf", "--bind-address=127.0.0.1",
		"--client-ca-file=/etc/kubernetes/pki/ca.crt", "--cluster-name=kubernetes",
		"--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt", "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key",
		"--controllers=*,bootstrapsigner,tokencleaner", "--kubeconfig=/etc/kubernetes/controller-manager.conf",
		"--leader-elect=true", "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
		"--root-ca-file=/etc/kubernetes/pki/ca.crt", "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
		"--use-service-account-credentials=true",
	},
	Scheduler: {
		"--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
		"--authorization-kubeconfig=/etc/kubernetes/scheduler.conf", "--bind-address=127.0.0.1",
		"--kubeconfig=/etc/kubernetes/scheduler.conf", "--leader-elect=true",
	},
	Etcd: {
		"--advertise-client-urls=https://ADDRESS:2379", "--cert-file=/etc/kubernetes/pki/etcd/server.crt",
		"--client-cert-auth=true", "--data-dir=/var/lib/etcd", "--experimental-initial-corrupt-check=true",
		"--experimental-watch-progress-notify-interval=5s", "--initial-advertise-peer-urls=https://ADDRESS:2380",
		"--initial-cluster=NODE=https://ADDRESS:2380", "--key-file=/etc/kubernetes/pki/etcd/server.key",
		"--listen-client-urls=https://127.0.0.1:2379,https://ADDRESS:2379", "--listen-metrics-urls=http://127.0.0.1:2381",
		"--listen-peer-urls=https://ADDRESS:2380", "--name=NODE", "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt",
		"--peer-client-cert-auth=true", "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
		"--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--snapshot-count=10000",
		"--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
	},
}

// kubeadm reads a kubeadm configuration document: a ClusterConfiguration
// gives the control plane's command lines (kubeadm's defaults, each
// overridden by the extraArgs of the same name, sorted by name as
// kubeadm writes them); an Init/JoinConfiguration gives the kubelet's
// extra arguments.
func (l *loader) kubeadm(p string, m *yaml.Node, kind string) bool {
	switch kind {
	case "ClusterConfiguration":
		sections := []struct {
			name string
			path []string
		}{
			{APIServer, []string{"apiServer"}},
			{ControllerManager, []string{"controllerManager"}},
			{Scheduler, []string{"scheduler"}},
			{Etcd, []string{"etcd", "local"}},
		}
		for _, s := range sections {
			l.comps = append(l.comps, l.kubeadmComponent(p, m, s.name, s.path, "extraArgs", kubeadmDefaults[s.name]))
		}
		return true
	case "InitConfiguration", "JoinConfiguration":
		nr := get(m, "nodeRegistration")
		if nr == nil {
			return false
		}
		// kubeadm writes kubeletExtraArgs into kubeadm-flags.env, which its
		// drop-in puts after its own flags
		comp := l.kubeadmComponent(p, m, Kubelet, []string{"nodeRegistration"}, "kubeletExtraArgs", nil)
		var drop []Arg
		for _, d := range kubeadmDropIn {
			drop = append(drop, Arg{Text: d, Pos: comp.Pos, Default: true})
		}
		comp.Args = append(drop, comp.Args...)
		l.comps = append(l.comps, comp)
		return true
	}
	return false
}

// kubeadmComponent builds one component from a section's extra
// arguments: the map form of v1beta3 ("name: value") or the list form of
// v1beta4 ("- name: x" / "value: y").
func (l *loader) kubeadmComponent(p string, doc *yaml.Node, name string, sectionPath []string, field string, defaults []string) *Component {
	comp := &Component{Name: name, Source: Kubeadm, File: p, Pos: pos(p, doc)}
	// the section, as deep as it exists
	parent, parentKey := doc, (*yaml.Node)(nil)
	missing := []string{}
	var strip [2]int
	for i, k := range sectionPath {
		next := get(parent, k)
		if next == nil || next.Kind != yaml.MappingNode {
			missing = sectionPath[i:]
			break
		}
		parentKey, parent = keyNode(parent, k), next
		if next.Style&yaml.FlowStyle != 0 && len(next.Content) == 0 {
			// "scheduler: {}": drop the braces and open it as a block
			line := l.lineText(p, next.Line)
			at := next.Column - 1
			if at <= len(line) && strings.HasPrefix(line[at:], "{}") {
				start := at
				for start > 0 && line[start-1] == ' ' {
					start--
				}
				strip = [2]int{start, at + 2}
				missing = sectionPath[i+1:]
				break
			}
		}
	}
	if parentKey != nil {
		comp.Pos = pos(p, parentKey)
	}
	var extra []Arg
	var extraNode *yaml.Node
	if len(missing) == 0 && strip[1] == 0 {
		extraNode = get(parent, field)
	}
	switch {
	case extraNode != nil && extraNode.Kind == yaml.MappingNode && len(extraNode.Content) > 0:
		for i := 0; i+1 < len(extraNode.Content); i += 2 {
			k, v := extraNode.Content[i], extraNode.Content[i+1]
			if v.Kind != yaml.ScalarNode {
				continue
			}
			extra = append(extra, Arg{
				Text: "--" + k.Value + "=" + v.Value, Pos: pos(p, k), Line: l.lineText(p, k.Line),
				edit: argEdit{kind: editValue, scalar: l.styledOf(p, v, extraNode.Style&yaml.FlowStyle != 0), itemStart: k.Line, itemEnd: v.Line},
			})
		}
		last := extraNode.Content[len(extraNode.Content)-2]
		comp.insert = insertion{kind: editValue, line: lastLine(extraNode), indent: strings.Repeat(" ", last.Column-1)}
		if extraNode.Style&yaml.FlowStyle != 0 {
			comp.insert = insertion{}
		}
	case extraNode != nil && extraNode.Kind == yaml.SequenceNode && len(extraNode.Content) > 0:
		for _, item := range extraNode.Content {
			n, v := get(item, "name"), get(item, "value")
			if n == nil || n.Kind != yaml.ScalarNode {
				continue
			}
			val := ""
			a := Arg{Pos: pos(p, n), Line: l.lineText(p, n.Line), edit: argEdit{itemStart: item.Line, itemEnd: lastLine(item)}}
			if v != nil && v.Kind == yaml.ScalarNode {
				val = v.Value
				a.edit.kind = editValue
				a.edit.scalar = l.styledOf(p, v, item.Style&yaml.FlowStyle != 0)
				a.Pos = pos(p, v)
				a.Line = l.lineText(p, v.Line)
			}
			a.Text = "--" + n.Value + "=" + val
			extra = append(extra, a)
		}
		first := extraNode.Content[0]
		comp.insert = insertion{kind: editValue, line: lastLine(extraNode), indent: strings.Repeat(" ", max(first.Column-3, 0)), list: true}
		if extraNode.Style&yaml.FlowStyle != 0 {
			comp.insert = insertion{}
		}
	default:
		// no extra arguments yet: open the field (and sections) after the
		// deepest section there is, or after the document's last line
		indent := ""
		line := lastLine(doc)
		if parentKey != nil {
			indent = strings.Repeat(" ", parentKey.Column+1)
			line = parentKey.Line
			if extraNode != nil { // "extraArgs: {}" or "extraArgs: []"
				comp.insert = insertion{}
				break
			}
		}
		var open []string
		for _, k := range missing {
			open = append(open, indent+k+":")
			indent += "  "
		}
		open = append(open, indent+field+":")
		indent += "  "
		v1beta4 := strings.HasSuffix(scalarOf(get(doc, "apiVersion")), "/v1beta4")
		if v1beta4 {
			indent = indent[:len(indent)-2]
		}
		comp.insert = insertion{kind: editValue, line: line, indent: indent, open: open, list: v1beta4, strip: strip}
	}
	// kubeadm: each extra argument replaces the default of its name;
	// the command line is sorted by name (stable: repeated list items
	// keep their order)
	overridden := map[string]bool{}
	for _, a := range extra {
		n, _, _ := strings.Cut(a.Text, "=")
		overridden[n] = true
	}
	all := make([]Arg, 0, len(defaults)+len(extra))
	for _, d := range defaults {
		n, _, _ := strings.Cut(d, "=")
		if !overridden[n] {
			all = append(all, Arg{Text: d, Pos: comp.Pos, Default: true})
		}
	}
	all = append(all, extra...)
	sort.SliceStable(all, func(i, j int) bool {
		ni, _, _ := strings.Cut(all[i].Text, "=")
		nj, _, _ := strings.Cut(all[j].Text, "=")
		return ni < nj
	})
	comp.Args = all
	return comp
}

// lastLine is the last line a node's text is on.
func lastLine(n *yaml.Node) int {
	line := n.Line
	for _, c := range n.Content {
		if l := lastLine(c); l > line {
			line = l
		}
	}
	return line
}
