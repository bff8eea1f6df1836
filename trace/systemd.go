package trace

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// unit is a systemd unit or drop-in.
type unit struct {
	file     string
	env      map[string]*envVar
	envFiles []string // EnvironmentFile= paths on the node
	exec     *word    // the ExecStart= value; nil when the unit has none
	execSet  bool     // an ExecStart= line (an empty one resets)
}

// envFile is an environment file (KEY=VALUE lines).
type envFile struct {
	file string
	vars map[string]*envVar
	used bool
}

// envVar is a variable's value, as words with their positions.
type envVar struct {
	name  string
	words []word
	// end is where a new word goes (the column after the value, inside
	// its quotes)
	end  Position
	line string
}

// word is a shell word of a unit or environment file line.
type word struct {
	text string
	pos  Position
	line string
}

// unitFile reads a systemd unit or drop-in: Environment=,
// EnvironmentFile= and ExecStart= of its [Service] section.
func (l *loader) unitFile(p string) error {
	data, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		return fmt.Errorf("read configs %s: %w", p, err)
	}
	l.readLines(p, data)
	u := &unit{file: p, env: map[string]*envVar{}}
	lines := l.lines[p]
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		// continuation lines
		for strings.HasSuffix(trimmed, "\\") && i+1 < len(lines) {
			i++
			trimmed = strings.TrimSuffix(trimmed, "\\") + " " + strings.TrimSpace(lines[i])
		}
		key, val, ok := strings.Cut(trimmed, "=")
		if !ok {
			continue
		}
		col := strings.Index(line, "=") + 2
		switch strings.TrimSpace(key) {
		case "Environment":
			for _, v := range assignments(p, n, line, val, col) {
				u.env[v.name] = v
			}
		case "EnvironmentFile":
			for _, f := range strings.Fields(val) {
				u.envFiles = append(u.envFiles, strings.TrimPrefix(f, "-"))
			}
		case "ExecStart":
			u.execSet = true
			if strings.TrimSpace(val) == "" {
				u.exec = nil
				continue
			}
			u.exec = &word{text: val, pos: Position{File: p, Line: n, Column: col}, line: line}
		}
	}
	if u.execSet || len(u.env) > 0 || len(u.envFiles) > 0 {
		l.units = append(l.units, u)
		l.read = append(l.read, p)
	}
	return nil
}

// envFileAt reads an environment file.
func (l *loader) envFileAt(p string) error {
	data, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		return fmt.Errorf("read configs %s: %w", p, err)
	}
	l.readLines(p, data)
	ef := &envFile{file: p, vars: map[string]*envVar{}}
	for i, line := range l.lines[p] {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		t = strings.TrimPrefix(t, "export ")
		if v := envLine(p, i+1, line, strings.Index(line, t)); v != nil {
			ef.vars[v.name] = v
		}
	}
	if len(ef.vars) > 0 {
		l.envFiles[p] = ef
		l.read = append(l.read, p)
	}
	return nil
}

// envLine reads an environment file's NAME=VALUE line, where the value
// is the rest of the line (spaces included), its quotes removed; start
// is the offset of NAME in line.
func envLine(p string, n int, line string, start int) *envVar {
	eq := strings.IndexByte(line[start:], '=')
	if eq <= 0 {
		return nil
	}
	name := strings.TrimSpace(line[start : start+eq])
	vstart := start + eq + 1
	value := strings.TrimRight(line[vstart:], " \t\r")
	end := vstart + len(value)
	if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
		value = value[1 : len(value)-1]
		vstart++
		end--
	}
	v := &envVar{name: name, line: line, end: Position{File: p, Line: n, Column: end + 1}}
	for _, w := range fieldsAt(value) {
		v.words = append(v.words, word{text: w.text, pos: Position{File: p, Line: n, Column: vstart + w.at + 1}, line: line})
	}
	return v
}

// assignments splits `A=x "B=y z"` (the value of Environment=, or an
// environment file's line) starting at column col of line.
func assignments(p string, n int, line, s string, col int) []*envVar {
	var out []*envVar
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i >= len(s) {
			break
		}
		quote := byte(0)
		if s[i] == '"' || s[i] == '\'' {
			quote = s[i]
			i++
		}
		start := i
		for i < len(s) {
			if quote != 0 && s[i] == quote {
				break
			}
			if quote == 0 && (s[i] == ' ' || s[i] == '\t') {
				break
			}
			i++
		}
		a := s[start:i]
		end := i // the column after the value
		if quote != 0 && i < len(s) {
			i++
		}
		name, value, ok := strings.Cut(a, "=")
		if !ok || name == "" {
			continue
		}
		vstart := start + len(name) + 1
		// an environment file may quote the value alone: K="a b"
		if quote == 0 && len(value) > 0 && (value[0] == '"' || value[0] == '\'') {
			q := value[0]
			rest := s[vstart+1:]
			if j := strings.IndexByte(rest, q); j >= 0 {
				value = rest[:j]
				vstart++
				end = vstart + j
				i = end + 1
			}
		}
		v := &envVar{name: name, line: line, end: Position{File: p, Line: n, Column: col + end}}
		for _, w := range fieldsAt(value) {
			v.words = append(v.words, word{text: w.text, pos: Position{File: p, Line: n, Column: col + vstart + w.at}, line: line})
		}
		out = append(out, v)
	}
	return out
}

type field struct {
	text string
	at   int
}

// fieldsAt splits on spaces and tabs, with each field's offset.
func fieldsAt(s string) []field {
	var out []field
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == '\t' {
			if start >= 0 {
				out = append(out, field{s[start:i], start})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

// kubeadm's drop-in (10-kubeadm.conf) as kubeadm installs it: used when
// the directory holds kubeadm-flags.env but no unit that starts the
// kubelet.
var kubeadmDropIn = []string{
	"--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf",
	"--kubeconfig=/etc/kubernetes/kubelet.conf",
	"--config=/var/lib/kubelet/config.yaml",
}

// linkSystemd builds the kubelet's command line from the units that
// start it (the last ExecStart= of the unit and its drop-ins, in path
// order) with $VAR and ${VAR} expanded from Environment= and the
// environment files they name (which override Environment=, as in
// systemd). Environment files no unit uses become a kubelet of their own
// when they set KUBELET_KUBEADM_ARGS or KUBELET_EXTRA_ARGS, with kubeadm's
// drop-in around them.
func (l *loader) linkSystemd() {
	var exec *word
	env := map[string]*envVar{}
	var files []string
	for _, u := range l.units {
		if !strings.Contains(u.file, "kubelet") && !(u.exec != nil && isKubeletExec(u.exec.text)) {
			continue
		}
		if u.execSet {
			exec = u.exec
		}
		for k, v := range u.env {
			env[k] = v
		}
		files = append(files, u.envFiles...)
	}
	if exec != nil && isKubeletExec(exec.text) {
		for _, f := range files {
			for p, ef := range l.envFiles {
				if pathMatches(f, p) {
					ef.used = true
					for k, v := range ef.vars {
						env[k] = v
					}
				}
			}
		}
		comp := &Component{Name: Kubelet, Source: Systemd, File: exec.pos.File, Pos: exec.pos}
		ws := fieldsAt(exec.text)
		for _, w := range ws[1:] {
			name, ok := varRef(w.text)
			if !ok {
				comp.Args = append(comp.Args, Arg{Text: w.text, Pos: Position{File: exec.pos.File, Line: exec.pos.Line, Column: exec.pos.Column + w.at}, Line: exec.line,
					edit: argEdit{kind: editWord, scalar: styled{pos: Position{File: exec.pos.File, Line: exec.pos.Line, Column: exec.pos.Column + w.at}, raw: len(w.text)}}})
				continue
			}
			if v := env[name]; v != nil {
				comp.Args = append(comp.Args, wordArgs(v)...)
			}
		}
		comp.insert = kubeletInsertion(env, comp)
		l.comps = append(l.comps, comp)
	}
	// kubeadm-flags.env alone
	for _, p := range sortedKeys(l.envFiles) {
		ef := l.envFiles[p]
		if ef.used {
			continue
		}
		kv, ok := ef.vars["KUBELET_KUBEADM_ARGS"]
		extra, ok2 := ef.vars["KUBELET_EXTRA_ARGS"]
		if !ok && !ok2 {
			continue
		}
		comp := &Component{Name: Kubelet, Source: EnvFile, File: p, Pos: Position{File: p, Line: 1}}
		for _, d := range kubeadmDropIn {
			comp.Args = append(comp.Args, Arg{Text: d, Pos: comp.Pos, Default: true})
		}
		vars := map[string]*envVar{}
		if ok {
			comp.Pos = kv.end
			comp.Pos.Column = 1
			comp.Args = append(comp.Args, wordArgs(kv)...)
			vars["KUBELET_KUBEADM_ARGS"] = kv
		}
		if ok2 {
			comp.Args = append(comp.Args, wordArgs(extra)...)
			vars["KUBELET_EXTRA_ARGS"] = extra
		}
		comp.insert = kubeletInsertion(vars, comp)
		l.comps = append(l.comps, comp)
	}
}

// kubeletInsertion puts a new kubelet flag at the end of
// KUBELET_EXTRA_ARGS when a file sets it, else of KUBELET_KUBEADM_ARGS,
// else after the last item written in a file.
func kubeletInsertion(env map[string]*envVar, comp *Component) insertion {
	for _, name := range []string{"KUBELET_EXTRA_ARGS", "KUBELET_KUBEADM_ARGS"} {
		if v := env[name]; v != nil {
			ins := insertion{kind: editWord, after: styled{pos: v.end}}
			if len(v.words) > 0 {
				ins.indent = " "
			}
			return ins
		}
	}
	for i := len(comp.Args) - 1; i >= 0; i-- {
		if a := comp.Args[i]; !a.Default && a.edit.kind == editWord {
			end := a.edit.scalar.pos
			end.Column += a.edit.scalar.raw
			return insertion{kind: editWord, after: styled{pos: end}, indent: " "}
		}
	}
	return insertion{}
}

func wordArgs(v *envVar) []Arg {
	var out []Arg
	for _, w := range v.words {
		out = append(out, Arg{Text: w.text, Pos: w.pos, Line: w.line,
			edit: argEdit{kind: editWord, scalar: styled{pos: w.pos, raw: len(w.text)}}})
	}
	return out
}

func isKubeletExec(s string) bool {
	f := strings.Fields(s)
	return len(f) > 0 && path.Base(strings.TrimLeft(f[0], "-@+!:")) == Kubelet
}

// varRef reads "$NAME" or "${NAME}".
func varRef(s string) (string, bool) {
	if !strings.HasPrefix(s, "$") {
		return "", false
	}
	s = s[1:]
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		s = s[1 : len(s)-1]
	}
	return s, s != ""
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	// insertion sort: small maps
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
