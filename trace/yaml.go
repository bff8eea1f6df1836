package trace

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/bench-action/bench-action/internal/linebreak"
	"gopkg.in/yaml.v3"
)

// loader gathers what the files say; finish links units to their
// environment files and kubelets to their config files.
type loader struct {
	fsys     fs.FS
	comps    []*Component
	read     []string
	lines    map[string][]string
	envFiles map[string]*envFile
	units    []*unit
	kubelets []*KubeletConfig
	all      []string // every regular file's path
}

// docRef is a YAML document of a file, for edits that add keys.
type docRef struct {
	file string
	root *yaml.Node // the document's mapping
}

// styled is how a scalar is written, so that a rewrite keeps its quotes.
type styled struct {
	pos   Position
	style yaml.Style
	raw   int  // length of the scalar as written on its line
	flow  bool // in a flow sequence or mapping
}

// argEdit says how to rewrite an Arg: the scalar or shell word holding
// it, and what the scalar holds.
type argEdit struct {
	kind   editKind
	scalar styled
	// the lines of the whole item (a kubeadm extraArgs entry), to delete it
	itemStart, itemEnd int
}

type editKind uint8

const (
	editNone  editKind = iota
	editItem           // the scalar is the whole item: "--flag=value"
	editBare           // the scalar is "flag=value" (RKE2/k3s)
	editValue          // the scalar is the value alone (kubeadm extraArgs)
	editWord           // a shell word "--flag=value" in a unit or env file
)

// insertion is where a missing flag goes.
type insertion struct {
	kind   editKind
	after  styled // the scalar or word after which the new item goes (zero: see line)
	line   int    // with after zero: the line after which new lines go
	indent string // indentation of new lines
	// for kubeadm extraArgs / RKE2 keys missing altogether: lines that
	// open the section before the item ("extraArgs:")
	open  []string
	list  bool   // kubeadm v1beta4 list form (- name: x / value: y)
	strip [2]int // bytes of the line to drop first (" {}" of "scheduler: {}")
	// sorted: the items are flags sorted by name, and a new one goes in
	// its place, after head (the program's name) when it sorts first
	sorted bool
	head   styled
}

func (l *loader) readLines(p string, data []byte) {
	if l.lines == nil {
		l.lines = map[string][]string{}
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	l.lines[p] = strings.Split(s, "\n")
}

func (l *loader) lineText(p string, n int) string {
	ls := l.lines[p]
	if n < 1 || n > len(ls) {
		return ""
	}
	return ls[n-1]
}

// yamlFile reads each document of a YAML file.
func (l *loader) yamlFile(p string) error {
	data, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		return fmt.Errorf("read configs %s: %w", p, err)
	}
	if line, what, ok := linebreak.Foreign(data); ok {
		// yaml.v3 counts it as a line break, git, editors and GitHub do
		// not: every line named after it would be the wrong one
		return fmt.Errorf("read configs %s: line %d: %s, %s", p, line, what, linebreak.Why)
	}
	l.readLines(p, data)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	recognised := false
	var errs []error
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// yaml.v3 cannot resume after a syntax error
			errs = append(errs, fmt.Errorf("read configs %s: %w", p, err))
			break
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		ok, err := l.document(p, doc.Content[0])
		if err != nil {
			errs = append(errs, err)
		}
		recognised = recognised || ok
	}
	if recognised {
		l.read = append(l.read, p)
	}
	return errors.Join(errs...)
}

// document reads one YAML document by its kind.
func (l *loader) document(p string, m *yaml.Node) (bool, error) {
	kind := scalarOf(get(m, "kind"))
	api := scalarOf(get(m, "apiVersion"))
	switch {
	case kind == "Pod":
		return l.pod(p, m), nil
	case kind == "KubeletConfiguration" && strings.HasPrefix(api, "kubelet.config.k8s.io/"):
		l.kubeletConfig(p, m)
		return true, nil
	case strings.HasPrefix(api, "kubeadm.k8s.io/") && (kind == "ClusterConfiguration" || kind == "InitConfiguration" || kind == "JoinConfiguration"):
		return l.kubeadm(p, m, kind), nil
	case kind == "" && api == "" && isRKE2(m):
		l.rke2(p, m)
		return true, nil
	}
	return false, nil
}

// pod reads the containers of a static Pod that run a component.
func (l *loader) pod(p string, m *yaml.Node) bool {
	spec := get(m, "spec")
	containers := get(spec, "containers")
	if containers == nil || containers.Kind != yaml.SequenceNode {
		return false
	}
	found := false
	for _, c := range containers.Content {
		if c.Kind != yaml.MappingNode {
			continue
		}
		command := get(c, "command")
		args := get(c, "args")
		var items []*yaml.Node
		name := ""
		if command != nil && command.Kind == yaml.SequenceNode && len(command.Content) > 0 {
			name = componentName(path.Base(scalarOf(command.Content[0])))
			items = append(items, command.Content[1:]...)
		}
		if name == "" {
			name = componentName(scalarOf(get(c, "name")))
		}
		if name == "" {
			continue
		}
		if args != nil && args.Kind == yaml.SequenceNode {
			items = append(items, args.Content...)
		}
		comp := &Component{Name: name, Source: PodManifest, File: p, Pos: pos(p, c)}
		for _, it := range items {
			if it.Kind != yaml.ScalarNode {
				continue
			}
			comp.Args = append(comp.Args, Arg{
				Text: it.Value, Pos: pos(p, it), Line: l.lineText(p, it.Line),
				edit: argEdit{kind: editItem, scalar: l.styledOf(p, it, false)},
			})
		}
		// a missing flag goes after the last item of args, else of command
		var last *yaml.Node
		var flow bool
		for _, seq := range []*yaml.Node{command, args} {
			if seq != nil && seq.Kind == yaml.SequenceNode && len(seq.Content) > 0 {
				last = seq.Content[len(seq.Content)-1]
				flow = seq.Style&yaml.FlowStyle != 0
			}
		}
		if last != nil && last.Kind == yaml.ScalarNode {
			comp.insert = insertion{kind: editItem, after: l.styledOf(p, last, flow)}
			// a command line sorted by flag (as kubeadm writes it) takes
			// a new flag in its place
			if command != nil && len(command.Content) > 0 && command.Content[0].Kind == yaml.ScalarNode && (args == nil || len(args.Content) == 0) && !flow {
				comp.insert.head = l.styledOf(p, command.Content[0], false)
				comp.insert.sorted = sortedFlags(comp.Args)
			}
		}
		if env := get(c, "env"); env != nil && env.Kind == yaml.SequenceNode {
			for _, e := range env.Content {
				n := get(e, "name")
				v := get(e, "value")
				if n == nil || n.Kind != yaml.ScalarNode {
					continue
				}
				ev := EnvVar{Name: n.Value, Pos: pos(p, n), Line: l.lineText(p, n.Line)}
				if v != nil && v.Kind == yaml.ScalarNode {
					ev.Value = v.Value
				}
				comp.Env = append(comp.Env, ev)
			}
		}
		l.comps = append(l.comps, comp)
		found = true
	}
	return found
}

// kubeletConfig reads a KubeletConfiguration document.
func (l *loader) kubeletConfig(p string, m *yaml.Node) {
	kc := &KubeletConfig{File: p, Pos: pos(p, m), doc: &docRef{file: p, root: m}}
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			dotted := k.Value
			if prefix != "" {
				dotted = prefix + "." + k.Value
			}
			switch v.Kind {
			case yaml.MappingNode:
				if len(v.Content) == 0 {
					kc.Keys = append(kc.Keys, Key{Path: dotted, Pos: pos(p, k), Line: l.lineText(p, k.Line)})
				}
				walk(dotted, v)
			case yaml.SequenceNode:
				var b strings.Builder
				for _, e := range v.Content {
					b.WriteString(e.Value)
					b.WriteByte(',')
				}
				kc.Keys = append(kc.Keys, Key{Path: dotted, Value: b.String(), Pos: pos(p, k), Line: l.lineText(p, k.Line)})
			case yaml.ScalarNode:
				kc.Keys = append(kc.Keys, Key{Path: dotted, Value: v.Value, Pos: pos(p, k), Line: l.lineText(p, k.Line)})
			}
		}
	}
	walk("", m)
	l.kubelets = append(l.kubelets, kc)
}

// linkKubeletConfigs gives each kubelet the config file its --config
// names (matched by the end of the path), else a file named like it or
// config.yaml, else the only one there is; among several, the one
// nearest the kubelet's own file (a directory may hold several nodes).
// It also finds the file kube-bench reads as $kubeletconf.
func (l *loader) linkKubeletConfigs() {
	for _, c := range l.comps {
		if c.Name != Kubelet {
			continue
		}
		if c.KubeletConfig == nil {
			want := ""
			for _, f := range parseFlags(c.Args) {
				if f.name == "--config" {
					want = f.value
				}
			}
			var cands []*KubeletConfig
			for _, kc := range l.kubelets {
				if want != "" && pathMatches(want, kc.File) {
					cands = append(cands, kc)
				}
			}
			if len(cands) == 0 {
				for _, kc := range l.kubelets {
					if path.Base(kc.File) == "config.yaml" || want != "" && path.Base(want) == path.Base(kc.File) {
						cands = append(cands, kc)
					}
				}
			}
			if len(cands) == 0 {
				cands = l.kubelets
			}
			best := -1
			for _, kc := range cands {
				if n := commonDirs(c.File, kc.File); n > best {
					best, c.KubeletConfig = n, kc
				}
			}
		}
		l.linkKubeBenchConfig(c)
	}
	// a KubeletConfiguration with no kubelet command line in the
	// directory is still the kubelet's configuration
	if len(l.kubelets) > 0 && len(lookupName(l.comps, Kubelet)) == 0 {
		kc := l.kubelets[0]
		c := &Component{Name: Kubelet, Source: KubeletConfigFile, File: kc.File, Pos: kc.Pos, KubeletConfig: kc}
		l.linkKubeBenchConfig(c)
		l.comps = append(l.comps, c)
	}
}

// linkKubeBenchConfig finds the file kube-bench reads as $kubeletconf
// for a kubelet: the first of its candidate paths that is in the
// directory, under the node's root the kubelet's file is in
// ("node-1/" of node-1/var/lib/kubelet/config.yaml).
func (l *loader) linkKubeBenchConfig(c *Component) {
	bestRoot, bestCand := -1, len(kubeBenchKubeletConfs)
	for i, cand := range kubeBenchKubeletConfs {
		node := strings.TrimPrefix(cand, "/")
		for _, p := range l.all {
			if !pathMatches(cand, p) {
				continue
			}
			root := ""
			if strings.HasSuffix(p, "/"+node) {
				root = strings.TrimSuffix(p, node)
			}
			if !strings.HasPrefix(c.File, root) {
				continue // another node's
			}
			if len(root) > bestRoot || len(root) == bestRoot && i < bestCand {
				bestRoot, bestCand, c.kbConfigFile = len(root), i, p
			}
		}
	}
	c.kbConfig = nil
	for _, kc := range l.kubelets {
		if c.kbConfigFile != "" && kc.File == c.kbConfigFile {
			c.kbConfig = kc
		}
	}
}

// commonDirs counts the leading folders two paths share.
func commonDirs(a, b string) int {
	as, bs := strings.Split(path.Dir(a), "/"), strings.Split(path.Dir(b), "/")
	n := 0
	for n < len(as) && n < len(bs) && as[n] == bs[n] && as[n] != "." {
		n++
	}
	return n
}

func lookupName(comps []*Component, name string) []*Component {
	var out []*Component
	for _, c := range comps {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

// pathMatches reports whether a path on the node (/var/lib/kubelet/config.yaml)
// is a file of the directory (node/var/lib/kubelet/config.yaml, config.yaml).
// The file must name at least the folder it is in ("kubelet/config.yaml"):
// a bare "config.yaml" is any tool's config.
func pathMatches(nodePath, file string) bool {
	nodePath = strings.TrimPrefix(path.Clean(nodePath), "/")
	if nodePath == file || strings.HasSuffix(file, "/"+nodePath) {
		return true
	}
	return strings.Contains(file, "/") && strings.HasSuffix(nodePath, "/"+file)
}

// componentName maps a binary or container name to a component name.
func componentName(s string) string {
	switch s {
	case APIServer, ControllerManager, Scheduler, Etcd, Kubelet, Proxy:
		return s
	}
	return ""
}

func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func keyNode(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

func scalarOf(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func pos(p string, n *yaml.Node) Position {
	return Position{File: p, Line: n.Line, Column: n.Column}
}

// styledOf records how a scalar is written on its line, so that it can
// be rewritten in place; raw is 0 when it cannot (a multi-line scalar).
func (l *loader) styledOf(p string, n *yaml.Node, flow bool) styled {
	s := styled{pos: pos(p, n), style: n.Style, flow: flow}
	line := l.lineText(p, n.Line)
	start := n.Column - 1
	if start < 0 || start > len(line) {
		return s
	}
	rest := line[start:]
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if end := closingQuote(rest, '"'); end > 0 {
			s.raw = end + 1
		}
	case n.Style&yaml.SingleQuotedStyle != 0:
		if end := closingQuote(rest, '\''); end > 0 {
			s.raw = end + 1
		}
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// multi-line: not rewritten in place
	default:
		if strings.HasPrefix(rest, n.Value) {
			s.raw = len(n.Value)
		}
	}
	return s
}

// closingQuote returns the index of the quote that closes s[0].
func closingQuote(s string, q byte) int {
	for i := 1; i < len(s); i++ {
		switch {
		case q == '"' && s[i] == '\\':
			i++
		case q == '\'' && s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == q:
			return i
		}
	}
	return -1
}

// quoteLike writes a value as a YAML scalar in the style of an existing
// one (plain values that would not read back as the same string are
// double-quoted).
func quoteLike(v string, style yaml.Style, flow bool) string {
	switch {
	case style&yaml.DoubleQuotedStyle != 0:
		return strconv.Quote(v)
	case style&yaml.SingleQuotedStyle != 0:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case flow && strings.ContainsAny(v, ",[]{}"):
		return strconv.Quote(v)
	}
	return plainOrQuoted(v)
}

// plainOrQuoted writes v plain when it reads back as the same string,
// else double-quoted.
func plainOrQuoted(v string) string {
	var n yaml.Node
	if v != "" && !strings.ContainsAny(v[:1], "{}[],&*!|>'\"%@`# ") && !strings.Contains(v, ": ") && !strings.Contains(v, " #") && yaml.Unmarshal([]byte("k: "+v), &n) == nil {
		if len(n.Content) > 0 {
			if val := get(n.Content[0], "k"); val != nil && val.Kind == yaml.ScalarNode && val.Value == v && val.Tag == "!!str" {
				return v
			}
		}
	}
	return strconv.Quote(v)
}

// typedScalar writes a kubelet config value: booleans and numbers plain,
// strings as plainOrQuoted.
func typedScalar(v string) string {
	if v == "true" || v == "false" {
		return v
	}
	if _, err := strconv.Atoi(v); err == nil {
		return v
	}
	return plainOrQuoted(v)
}

// sortedFlags reports whether every item is a flag, sorted by name.
func sortedFlags(args []Arg) bool {
	prev := ""
	for _, a := range args {
		if !strings.HasPrefix(a.Text, "-") {
			return false
		}
		name, _, _ := strings.Cut(a.Text, "=")
		if name < prev {
			return false
		}
		prev = name
	}
	return true
}

// kubeBenchKubeletConfs are the files kube-bench v0.14.1 tries for
// $kubeletconf, in order (cfg/config.yaml, node.kubelet.confs): it reads
// the first that exists, whatever the kubelet's --config says.
var kubeBenchKubeletConfs = []string{
	"/etc/kubernetes/kubelet-config.yaml",
	"/var/lib/kubelet/config.yaml",
	"/var/lib/kubelet/config.yml",
	"/etc/kubernetes/kubelet/kubelet-config.json",
	"/etc/kubernetes/kubelet/config.json",
	"/etc/kubernetes/kubelet/config",
	"/home/kubernetes/kubelet-config.yaml",
	"/home/kubernetes/kubelet-config.yml",
	"/etc/default/kubeletconfig.json",
	"/etc/default/kubelet",
	"/var/lib/kubelet/kubeconfig",
	"/var/snap/kubelet/current/args",
	"/var/snap/microk8s/current/args/kubelet",
	"/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
	"/etc/systemd/system/kubelet.service",
	"/lib/systemd/system/kubelet.service",
	"/etc/systemd/system/snap.kubelet.daemon.service",
	"/etc/systemd/system/snap.microk8s.daemon-kubelet.service",
	"/etc/kubernetes/kubelet.yaml",
}

// kubeBenchConfig is the KubeletConfiguration kube-bench reads: the
// first of its candidate files in the directory (nil when that file is
// not a KubeletConfiguration), else, when the directory holds none of
// them (not laid out as the node's paths), the kubelet's own.
func (c *Component) kubeBenchConfig() *KubeletConfig {
	if c.kbConfigFile == "" {
		return c.KubeletConfig
	}
	return c.kbConfig
}

// kubeBenchReadsOther reports whether kube-bench reads another file than
// the kubelet's config.
func (c *Component) kubeBenchReadsOther() bool {
	return c.Name == Kubelet && c.kbConfigFile != "" && (c.KubeletConfig == nil || c.KubeletConfig.File != c.kbConfigFile)
}
