package predict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Paths where kube-bench looks for the files of a kubeadm node (its
// cfg/config.yaml: the first of each list that exists), and the kubelet's
// command line as kubeadm's systemd drop-in (10-kubeadm.conf) starts it.
const (
	manifestsDir     = "/etc/kubernetes/manifests"
	kubeletConfig    = "/var/lib/kubelet/config.yaml"
	kubeletDropInDir = "/etc/systemd/system/kubelet.service.d"
	kubeadmFlagsEnv  = "/var/lib/kubelet/kubeadm-flags.env"
)

// kubeadmKubelet is the kubelet's command line before the flags of
// kubeadm-flags.env ($KUBELET_KUBEADM_ARGS) and of $KUBELET_EXTRA_ARGS.
var kubeadmKubelet = []string{"kubelet",
	"--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
	"--kubeconfig=/etc/kubernetes/kubelet.conf",
	"--config=" + kubeletConfig}

// sandboxRoots are the folders the sandbox mounts a private tmpfs over:
// every file of a node is placed under one of them, so that nothing
// outside the sandbox is written.
var sandboxRoots = []string{"/etc/kubernetes", "/var/lib/kubelet", "/var/lib/etcd", kubeletDropInDir, "/var/lib/kube-proxy"}

// Assemble reads the configuration files under dirs (static Pod manifests,
// KubeletConfiguration files, kubeadm-flags.env, kubelet systemd drop-ins)
// and returns the nodes they describe: a control plane when they hold a
// control-plane component's manifest (with the kubelet when it is
// described), a worker when they describe the kubelet. Every problem of
// every file is reported.
func Assemble(dirs []string) ([]Node, error) {
	var cfg config
	var errs []error
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != dir && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if err := cfg.read(p); err != nil {
				errs = append(errs, err)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("read configuration %s: %w", dir, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cfg.nodes()
}

// config is what the files describe, file by file.
type config struct {
	pods          map[string]pod // by component
	kubeletConfig *source
	kubeadmFlags  *source // kubeadm-flags.env
	extraArgs     []string
	extraSource   string
	dropIns       []source
}

type source struct {
	path string
	data []byte
	args []string
}

type pod struct {
	source
	argv    []string
	env     []string
	version string // the Kubernetes version of its image tag: "1.30"
}

var imageVersion = regexp.MustCompile(`:v([0-9]+)\.([0-9]+)(\.[0-9]+)?([-+@].*)?$`)

// minorVersion is the Kubernetes minor version of an image reference whose
// tag is a Kubernetes version (registry.k8s.io/kube-apiserver:v1.30.2 →
// "1.30"), or "".
func minorVersion(image string) string {
	m := imageVersion.FindStringSubmatch(image)
	if m == nil {
		return ""
	}
	return m[1] + "." + m[2]
}

func (c *config) read(p string) error {
	data, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("read configuration: %w", err)
	}
	name := filepath.Base(p)
	switch {
	case name == "kubeadm-flags.env":
		args, err := envArgs(data, "KUBELET_KUBEADM_ARGS")
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		c.kubeadmFlags = &source{path: p, data: data, args: args}
	case filepath.Base(filepath.Dir(p)) == "kubelet.service.d" && strings.HasSuffix(name, ".conf"):
		args, err := envArgs(data, "KUBELET_EXTRA_ARGS")
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		if len(args) > 0 {
			c.extraArgs, c.extraSource = args, p
		}
		c.dropIns = append(c.dropIns, source{path: p, data: data})
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		return c.readYAML(p, data)
	}
	return nil
}

// readYAML takes the Pods of known components and a KubeletConfiguration
// from a YAML file; other documents are not the sandbox's business.
func (c *config) readYAML(p string, data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc struct {
			Kind     string `yaml:"kind"`
			Metadata struct {
				Name string `yaml:"name"`
			} `yaml:"metadata"`
			Spec struct {
				Containers []struct {
					Name    string   `yaml:"name"`
					Image   string   `yaml:"image"`
					Command []string `yaml:"command"`
					Args    []string `yaml:"args"`
					Env     []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		}
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		switch doc.Kind {
		case "KubeletConfiguration":
			if c.kubeletConfig != nil {
				return fmt.Errorf("read %s: a second KubeletConfiguration (the first is in %s)", p, c.kubeletConfig.path)
			}
			c.kubeletConfig = &source{path: p, data: data}
		case "Pod":
			for _, ct := range doc.Spec.Containers {
				argv := slices.Concat(ct.Command, ct.Args)
				// the component is the command's binary, or, without a
				// command (the image's entrypoint), the container's name
				comp := ""
				if len(ct.Command) > 0 {
					comp = componentOf(ct.Command[0])
				} else if comp = componentOf(ct.Name); comp != "" {
					argv = slices.Concat([]string{binaries[comp]}, ct.Args)
				}
				if comp == "" || comp == "kubelet" {
					continue
				}
				if c.pods == nil {
					c.pods = map[string]pod{}
				}
				if prev, ok := c.pods[comp]; ok {
					return fmt.Errorf("read %s: a second %s Pod (the first is in %s)", p, binaries[comp], prev.path)
				}
				var env []string
				for _, e := range ct.Env {
					env = append(env, e.Name+"="+e.Value)
				}
				c.pods[comp] = pod{source: source{path: p, data: data}, argv: argv, env: env, version: minorVersion(ct.Image)}
			}
		}
	}
}

// envArgs returns the words of an environment variable's assignment in a
// systemd unit or environment file (NAME="--a=b --c" or
// Environment="NAME=--a=b --c"); nil when it is not assigned.
func envArgs(data []byte, name string) ([]string, error) {
	var words []string
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		line = strings.TrimPrefix(line, "Environment=")
		line = strings.Trim(line, `"`)
		v, ok := strings.CutPrefix(line, name+"=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"'`)
		words = strings.Fields(v) // the last assignment wins, as in systemd
	}
	return words, nil
}

// nodes turns what the files describe into sandbox nodes.
func (c *config) nodes() ([]Node, error) {
	kubelet, kubeletFiles, described := c.kubelet()
	version := ""
	for _, comp := range []string{"apiserver", "controllermanager", "scheduler"} {
		if v := c.pods[comp].version; v != "" && version == "" {
			version = v
		}
	}
	var nodes []Node
	if len(c.pods) > 0 {
		n := Node{Name: "control-plane", Targets: []string{"master"}, Version: version}
		for _, comp := range []string{"apiserver", "controllermanager", "scheduler", "etcd"} {
			p, ok := c.pods[comp]
			if !ok {
				if comp != "etcd" { // kube-bench requires the others to run on a control plane
					n.Processes = append(n.Processes, Process{Component: comp, Argv: []string{binaries[comp]}})
				}
				continue
			}
			n.Processes = append(n.Processes, Process{Component: comp, Argv: p.argv, Env: p.env, Source: p.path})
			n.Files = append(n.Files, File{Path: path.Join(manifestsDir, binaries[comp]+".yaml"), Data: p.data, Mode: 0o600, Source: p.path})
			n.Described = append(n.Described, comp)
		}
		if _, ok := c.pods["etcd"]; ok {
			n.Targets = append(n.Targets, "etcd")
		}
		n.Targets = append(n.Targets, "controlplane", "node", "policies")
		if described {
			n.Described = append(n.Described, "kubelet")
		}
		n.Processes = append(n.Processes, kubelet)
		n.Files = append(n.Files, kubeletFiles...)
		n.Files = append(n.Files, standIns(true)...)
		nodes = append(nodes, n)
	}
	if described {
		n := Node{Name: "worker", Targets: []string{"node"}, Version: version, Described: []string{"kubelet"}, Processes: []Process{kubelet}}
		n.Files = append(n.Files, kubeletFiles...)
		n.Files = append(n.Files, standIns(false)...)
		nodes = append(nodes, n)
	}
	if len(nodes) == 0 {
		return nil, errors.New("assemble a node: the files hold no static Pod of a control-plane component and no kubelet configuration or flags")
	}
	for i := range nodes {
		sort.SliceStable(nodes[i].Described, func(a, b int) bool { return nodes[i].Described[a] < nodes[i].Described[b] })
		if err := nodes[i].validate(); err != nil {
			return nil, err
		}
	}
	return nodes, nil
}

// kubelet is the kubelet's process and files, and whether the files
// describe it at all.
func (c *config) kubelet() (Process, []File, bool) {
	described := c.kubeletConfig != nil || c.kubeadmFlags != nil || c.extraArgs != nil
	argv := slices.Clone(kubeadmKubelet)
	src := ""
	if c.kubeadmFlags != nil {
		argv = append(argv, c.kubeadmFlags.args...)
		src = c.kubeadmFlags.path
	}
	argv = append(argv, c.extraArgs...)
	if c.extraSource != "" {
		src = c.extraSource
	}
	if src == "" && c.kubeletConfig != nil {
		src = c.kubeletConfig.path
	}
	var files []File
	if c.kubeletConfig != nil {
		files = append(files, File{Path: lastFlag(argv, "--config", kubeletConfig), Data: c.kubeletConfig.data, Mode: 0o600, Source: c.kubeletConfig.path})
	}
	if c.kubeadmFlags != nil {
		files = append(files, File{Path: kubeadmFlagsEnv, Data: c.kubeadmFlags.data, Mode: 0o600, Source: c.kubeadmFlags.path})
	}
	hasKubeadmDropIn := false
	for _, d := range c.dropIns {
		name := filepath.Base(d.path)
		hasKubeadmDropIn = hasKubeadmDropIn || name == "10-kubeadm.conf"
		files = append(files, File{Path: path.Join(kubeletDropInDir, name), Data: d.data, Mode: 0o600, Source: d.path})
	}
	if !hasKubeadmDropIn {
		files = append(files, File{Path: path.Join(kubeletDropInDir, "10-kubeadm.conf"), Data: []byte("[Service]\n"), Mode: 0o600})
	}
	return Process{Component: "kubelet", Argv: argv, Source: src}, files, described
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
