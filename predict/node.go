package predict

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Node is a sandbox node to assemble: the processes kube-bench will find
// with ps, the files it will find at their paths, and the kube-bench
// targets to run on it.
type Node struct {
	Name    string   // "control-plane", "worker": the default node name of its results
	Targets []string // kube-bench targets, in kube-bench's order
	// Version is the Kubernetes minor version the files name ("1.30", from
	// the control plane's image tags), "" when they name none: kube-bench
	// picks the benchmark of it (--version) when none is given.
	Version string
	// Processes are started in order, each as a do-nothing executable named
	// after argv[0]'s base name, with exactly Argv and Env.
	Processes []Process
	// Files are written on the node; their folders are created as needed.
	Files []File
	// Described lists the components whose command line or configuration
	// came from the files, in the catalog's names ("apiserver",
	// "controllermanager", "scheduler", "etcd", "kubelet", "proxy"). The
	// checks of a component that is started without being described are not
	// predictable from the repository.
	Described []string
}

// Process is one component's process on a sandbox node.
type Process struct {
	Component string   // the catalog's name: "apiserver", "kubelet", ...
	Argv      []string // argv[0] first: "kube-apiserver", "--anonymous-auth=false", ...
	Env       []string // KEY=VALUE, the whole environment (etcd's ETCD_* are read by kube-bench)
	Source    string   // the file the command line came from, "" when not described
}

// File is a file placed on a sandbox node.
type File struct {
	Path   string      // absolute path on the node
	Data   []byte      // contents
	Mode   fs.FileMode // permissions; a folder when Mode.IsDir()
	Source string      // the repository file it is a copy of, "" for a stand-in
}

// describes reports whether the node's files describe component.
func (n Node) describes(component string) bool { return slices.Contains(n.Described, component) }

// Components as kube-bench's cfg/config.yaml and the catalog name them, with
// the binary each runs as.
var binaries = map[string]string{
	"apiserver":         "kube-apiserver",
	"controllermanager": "kube-controller-manager",
	"scheduler":         "kube-scheduler",
	"etcd":              "etcd",
	"kubelet":           "kubelet",
	"proxy":             "kube-proxy",
}

// componentOf is the component a binary name stands for, "" when none.
func componentOf(argv0 string) string {
	base := path.Base(argv0)
	for c, b := range binaries {
		if b == base {
			return c
		}
	}
	return ""
}

// validate reports every problem of a node that the sandbox cannot build.
func (n Node) validate() error {
	var problems []string
	for _, p := range n.Processes {
		if len(p.Argv) == 0 {
			problems = append(problems, fmt.Sprintf("process of %s: empty command line", p.Component))
			continue
		}
		if componentOf(p.Argv[0]) == "" {
			problems = append(problems, fmt.Sprintf("process %q: not a component kube-bench looks for", p.Argv[0]))
		}
	}
	for _, f := range n.Files {
		switch {
		case !path.IsAbs(f.Path) || path.Clean(f.Path) != f.Path || strings.ContainsRune(f.Path, 0):
			problems = append(problems, fmt.Sprintf("file %q: not a clean absolute path", f.Path))
		case !underRoots(f.Path):
			problems = append(problems, fmt.Sprintf("file %s (from %s): not under the folders the sandbox holds (%s)", f.Path, f.Source, strings.Join(sandboxRoots, ", ")))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("node %s: %s", n.Name, strings.Join(problems, "; "))
	}
	return nil
}
