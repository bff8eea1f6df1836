package trace

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Config is what a directory of configuration files says about the
// components of a node: each component's command line, in the order the
// process gets it, with the file and line of every item, its environment,
// and for the kubelet the KubeletConfiguration it reads.
type Config struct {
	// Components are in the order of their files (sorted by path), then
	// of their place in the file.
	Components []*Component
	// Files lists every file that was read, sorted; files trace does
	// not recognise are skipped and not listed.
	Files []string

	lines map[string][]string // each file's lines, for edits
}

// Component names, as kube-bench's audits look for the binaries.
const (
	APIServer         = "kube-apiserver"
	ControllerManager = "kube-controller-manager"
	Scheduler         = "kube-scheduler"
	Etcd              = "etcd"
	Kubelet           = "kubelet"
	Proxy             = "kube-proxy"
)

// Source is the kind of file a component's command line comes from.
type Source string

// Sources of a command line.
const (
	// PodManifest: a static Pod (kind: Pod), the container's command
	// followed by its args.
	PodManifest Source = "pod manifest"
	// Systemd: a systemd unit or drop-in (ExecStart=, Environment=),
	// with the environment files it names (kubeadm-flags.env,
	// /etc/default/kubelet) when they are in the directory.
	Systemd Source = "systemd unit"
	// EnvFile: an environment file alone (kubeadm-flags.env's
	// KUBELET_KUBEADM_ARGS), when no unit in the directory uses it.
	EnvFile Source = "environment file"
	// Kubeadm: a kubeadm ClusterConfiguration (extraArgs of apiServer,
	// controllerManager, scheduler, etcd.local) or
	// Init/JoinConfiguration (nodeRegistration.kubeletExtraArgs); the
	// command line is kubeadm's defaults with the extra arguments
	// applied, as kubeadm writes the manifests.
	Kubeadm Source = "kubeadm"
	// KubeletConfigFile: a KubeletConfiguration with no kubelet command
	// line in the directory; the kubelet is known by its config alone.
	KubeletConfigFile Source = "kubelet config"
	// RKE2 is an RKE2 or k3s config.yaml (kube-apiserver-arg, kubelet-arg,
	// ...). RKE2 and k3s add flags of their own that trace does not
	// model: see [Component.Incomplete].
	RKE2 Source = "rke2/k3s config"
)

// Component is one component's configuration as one file (or a unit and
// its environment files) gives it.
type Component struct {
	Name   string // APIServer, Kubelet, ...: the binary kube-bench looks for
	Source Source
	File   string   // the file that gives the command line, slash-separated, relative to the directory
	Pos    Position // the container, section or key the command line is under
	// Args is the command line after the program's name, item by item
	// as the process gets it (a Pod's command[1:] then its args; a
	// unit's ExecStart words with variables expanded).
	Args []Arg
	// Env is the environment the component starts with, as written
	// (a Pod container's env with literal values).
	Env []EnvVar
	// KubeletConfig is the KubeletConfiguration the kubelet reads (the
	// file its --config names when it is in the directory, else the
	// only one there); nil for other components or when there is none.
	KubeletConfig *KubeletConfig
	// Incomplete is set when the tool that writes the real command line
	// adds flags trace does not know (RKE2, k3s): a flag absent from
	// Args may still be set on the node.
	Incomplete bool

	// where a missing flag is added
	insert insertion
	// the file kube-bench reads as $kubeletconf, when the directory has
	// one of its candidates; kbConfig when it is a KubeletConfiguration
	kbConfigFile string
	kbConfig     *KubeletConfig
}

// Arg is one item of a command line.
type Arg struct {
	Text string   // the item as the process gets it: "--profiling=false", "30"
	Pos  Position // where it is written; for a Default, the section it would go in
	// Default is set for an item no file writes: one the tool adds by
	// itself (kubeadm's own flags).
	Default bool
	// Line is the full text of the line it is written on, "" for a
	// Default.
	Line string

	edit argEdit // how to rewrite this item in its file
}

// EnvVar is one environment variable a component starts with.
type EnvVar struct {
	Name  string
	Value string
	Pos   Position
	Line  string // the full text of the name's line
}

// KubeletConfig is a KubeletConfiguration document
// (kubelet.config.k8s.io/v1beta1).
type KubeletConfig struct {
	File string
	Pos  Position // the document's first key
	// Keys are the document's settings in order, one per scalar (a
	// sequence of scalars is one key whose value joins them with ","
	// and a trailing ",", as kube-bench's jsonpath prints them).
	Keys []Key

	doc *docRef
}

// Key is one setting of a KubeletConfiguration.
type Key struct {
	Path  string // dotted: "authentication.anonymous.enabled"
	Value string
	Pos   Position // the key's position
	Line  string   // the full text of the key's line
}

// Position is a place in a file: 1-based line and column.
type Position struct {
	File   string
	Line   int
	Column int
}

// String writes the position as "file:line".
func (p Position) String() string {
	if p.File == "" {
		return ""
	}
	if p.Line == 0 {
		return p.File
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Load reads every file under the root of fsys that trace recognises:
// YAML files (.yaml, .yml, .json; each document of a multi-document file)
// with a static Pod, a KubeletConfiguration, a kubeadm configuration or an
// RKE2/k3s config, systemd units and drop-ins (.service, .conf), and
// environment files (.env, and files named kubelet under default/ or
// sysconfig/). Other files and documents are skipped.
//
// Load reads every file even when some are bad: the Config holds what
// could be read, and the error joins one error per bad file, naming it
// and the line.
func Load(fsys fs.FS) (*Config, error) {
	l := &loader{fsys: fsys, envFiles: map[string]*envFile{}}
	var errs []error
	walkErr := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, fmt.Errorf("read configs %s: %w", p, err))
			if d != nil && d.IsDir() && p != "." {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		l.all = append(l.all, p)
		if err := l.file(p); err != nil {
			errs = append(errs, err)
		}
		return nil
	})
	if walkErr != nil {
		errs = append(errs, fmt.Errorf("read configs: %w", walkErr))
	}
	cfg := l.finish()
	return cfg, errors.Join(errs...)
}

// Lookup returns the components of a name, in order.
func (c *Config) Lookup(name string) []*Component {
	var out []*Component
	for _, comp := range c.Components {
		if comp.Name == name {
			out = append(out, comp)
		}
	}
	return out
}

// CommandLine is the command line as ps prints it: the name and every
// item joined by single spaces.
func (c *Component) CommandLine() string {
	var b strings.Builder
	b.WriteString(c.Name)
	for _, a := range c.Args {
		b.WriteByte(' ')
		b.WriteString(a.Text)
	}
	return b.String()
}

// LookupEnv returns the last value an environment variable is given.
func (c *Component) LookupEnv(name string) (EnvVar, bool) {
	for i := len(c.Env) - 1; i >= 0; i-- {
		if c.Env[i].Name == name {
			return c.Env[i], true
		}
	}
	return EnvVar{}, false
}

// LookupKey returns a KubeletConfiguration setting by its dotted path.
func (k *KubeletConfig) LookupKey(dotted string) (Key, bool) {
	if k == nil {
		return Key{}, false
	}
	for _, key := range k.Keys {
		if key.Path == dotted {
			return key, true
		}
	}
	return Key{}, false
}

// file reads one file by its kind.
func (l *loader) file(p string) error {
	base := path.Base(p)
	ext := strings.ToLower(path.Ext(p))
	switch {
	case ext == ".yaml" || ext == ".yml" || ext == ".json":
		return l.yamlFile(p)
	case ext == ".service" || ext == ".conf":
		return l.unitFile(p)
	case ext == ".env" || (base == "kubelet" && (strings.Contains(p, "default/") || strings.Contains(p, "sysconfig/"))):
		return l.envFileAt(p)
	}
	return nil
}

func (l *loader) finish() *Config {
	l.linkSystemd()
	l.linkKubeletConfigs()
	cfg := &Config{Components: l.comps, lines: l.lines}
	sort.SliceStable(cfg.Components, func(i, j int) bool {
		return cfg.Components[i].File < cfg.Components[j].File
	})
	cfg.Files = append(cfg.Files, l.read...)
	sort.Strings(cfg.Files)
	return cfg
}
