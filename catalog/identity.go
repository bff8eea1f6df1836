package catalog

import (
	"slices"
	"strings"
)

// Identity is what a control audits and tests, independent of its wording
// and its id: two checks are the same control when they have the same
// Identity. It is a readable canonical string of one of these shapes:
//
//	mode SUBJECT                   the permissions of a file or folder ("mode $kubeletconf")
//	owner SUBJECT                  its owner ("owner /etc/kubernetes/admin.conf")
//	setting COMPONENT NAME[,NAME]  flags, config paths or env vars of a component's
//	                               command line or config ("setting apiserver authorizationmode has node")
//	text [COMPONENT: ]WORDS        the normalised text, for checks whose audit names
//	                               nothing kube-bench runs on a node (cluster queries, manual
//	                               checks): lower case, without "ensure that the", numbers
//	                               and the assessment status, its words run together
//	stig V-ID                      a DISA STIG check: its vulnerability id is permanent
//
// SUBJECT is a kube-bench variable ($kubeletconf, $etcddatadir) or a path
// (a literal path that one of the benchmark's variables stands for is
// written as that variable). NAME is a flag, config path or env var,
// lower-cased with punctuation removed ("--read-only-port",
// "{.readOnlyPort}" and "READ_ONLY_PORT" are all "readonlyport"), followed
// by "has VALUE" or "nothave VALUE" when the test is about a member of a
// list (admission plugins, authorization modes). Thresholds are left out:
// a file mode 600 that became 644, or a timeout that moved, is the same
// control. What the definitions cannot decide is settled by the reviewed
// rows of overrides.tsv.
type Identity string

// String returns the identity as written above.
func (id Identity) String() string { return string(id) }

// identity returns the identity of definition i.
func (b *benchmark) identity(i int) Identity {
	return b.idents[i]
}

// identify derives the identity of a control from its definition.
func (st *store) identify(b *benchmark, c *Control) Identity {
	if id, ok := st.overrides.forControl(c.Benchmark, c.Target, c.ID); ok {
		return id
	}
	return Identity(st.aliasTerm(string(st.derive(b, c))))
}

func (st *store) derive(b *benchmark, c *Control) Identity {
	if strings.HasPrefix(c.ID, "V-") { // a DISA STIG vulnerability id is permanent
		return Identity("stig " + c.ID)
	}
	audit := c.Audit + "\n" + c.AuditConfig + "\n" + c.AuditEnv
	words := shellWords(audit)
	switch kind := fileKind(audit, c.Tests.Items); kind {
	case "mode", "owner":
		if s := st.fileSubject(b, words); s != "" {
			return Identity(kind + " " + s)
		}
	}
	hint := sectionComponent(c.Section.Text)
	if !clusterQuery(words) && !notApplicable(c.Text) {
		comp := componentOf(st, b, words, audit)
		if hint != "" && comp != "" && comp != hint {
			// The audit reads another component than the section is
			// about: a copied audit (k3s's kubelet checks once grepped
			// the API server's log). The section says what is meant.
			comp = hint
		}
		if comp != "" {
			names := st.testNames(comp, c.Tests.Items)
			if comp == "etcd" && strings.Contains(audit, "peer-transport-security") && !strings.Contains(audit, "client-transport-security") {
				// grep -A 4 'peer-transport-security' $etcdconf | grep cert-file
				for i, n := range names {
					if !strings.HasPrefix(n, "peer") {
						names[i] = "peer" + n
					}
				}
				slices.Sort(names)
			}
			if len(names) > 0 {
				return Identity("setting " + comp + " " + strings.Join(names, ","))
			}
		}
	}
	return textIdentity(c)
}

// textIdentity is the identity of a check by its words.
func textIdentity(c *Control) Identity {
	if hint := sectionComponent(c.Section.Text); hint != "" {
		return Identity("text " + hint + ": " + normText(c.Text))
	}
	return Identity("text " + normText(c.Text))
}

// notApplicable reports a check the benchmark marks "(Not Applicable)":
// its audit, if any, is a placeholder.
func notApplicable(text string) bool {
	return strings.Contains(strings.ToLower(text), "(not applicable)")
}

// clusterQuery reports whether an audit asks the cluster's API (kubectl,
// oc) rather than reading a node: its test items are then markers of the
// script's output, and the text is the better identity.
func clusterQuery(words []string) bool {
	for _, w := range words {
		if w == "kubectl" || w == "oc" {
			return true
		}
	}
	return false
}

// sectionComponent returns the component a section is about when its text
// names exactly one ("1.2 API Server", "4.2 Kubelet").
func sectionComponent(text string) string {
	t := strings.ToLower(text)
	found := ""
	for _, c := range []struct{ word, component string }{
		{"api server", "apiserver"},
		{"apiserver", "apiserver"},
		{"controller manager", "controllermanager"},
		{"controller-manager", "controllermanager"},
		{"scheduler", "scheduler"},
		{"etcd", "etcd"},
		{"kubelet", "kubelet"},
		{"proxy", "proxy"},
	} {
		if strings.Contains(t, c.word) {
			if found != "" && found != c.component {
				return ""
			}
			found = c.component
		}
	}
	return found
}

// fileKind tells a stat of a file's permissions ("mode") or owner
// ("owner") from any other audit.
func fileKind(audit string, items []TestItem) string {
	mode := strings.Contains(audit, "%a") || strings.Contains(audit, "check_files_permissions")
	owner := strings.Contains(audit, "%U") || strings.Contains(audit, "%G") || strings.Contains(audit, "check_files_owner")
	if !strings.Contains(audit, "stat") && !strings.Contains(audit, "check_files_") {
		return ""
	}
	if mode && owner { // one audit prints both: the tests say which is meant
		for _, it := range items {
			if strings.Contains(it.Flag, "permissions") || it.Op == "bitmask" {
				return "mode"
			}
		}
		return "owner"
	}
	switch {
	case mode:
		return "mode"
	case owner:
		return "owner"
	}
	return ""
}

// fileSubject finds the file an audit stats: a kube-bench file variable,
// else a flag whose value names the file (etcd's --data-dir), else the
// first absolute path (with find's -name pattern).
func (st *store) fileSubject(b *benchmark, words []string) string {
	for _, w := range words {
		for _, v := range variablesIn(w) {
			if vr, ok := st.variable(b, v); ok && vr.kind != "bin" {
				return st.aliasTerm(v)
			}
		}
	}
	for i, w := range words {
		if w == "--" && i+1 < len(words) && strings.HasPrefix(words[i+1], "--") {
			comp := componentOf(st, b, words[:i], strings.Join(words[:i], " "))
			return st.aliasTerm(strings.TrimSpace(comp + " " + words[i+1]))
		}
	}
	for i, w := range words { // find PATH -name PATTERN: the files of a folder
		if i > 0 && words[i-1] == "find" && isFilePath(w) {
			return st.aliasTerm(canonFiles(w, findPatterns(words[i+1:])))
		}
	}
	for i, w := range words {
		if !isFilePath(w) || (i > 0 && words[i-1] == "chroot") {
			continue
		}
		p := canonFiles(w, "")
		if v := st.variableFor(b, p); v != "" {
			p = v
		}
		return st.aliasTerm(p)
	}
	return ""
}

// canonFiles writes the files an audit stats one way: a folder without a
// trailing slash; a glob in the last element as find's -name test
// ("/etc/kubernetes/pki/*.crt" is "/etc/kubernetes/pki -name *.crt"). A
// find without name tests is its folder.
func canonFiles(path, patterns string) string {
	p := strings.TrimRight(path, "/")
	// RKE's kube-bench job sees the host under /node: /node/etc/kubernetes
	// is the host's /etc/kubernetes.
	if rest, ok := strings.CutPrefix(p, "/node/"); ok {
		p = "/" + rest
	}
	if p == "" {
		return "/"
	}
	if patterns == "" {
		if dir, base, ok := cutLast(p); ok && strings.ContainsAny(base, "*?[") {
			return dir + " -name " + base
		}
		return p
	}
	return p + patterns
}

func cutLast(p string) (dir, base string, ok bool) {
	i := strings.LastIndexByte(p, '/')
	if i <= 0 {
		return "", "", false
	}
	return p[:i], p[i+1:], true
}

// findPatterns returns the name tests of a find command's arguments
// (" -name *.crt ! -name *key.pem"), which tell the certificates from the
// keys of one folder.
func findPatterns(args []string) string {
	var b strings.Builder
	for i := 0; i < len(args); i++ {
		switch a := args[i]; a {
		case "!":
			b.WriteString(" !")
		case "-name", "-wholename", "-path", "-iname":
			if i+1 < len(args) {
				b.WriteString(" " + a + " " + args[i+1])
				i++
			}
		case "-type", "-mindepth", "-maxdepth":
			i++
		default:
			if !strings.HasPrefix(a, "-") {
				return strings.TrimSuffix(b.String(), " !")
			}
		}
	}
	return strings.TrimSuffix(b.String(), " !")
}

// isFilePath reports whether a shell word is a path an audit inspects (not
// a program it runs, nor /dev/null).
func isFilePath(w string) bool {
	if strings.HasPrefix(w, "<") && strings.HasSuffix(w, ">") { // <path/to/cni/files>
		return true
	}
	if !strings.HasPrefix(w, "/") || len(w) < 2 || strings.Contains(w, "$") {
		return false
	}
	for _, prog := range []string{"/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/", "/dev/", "/proc/", "/api/"} {
		if strings.HasPrefix(w, prog) {
			return false
		}
	}
	return true
}

// variableFor returns the variable a literal path stands for: one whose
// component the path names (kube-bench's lists are generous: k3s's
// admin.kubeconfig is listed for the kubelet) and whose default it is,
// else the only such one that lists it; asked of the benchmark's own
// config.yaml, then the global one, then those of every benchmark.
func (st *store) variableFor(b *benchmark, path string) string {
	flat := strings.ReplaceAll(strings.ToLower(path), "-", "")
	names := func(component string) bool {
		if component == "controllermanager" { // k3s and RKE2 call it controller.kubeconfig
			component = "controller"
		}
		return strings.Contains(flat, component)
	}
	for _, vars := range [][]variable{b.vars, st.vars, st.benchVars} {
		var listed []string
		for _, v := range vars {
			if v.kind == "bin" || !names(v.component) {
				continue
			}
			if v.def == path {
				return v.name
			}
			if slices.Contains(v.paths, path) && !slices.Contains(listed, v.name) {
				listed = append(listed, v.name)
			}
		}
		if len(listed) == 1 {
			return listed[0]
		}
		if len(listed) > 1 {
			return ""
		}
	}
	return ""
}

func (st *store) variable(b *benchmark, name string) (variable, bool) {
	for _, vars := range [][]variable{b.vars, st.vars} {
		for _, v := range vars {
			if v.name == name {
				return v, true
			}
		}
	}
	return variable{}, false
}

// variablesIn returns the $names in a shell word.
func variablesIn(w string) []string {
	var out []string
	for {
		i := strings.IndexByte(w, '$')
		if i < 0 {
			return out
		}
		w = w[i+1:]
		j := 0
		for j < len(w) && (w[j] >= 'a' && w[j] <= 'z') {
			j++
		}
		if j > 0 {
			out = append(out, "$"+w[:j])
		}
		w = w[j:]
	}
}

// processes maps the names an audit greps for to kube-bench's components.
var processes = []struct{ word, component string }{
	{"kube-apiserver", "apiserver"},
	{"apiServerArguments", "apiserver"},
	{"kube-controller-manager", "controllermanager"},
	{"kube-scheduler", "scheduler"},
	{"kube-proxy", "proxy"},
	{"kubelet", "kubelet"},
	{"configz", "kubelet"},
	{"etcd", "etcd"},
}

// componentOf returns the component an audit reads: that of the first
// kube-bench variable it uses, else the first process it names.
func componentOf(st *store, b *benchmark, words []string, audit string) string {
	for _, w := range words {
		for _, v := range variablesIn(w) {
			if vr, ok := st.variable(b, v); ok {
				return vr.component
			}
		}
	}
	best, at := "", len(audit)+1
	for _, p := range processes {
		if i := strings.Index(audit, p.word); i >= 0 && i < at {
			best, at = p.component, i
		}
	}
	return best
}

// testNames returns the canonical names a check's tests read, sorted, or
// nil when they read no setting (output markers such as "NO_PRIVILEGED",
// "pass", "root:root").
func (st *store) testNames(component string, items []TestItem) []string {
	var names []string
	for _, it := range items {
		n := st.itemName(component, it)
		if n == "" {
			continue
		}
		switch op := strings.TrimSpace(it.Op); op {
		case "has", "nothave":
			if v := canonValue(it.Value); v != "" {
				n += " " + op + " " + v
			}
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

func (st *store) itemName(component string, it TestItem) string {
	if it.Path != "" {
		if n := etcdConfigPath(it.Path); n != "" {
			return st.aliasTerm(n)
		}
	}
	if it.Flag != "" {
		if !settingLike(it.Flag) {
			return ""
		}
		return st.aliasTerm(canonName(it.Flag))
	}
	if it.Path != "" {
		p := canonPath(it.Path)
		if f, ok := st.pathFlags[p]; ok {
			return st.aliasTerm(f)
		}
		return st.aliasTerm(p)
	}
	if it.Env != "" {
		e := strings.ToLower(it.Env)
		e = strings.TrimPrefix(e, component+"_")
		return st.aliasTerm(canonName(e))
	}
	return ""
}

// etcdConfigPath maps a path of etcd's config file to the flag it sets:
// {.client-transport-security.cert-file} is --cert-file,
// {.peer-transport-security.cert-file} is --peer-cert-file.
func etcdConfigPath(path string) string {
	p := strings.Trim(path, "{}.")
	if rest, ok := strings.CutPrefix(p, "client-transport-security."); ok {
		return canonName(rest)
	}
	if rest, ok := strings.CutPrefix(p, "peer-transport-security."); ok {
		return canonName("peer-" + rest)
	}
	return ""
}

// settingLike tells a flag or config name from an output marker.
func settingLike(flag string) bool {
	f := strings.TrimSpace(flag)
	if f == "" || strings.ContainsAny(f, ":= /") {
		return false
	}
	switch strings.ToLower(f) {
	case "permissions", "ownership", "pass", "fail", "true", "false", "notset", "yes", "no", "file":
		return false
	}
	if strings.Contains(f, "_") && !strings.HasPrefix(f, "-") { // exit_code, wildcards_present
		return false
	}
	upper := strings.ToUpper(f) == f && strings.ContainsAny(f, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	if upper && !strings.HasPrefix(f, "-") { // NO_PRIVILEGED, SECRETS_ACCESS_FOUND
		return false
	}
	return true
}

// canonName lower-cases a flag or env name and drops everything but
// letters and digits: --read-only-port, readOnlyPort and READ_ONLY_PORT
// are all readonlyport.
func canonName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// canonPath canonicalises a JSONPath of a config file: {.readOnlyPort} is
// readonlyport (as the flag), {.authentication.anonymous.enabled} is
// authentication.anonymous.enabled.
func canonPath(p string) string {
	p = strings.TrimSpace(p)
	p = strings.TrimPrefix(p, "{")
	p = strings.TrimSuffix(p, "}")
	p = strings.TrimPrefix(p, ".")
	parts := strings.Split(p, ".")
	for i, s := range parts {
		parts[i] = canonName(s)
	}
	return strings.Join(parts, ".")
}

func canonValue(v string) string {
	return strings.ToLower(strings.TrimSpace(v))
}

// normText reduces a check's text to the words that carry its meaning:
// lower case, no assessment status ("(Manual)", "(Automated)", "(Scored)",
// "(Not Scored)"), no punctuation, no numbers (a threshold that moved,
// "644" to "600"), no "ensure that the", and the words run together so that
// "Network Policies" and "NetworkPolicies" are one.
func normText(t string) string {
	out := make([]byte, 0, len(t))
	word := make([]byte, 0, 32)
	flush := func() {
		switch string(word) {
		case "", "ensure", "that", "the", "a", "an", "is", "are", "verify", "your":
		default:
			out = append(out, word...)
		}
		word = word[:0]
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		switch {
		case c >= 'a' && c <= 'z':
			word = append(word, c)
		case c == '(' && statusAt(t[i:]) > 0:
			flush()
			i += statusAt(t[i:]) - 1
		case c >= '0' && c <= '9':
			// numbers are thresholds
		default:
			flush()
		}
	}
	flush()
	return string(out)
}

// statusAt returns the length of an assessment status that t starts with
// ("(Manual)", "(Not Scored)", ...), or 0.
func statusAt(t string) int {
	for _, a := range []string{"(not scored)", "(scored)", "(manual)", "(automated)", "(not applicable)"} {
		if len(t) >= len(a) && strings.EqualFold(t[:len(a)], a) {
			return len(a)
		}
	}
	return 0
}

// shellWords splits an audit command into words at blanks, quotes and
// shell operators; good enough to find variables, paths and flags.
func shellWords(s string) []string {
	if strings.Contains(s, ",") && strings.Contains(s, "{") {
		s = expandBraces(s)
	}
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', '\'', '"', ';', '|', '(', ')', '`', '=', '&', '\\', '{', '}', ',':
			return true
		}
		return false
	})
}

// expandBraces expands the shell's brace expansions in s:
// /etc/kubernetes/{admin.conf,super-admin.conf} becomes
// /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf. ${var},
// find's {} and JSONPath's {.x} have no comma and stay.
func expandBraces(s string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(s, '{')
		if open < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := strings.IndexByte(s[open:], '}')
		if end < 0 {
			b.WriteString(s)
			return b.String()
		}
		end += open
		inner := s[open+1 : end]
		if !strings.Contains(inner, ",") || strings.ContainsAny(inner, " \t\n{$") || (open > 0 && s[open-1] == '$') {
			b.WriteString(s[:end+1])
			s = s[end+1:]
			continue
		}
		// The word around the braces: back to a blank or quote, on to one.
		from := strings.LastIndexAny(s[:open], " \t\n'\"") + 1
		to := end + 1
		if k := strings.IndexAny(s[to:], " \t\n'\";|"); k >= 0 {
			to += k
		} else {
			to = len(s)
		}
		b.WriteString(s[:from])
		for i, alt := range strings.Split(inner, ",") {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(s[from:open] + alt + s[end+1:to])
		}
		s = s[to:]
	}
}

// aliasTerm applies the reviewed alias rows to one term of an identity
// (a subject or a name).
func (st *store) aliasTerm(t string) string {
	for range len(st.overrides.alias) { // a chain of rows, never a loop
		to, ok := st.overrides.alias[t]
		if !ok {
			break
		}
		st.overrides.markUsed(t)
		t = to
	}
	return t
}

// prepare computes what identities need (the reviewed overrides, the
// config paths that stand for flags); [store.prepared] derives each
// benchmark's identities on its first use.
func (st *store) prepare() {
	var problems []error
	st.overrides, problems = parseOverrides(overridesFile)
	if len(problems) > 0 && st.err == nil {
		st.err = problems[0]
	}
	// A path is an alias of a flag when every test item that names both
	// pairs it with that one flag (the generator lists the distinct pairs
	// of every benchmark: a look-up decodes one benchmark's checks only).
	pairs := map[string]string{}
	for _, pf := range st.pairs {
		path, flag := pf[0], pf[1]
		if path == "" || flag == "" || !settingLike(flag) {
			continue
		}
		p, f := canonPath(path), canonName(flag)
		if have, ok := pairs[p]; ok && have != f {
			pairs[p] = "" // paired with two flags: no alias
		} else if !ok {
			pairs[p] = f
		}
	}
	st.benchVars = nil
	for _, b := range st.benches {
		for _, v := range b.vars {
			v.def = "" // another benchmark's default is not this one's
			st.benchVars = append(st.benchVars, v)
		}
	}
	st.pathFlags = map[string]string{}
	for p, f := range pairs {
		if f != "" && f != p {
			st.pathFlags[p] = f
		}
	}
}

// prepared returns a benchmark with its checks decoded and its identities
// derived: each benchmark's on first use, so that a gate that reads one
// benchmark pays for that one. A benchmark whose data is damaged is not
// known.
func (st *store) prepared(id string) (*benchmark, bool) {
	b, ok := st.byID[id]
	if !ok {
		return nil, false
	}
	b.identOnce.Do(func() {
		st.decodeChecks(b)
		if !b.bodyOK {
			return
		}
		b.idents = make([]Identity, len(b.defs))
		b.textKeys = make([]Identity, len(b.defs))
		for i := range b.defs {
			b.idents[i] = st.identify(b, &b.defs[i].Control)
			if strings.HasPrefix(string(b.idents[i]), "text ") {
				b.textKeys[i] = b.idents[i]
			} else {
				b.textKeys[i] = Identity(st.aliasTerm(string(textIdentity(&b.defs[i].Control))))
			}
		}
	})
	return b, b.bodyOK
}
