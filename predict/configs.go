package predict

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/bench-action/bench-action/trace"
)

// Paths where kube-bench looks for the files of a kubeadm node (its
// cfg/config.yaml: the first of each list that exists).
const (
	manifestsDir     = "/etc/kubernetes/manifests"
	kubeletConfig    = "/var/lib/kubelet/config.yaml"
	kubeletDropInDir = "/etc/systemd/system/kubelet.service.d"
	kubeadmFlagsEnv  = "/var/lib/kubelet/kubeadm-flags.env"
)

// sandboxRoots are the folders the sandbox mounts a private tmpfs over:
// every file of a node is placed under one of them, so that nothing
// outside the sandbox is written.
var sandboxRoots = []string{"/etc/kubernetes", "/var/lib/kubelet", "/var/lib/etcd", kubeletDropInDir, "/var/lib/kube-proxy"}

// Assemble reads the configuration files under dirs with [trace.Load]
// (static Pod manifests, KubeletConfiguration files, kubelet systemd units
// and kubeadm-flags.env, kubeadm configurations) and returns the nodes
// they describe: a control plane when they give a control-plane
// component's command line (with the kubelet when it is described), a
// worker when they describe the kubelet. Every problem of every file is
// reported. RKE2 and k3s configurations are refused: the command lines
// those tools write hold flags their config.yaml does not
// ([trace.Component.Incomplete]).
func Assemble(dirs []string) ([]Node, error) {
	var comps []placed
	var errs []error
	for _, dir := range dirs {
		cfg, err := trace.Load(os.DirFS(dir))
		if err != nil {
			errs = append(errs, fmt.Errorf("read configuration %s: %w", dir, err))
		}
		if cfg == nil {
			continue
		}
		for _, c := range cfg.Components {
			comps = append(comps, placed{dir: dir, cfg: cfg, Component: c})
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	byName := map[string]placed{}
	for _, c := range comps {
		where := filepath.Join(c.dir, filepath.FromSlash(c.File))
		if c.Incomplete {
			errs = append(errs, fmt.Errorf("predict %s: %s from %s: not predicted, the %s adds flags the file does not hold", c.Name, c.Source, where, c.Source))
			continue
		}
		if prev, ok := byName[c.Name]; ok {
			errs = append(errs, fmt.Errorf("predict %s: given twice, in %s and %s", c.Name, filepath.Join(prev.dir, filepath.FromSlash(prev.File)), where))
			continue
		}
		byName[c.Name] = c
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var nodes []Node
	kubelet, hasKubelet := byName[trace.Kubelet]
	var kubeletProc Process
	var kubeletFiles []File
	if hasKubelet {
		var err error
		if kubeletProc, kubeletFiles, err = kubelet.kubelet(); err != nil {
			return nil, err
		}
	}
	controlPlane := Node{Name: "control-plane", Targets: []string{"master"}}
	for _, name := range []string{trace.APIServer, trace.ControllerManager, trace.Scheduler, trace.Etcd} {
		comp := componentOf(name)
		c, ok := byName[name]
		if !ok {
			if name != trace.Etcd { // kube-bench requires the others to run on a control plane
				controlPlane.Processes = append(controlPlane.Processes, Process{Component: comp, Argv: []string{name}})
			}
			continue
		}
		p, f, err := c.pod()
		if err != nil {
			return nil, err
		}
		controlPlane.Processes = append(controlPlane.Processes, p)
		controlPlane.Files = append(controlPlane.Files, f)
		controlPlane.Described = append(controlPlane.Described, comp)
		if controlPlane.Version == "" && name != trace.Etcd {
			controlPlane.Version = minorVersion(string(f.Data))
		}
	}
	if len(controlPlane.Described) > 0 {
		if _, ok := byName[trace.Etcd]; ok {
			controlPlane.Targets = append(controlPlane.Targets, "etcd")
		}
		controlPlane.Targets = append(controlPlane.Targets, "controlplane", "node", "policies")
		if hasKubelet {
			controlPlane.Described = append(controlPlane.Described, "kubelet")
			controlPlane.Processes = append(controlPlane.Processes, kubeletProc)
			controlPlane.Files = append(controlPlane.Files, kubeletFiles...)
		} else {
			controlPlane.Processes = append(controlPlane.Processes, Process{Component: "kubelet", Argv: []string{"kubelet"}})
			controlPlane.Files = append(controlPlane.Files, File{Path: path.Join(kubeletDropInDir, "10-kubeadm.conf"), Data: []byte("[Service]\n"), Mode: 0o600})
		}
		controlPlane.Files = append(controlPlane.Files, standIns(true)...)
		nodes = append(nodes, controlPlane)
	}
	if hasKubelet {
		worker := Node{Name: "worker", Targets: []string{"node"}, Version: controlPlane.Version, Described: []string{"kubelet"}, Processes: []Process{kubeletProc}}
		worker.Files = append(append(worker.Files, kubeletFiles...), standIns(false)...)
		nodes = append(nodes, worker)
	}
	if len(nodes) == 0 {
		return nil, fmt.Errorf("assemble a node from %s: the files give no control-plane component's command line and no kubelet's", strings.Join(dirs, ", "))
	}
	// a folder laid out as the node's root (etc/kubernetes/manifests/...):
	// every file it holds under the sandbox's folders is at that path too,
	// as on the node (kube-bench reads the first kubelet config of its own
	// list that exists, whichever the kubelet's --config names)
	rooted, err := nodePaths(comps)
	if err != nil {
		return nil, err
	}
	for i := range nodes {
		for _, f := range rooted {
			if !slices.ContainsFunc(nodes[i].Files, func(g File) bool { return g.Path == f.Path }) {
				nodes[i].Files = append(nodes[i].Files, f)
			}
		}
	}
	for i := range nodes {
		slices.Sort(nodes[i].Described)
		if err := nodes[i].validate(); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// nodePaths are the files of the folders that sit at a path under the
// sandbox's folders when the folder is read as the node's root.
func nodePaths(comps []placed) ([]File, error) {
	var files []File
	seen := map[string]bool{}
	for _, c := range comps {
		for _, f := range c.cfg.Files {
			p := "/" + f
			if seen[c.dir+p] || !underRoots(p) {
				continue
			}
			seen[c.dir+p] = true
			data, err := c.read(f)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Path: p, Data: data, Mode: 0o600, Source: filepath.Join(c.dir, filepath.FromSlash(f))})
		}
	}
	return files, nil
}

// placed is a component trace read, with the folder and configuration it
// came from.
type placed struct {
	dir string
	cfg *trace.Config
	*trace.Component
}

// argv is the component's command line as the process gets it.
func (c placed) argv() []string {
	argv := []string{c.Name}
	for _, a := range c.Args {
		argv = append(argv, a.Text)
	}
	return argv
}

func (c placed) env() []string {
	var env []string
	for _, e := range c.Env {
		env = append(env, e.Name+"="+e.Value)
	}
	return env
}

func (c placed) read(file string) ([]byte, error) {
	data, err := fs.ReadFile(os.DirFS(c.dir), file)
	if err != nil {
		return nil, fmt.Errorf("read configuration %s: %w", filepath.Join(c.dir, filepath.FromSlash(file)), err)
	}
	return data, nil
}

// pod is a control-plane component's process and its static Pod manifest
// where kube-bench looks for it (a stand-in when a kubeadm configuration
// gives the command line: kubeadm writes the manifest).
func (c placed) pod() (Process, File, error) {
	p := Process{Component: componentOf(c.Name), Argv: c.argv(), Env: c.env(), Source: filepath.Join(c.dir, filepath.FromSlash(c.File))}
	f := File{Path: path.Join(manifestsDir, c.Name+".yaml"), Mode: 0o600, Source: p.Source}
	if c.Source == trace.PodManifest {
		data, err := c.read(c.File)
		if err != nil {
			return p, f, err
		}
		f.Data = data
	} else {
		f.Data = []byte(fmt.Sprintf("apiVersion: v1\nkind: Pod\nmetadata: {name: %s, namespace: kube-system}\n", c.Name))
	}
	return p, f, nil
}

// kubelet is the kubelet's process and files: its KubeletConfiguration at
// the path its --config names, kubeadm-flags.env, its systemd unit.
func (c placed) kubelet() (Process, []File, error) {
	p := Process{Component: "kubelet", Argv: c.argv(), Env: c.env(), Source: filepath.Join(c.dir, filepath.FromSlash(c.File))}
	var files []File
	add := func(dst, src string) error {
		data, err := c.read(src)
		if err != nil {
			return err
		}
		files = append(files, File{Path: dst, Data: data, Mode: 0o600, Source: filepath.Join(c.dir, filepath.FromSlash(src))})
		return nil
	}
	if c.KubeletConfig != nil {
		if err := add(lastFlag(p.Argv, "--config", kubeletConfig), c.KubeletConfig.File); err != nil {
			return p, nil, err
		}
	}
	dropIn := false
	for _, f := range c.cfg.Files {
		var err error
		switch base := path.Base(f); {
		case base == "kubeadm-flags.env":
			err = add(kubeadmFlagsEnv, f)
		case f == c.File && c.Source == trace.Systemd && strings.HasSuffix(base, ".conf"):
			err, dropIn = add(path.Join(kubeletDropInDir, base), f), true
		}
		if err != nil {
			return p, nil, err
		}
	}
	if !dropIn {
		files = append(files, File{Path: path.Join(kubeletDropInDir, "10-kubeadm.conf"), Data: []byte("[Service]\n"), Mode: 0o600})
	}
	return p, files, nil
}

var imageVersion = regexp.MustCompile(`(?m)^\s*-?\s*image:\s*["']?\S*/kube-(?:apiserver|controller-manager|scheduler):v([0-9]+)\.([0-9]+)`)

// minorVersion is the Kubernetes minor version of the first control-plane
// image a manifest names (registry.k8s.io/kube-apiserver:v1.30.2 → "1.30"),
// or "".
func minorVersion(manifest string) string {
	m := imageVersion.FindStringSubmatch(manifest)
	if m == nil {
		return ""
	}
	return m[1] + "." + m[2]
}

// lastFlag is the value of the last --name=value or --name value of argv,
// or def.
func lastFlag(argv []string, name, def string) string {
	v := def
	for i, a := range argv {
		if s, ok := strings.CutPrefix(a, name+"="); ok {
			v = s
		} else if a == name && i+1 < len(argv) {
			v = argv[i+1]
		}
	}
	return v
}

// standIns are the files of a kubeadm node that no repository holds
// (kubeconfigs, certificates and keys, etcd's data folder): present, so that
// kube-bench's audits find them, with kubeadm's modes. Their modes and
// owners are not predicted (see [Mark]).
func standIns(controlPlane bool) []File {
	f := func(p string) File { return File{Path: p, Data: []byte("stand-in\n"), Mode: 0o600} }
	files := []File{f("/etc/kubernetes/kubelet.conf"), f("/etc/kubernetes/pki/ca.crt")}
	if !controlPlane {
		return files
	}
	for _, n := range []string{"admin", "super-admin", "scheduler", "controller-manager"} {
		files = append(files, f("/etc/kubernetes/"+n+".conf"))
	}
	for _, n := range []string{"ca.key", "apiserver.crt", "apiserver.key", "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key",
		"sa.pub", "sa.key", "front-proxy-ca.crt", "front-proxy-ca.key", "apiserver-etcd-client.crt", "apiserver-etcd-client.key",
		"etcd/ca.crt", "etcd/ca.key", "etcd/server.crt", "etcd/server.key", "etcd/peer.crt", "etcd/peer.key"} {
		files = append(files, f("/etc/kubernetes/pki/"+n))
	}
	return append(files, File{Path: "/var/lib/etcd", Mode: fs.ModeDir | 0o700})
}
