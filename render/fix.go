package render

import (
	"path"
	"regexp"
	"strings"

	"github.com/bench-action/bench-action/benchresult"
	"github.com/bench-action/bench-action/catalog"
)

// How a control is fixed, as a person applies it: the concrete change the
// catalog knows from kube-bench's own test (a flag and its value, a
// kubelet config key, a file mode or owner), then kube-bench's remediation
// prose, cleaned up.

// Fix is the concrete change that makes a control pass, in Markdown, or ""
// when the catalog does not know the control or its test does not say
// which value passes (a regex, a list of ciphers). Paths are kube-bench's
// defaults for kubeadm clusters.
func Fix(c *benchresult.Control) string {
	cc, ok := lookup(c)
	if !ok {
		return ""
	}
	id := string(cc.Identity)
	switch {
	case strings.HasPrefix(id, "mode "):
		file, ok := subjectPath(strings.TrimPrefix(id, "mode "), cc.Benchmark)
		mode := testValue(cc, "bitmask")
		if !ok || mode == "" {
			return ""
		}
		return "run " + codeSpan("chmod "+mode+" "+file) + " (or more restrictive)"
	case strings.HasPrefix(id, "owner "):
		file, ok := subjectPath(strings.TrimPrefix(id, "owner "), cc.Benchmark)
		owner := ownerValue(cc)
		if !ok || owner == "" {
			return ""
		}
		return "run " + codeSpan("chown "+owner+" "+file)
	case strings.HasPrefix(id, "setting "):
		comp := strings.Fields(strings.TrimPrefix(id, "setting "))[0]
		return settingFix(comp, cc.Tests, kubeadm(cc.Benchmark))
	}
	return ""
}

// Short is a few words saying what is wrong with a control, for a
// headline: "`--profiling` not false", "`kube-apiserver.yaml` mode not
// 600"; else the control's text without "Ensure that the" and its
// assessment, cut to about 60 characters. Markdown.
func Short(c *benchresult.Control) string { return shortIn(markdownInline, c) }

// shortIn is [Short] written in st.
func shortIn(st inline, c *benchresult.Control) string {
	if s, ok := shortKnownIn(st, c); ok {
		return s
	}
	return st.text(shortText(c.Text))
}

// shortKnown is [Short] from the catalog's test of the control, if it
// has one that says it in a few words.
func shortKnown(c *benchresult.Control) (string, bool) { return shortKnownIn(markdownInline, c) }

// shortKnownIn is [shortKnown] written in st.
func shortKnownIn(st inline, c *benchresult.Control) (string, bool) {
	cc, ok := lookup(c)
	if !ok {
		return "", false
	}
	id := string(cc.Identity)
	switch {
	case strings.HasPrefix(id, "mode "):
		if file, ok := subjectPath(strings.TrimPrefix(id, "mode "), cc.Benchmark); ok {
			if mode := testValue(cc, "bitmask"); mode != "" {
				return st.code(shortPath(file)) + " mode not " + mode, true
			}
		}
	case strings.HasPrefix(id, "owner "):
		if file, ok := subjectPath(strings.TrimPrefix(id, "owner "), cc.Benchmark); ok {
			if owner := ownerValue(cc); owner != "" {
				return st.code(shortPath(file)) + " not owned by " + st.text(owner), true
			}
		}
	case strings.HasPrefix(id, "setting "):
		if items := wanted(cc.Tests); len(items) == 1 {
			if s := shortSetting(st, items[0]); s != "" {
				return s, true
			}
		}
	}
	return "", false
}

// plainText is a control's text without "Ensure that the" and its
// assessment, uncut.
func plainText(text string) string {
	t := OneLine(text)
	if i := strings.LastIndex(t, " ("); i > 0 && strings.HasSuffix(t, ")") {
		t = t[:i]
	}
	for _, p := range []string{"Ensure that the ", "Ensure that ", "Ensure the ", "Ensure "} {
		if strings.HasPrefix(t, p) {
			t = t[len(p):]
			break
		}
	}
	return t
}

// shortText is a control's text without its boilerplate, at most about 60
// characters.
func shortText(text string) string {
	t := plainText(text)
	if r := []rune(t); len(r) > 60 {
		cut := strings.LastIndex(string(r[:60]), " ")
		if cut < 30 {
			cut = len(string(r[:60]))
		}
		t = t[:cut] + "…"
	}
	return t
}

// shortPath is a file's base name, or the whole path of a directory
// ("/var/lib/etcd"), whose base name alone says little.
func shortPath(p string) string {
	if b := path.Base(p); strings.Contains(b, ".") {
		return b
	}
	return p
}

func lookup(c *benchresult.Control) (catalog.Control, bool) {
	if c == nil || c.Benchmark == "" {
		return catalog.Control{}, false
	}
	return catalog.Lookup(c.Benchmark, string(c.Target), c.ID)
}

// defaultPaths are kube-bench's defaults (cfg/config.yaml, kubeadm) of the
// variables its audits name files by.
var defaultPaths = map[string]string{
	"$apiserverconf":               "/etc/kubernetes/manifests/kube-apiserver.yaml",
	"$controllermanagerconf":       "/etc/kubernetes/manifests/kube-controller-manager.yaml",
	"$schedulerconf":               "/etc/kubernetes/manifests/kube-scheduler.yaml",
	"$etcdconf":                    "/etc/kubernetes/manifests/etcd.yaml",
	"$controllermanagerkubeconfig": "/etc/kubernetes/controller-manager.conf",
	"$schedulerkubeconfig":         "/etc/kubernetes/scheduler.conf",
	"$etcddatadir":                 "/var/lib/etcd",
	"$kubeletconf":                 "/var/lib/kubelet/config.yaml",
	"$kubeletsvc":                  "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf",
	"$kubeletkubeconfig":           "/etc/kubernetes/kubelet.conf",
	"$kubeletcafile":               "/etc/kubernetes/pki/ca.crt",
	"$proxykubeconfig":             "/etc/kubernetes/proxy.conf",
}

// subjectPath is the file of a mode or owner identity: a literal path, or
// a variable's default path in a benchmark of kubeadm's layout.
func subjectPath(subject, benchmark string) (string, bool) {
	if strings.HasPrefix(subject, "/") && !strings.ContainsAny(subject, " *<>$") {
		return subject, true
	}
	if !kubeadm(benchmark) {
		return "", false
	}
	p, ok := defaultPaths[subject]
	return p, ok
}

// kubeadm reports whether a benchmark's files are where kubeadm puts them:
// the CIS Kubernetes benchmarks ("cis-1.10"). Managed providers (eks, gke,
// aks), OpenShift, k3s and RKE2 keep them elsewhere, so their fixes name
// no file.
func kubeadm(benchmark string) bool { return strings.HasPrefix(benchmark, "cis-") }

// testValue is the value of the first test item with operator op.
func testValue(cc catalog.Control, op string) string {
	for _, it := range cc.Tests.Items {
		if it.Set && it.Op == op && it.Value != "" {
			return it.Value
		}
	}
	return ""
}

var ownerRE = regexp.MustCompile(`^[a-z0-9_-]+:[a-z0-9_-]+$`)

// ownerValue is the user:group an owner check wants: kube-bench tests the
// output of stat for it as a flag ("root:root") or a value.
func ownerValue(cc catalog.Control) string {
	for _, it := range cc.Tests.Items {
		switch {
		case !it.Set:
		case ownerRE.MatchString(it.Value):
			return it.Value
		case ownerRE.MatchString(it.Flag):
			return it.Flag
		}
	}
	return ""
}

// wanted are the test items a fix sets: with "or", the first item that
// requires a setting (an item passing when a flag is absent asks for
// nothing); with "and", all of them.
func wanted(t catalog.Tests) []catalog.TestItem {
	var set []catalog.TestItem
	for _, it := range t.Items {
		if it.Set && (it.Flag != "" || it.Path != "" || it.Env != "") {
			set = append(set, it)
		}
	}
	if t.BinOp == "or" && len(set) > 1 {
		return set[:1]
	}
	return set
}

// components names kube-bench's components as people do, with the file
// their command line lives in on a kubeadm node.
var components = map[string]struct{ name, cmdline string }{
	"apiserver":         {"kube-apiserver", "/etc/kubernetes/manifests/kube-apiserver.yaml"},
	"controllermanager": {"kube-controller-manager", "/etc/kubernetes/manifests/kube-controller-manager.yaml"},
	"scheduler":         {"kube-scheduler", "/etc/kubernetes/manifests/kube-scheduler.yaml"},
	"etcd":              {"etcd", "/etc/kubernetes/manifests/etcd.yaml"},
	"kubelet":           {"kubelet", "/etc/systemd/system/kubelet.service.d/10-kubeadm.conf"},
	"proxy":             {"kube-proxy", ""},
}

// flagRE is a command-line flag a fix can name.
var flagRE = regexp.MustCompile(`^--[A-Za-z0-9][A-Za-z0-9-]*$`)

// settingFix writes the change for a component's flags or config keys.
func settingFix(comp string, t catalog.Tests, paths bool) string {
	info, ok := components[comp]
	items := wanted(t)
	if !ok || len(items) == 0 {
		return ""
	}
	var flags, keys []string
	free := false // a value the test does not fix: the cluster's own
	for _, it := range items {
		free = free || it.Op == ""
		f, k := flagChange(it), keyChange(it)
		if f == "" && k == "" {
			return "" // a test no single value satisfies
		}
		if f != "" {
			flags = append(flags, f)
		}
		if k != "" {
			keys = append(keys, k)
		}
	}
	if free {
		flags, keys = joinSet(flags), joinSet(keys)
	}
	where := info.name + "'s command line"
	if info.cmdline != "" && paths {
		where += ", " + codeSpan(info.cmdline)
	}
	conf := ""
	switch comp {
	case "kubelet":
		conf = "the kubelet config file"
		if paths {
			conf += ", " + codeSpan(defaultPaths["$kubeletconf"])
		}
	case "proxy":
		conf = "kube-proxy's config file"
		if paths {
			conf += ", " + codeSpan(defaultPaths["$proxykubeconfig"])
		}
	}
	n := len(items)
	if free {
		n = 1
	}
	suffix := ""
	if free {
		suffix = " to your cluster's value"
		if len(items) > 1 {
			suffix = " to your cluster's values"
		}
	}
	switch {
	case len(keys) == n && conf != "" && len(flags) == n:
		return strings.Join(keys, " and ") + suffix + " in " + conf + " (or " + strings.Join(flags, " and ") + " in " + where + ")"
	case len(keys) == n && conf != "":
		return strings.Join(keys, " and ") + suffix + " in " + conf
	case len(flags) == n:
		return strings.Join(flags, " and ") + suffix + " in " + where
	}
	return ""
}

// joinSet folds "set `a`", "set `b`" into one "set `a` and `b`".
func joinSet(changes []string) []string {
	if len(changes) < 2 {
		return changes
	}
	names := make([]string, len(changes))
	for i, c := range changes {
		n, ok := strings.CutPrefix(c, "set ")
		if !ok {
			return changes
		}
		names[i] = n
	}
	return []string{"set " + strings.Join(names, " and ")}
}

// flagChange is the change of one test item on the command line:
// "set `--profiling=false`", "add `NodeRestriction` to
// `--enable-admission-plugins`".
func flagChange(it catalog.TestItem) string {
	if !flagRE.MatchString(it.Flag) {
		return ""
	}
	return change(it, it.Flag, "=")
}

// keyChange is the change of one test item in a config file: "set
// `authentication.anonymous.enabled: false`".
func keyChange(it catalog.TestItem) string {
	k := strings.TrimSuffix(strings.TrimPrefix(it.Path, "{."), "}")
	if k == "" || k == it.Path || strings.ContainsAny(k, "{}[]*() ") {
		return ""
	}
	return change(it, k, ": ")
}

func change(it catalog.TestItem, name, sep string) string {
	v := it.Value
	switch it.Op {
	case "eq":
		if v == "" {
			return ""
		}
		return "set " + codeSpan(name+sep+v)
	case "has":
		if v == "" {
			return ""
		}
		return "add " + codeSpan(v) + " to " + codeSpan(name)
	case "nothave":
		if v == "" {
			return ""
		}
		return "remove " + codeSpan(v) + " from " + codeSpan(name)
	case "noteq":
		return "set " + codeSpan(name) + " to a value other than " + codeSpan(v)
	case "gt", "gte", "lt", "lte":
		word := map[string]string{"gt": "above", "gte": "at least", "lt": "below", "lte": "at most"}[it.Op]
		return "set " + codeSpan(name) + " to " + word + " " + codeSpan(v)
	case "":
		return "set " + codeSpan(name)
	}
	return ""
}

// shortSetting says what is wrong with one flag or key, for a headline.
func shortSetting(st inline, it catalog.TestItem) string {
	name := it.Flag
	if !flagRE.MatchString(name) {
		name = strings.TrimSuffix(strings.TrimPrefix(it.Path, "{."), "}")
		if name == "" || strings.ContainsAny(name, "{}[]*() ") {
			return ""
		}
	}
	n, v := st.code(name), st.text(it.Value)
	switch it.Op {
	case "eq":
		return n + " not " + v
	case "noteq":
		return n + " is " + v
	case "has":
		return n + " lacks " + v
	case "nothave":
		return n + " has " + v
	case "gt", "gte":
		return n + " too low"
	case "lt", "lte":
		return n + " too high"
	case "":
		return n + " not set"
	}
	return ""
}

// Remediation cleanup: kube-bench's prose is hard-wrapped, quotes some
// names in stray backticks and has a few slips ("on the each worker
// node"). The cleanup is generic: it never rewrites a command.

// commandRE starts a line that is a command or a flag to type.
var commandRE = regexp.MustCompile(`^(chmod|chown|systemctl|kubectl|ps|cat|sed|ls|stat|openssl|mkdir|rm|mv|cp|find|grep) |^--[A-Za-z0-9-]+(=\S*)?$`)

// slips are obvious typos of kube-bench's remediation prose: a word
// doubled, "the each".
var slips = strings.NewReplacer(" the each ", " each ", " the the ", " the ", " a an ", " an ", " on on ", " on ", " to to ", " to ")

// RemediationMarkdown renders kube-bench's remediation prose as Markdown
// lines: prose lines joined into paragraphs and escaped, stray backticks
// dropped, obvious slips fixed, and each command or flag on its own line
// as inline code (after "For example," too). Each returned line is one
// paragraph or command; callers lay them out (a blockquote, a list item).
func RemediationMarkdown(rem string) []string {
	var out []string
	var para []string
	flush := func() {
		if len(para) > 0 {
			t := " " + strings.Join(para, " ") + " "
			out = append(out, MarkdownText(strings.TrimSpace(slips.Replace(t))))
			para = nil
		}
	}
	for _, raw := range strings.Split(logLines(rem), "\n") {
		l := strings.TrimSpace(strings.ReplaceAll(OneLine(raw), "`", ""))
		if l == "" {
			flush()
			continue
		}
		if p, cmd, ok := strings.Cut(l, "For example, "); ok && commandRE.MatchString(cmd) {
			if p = strings.TrimSpace(p); p != "" {
				para = append(para, p)
			}
			para = append(para, "For example,")
			flush()
			out = append(out, codeSpan(cmd))
			continue
		}
		if commandRE.MatchString(l) {
			flush()
			out = append(out, codeSpan(l))
			continue
		}
		para = append(para, l)
	}
	flush()
	return out
}

// RemediationLine is [RemediationMarkdown] on one line.
func RemediationLine(rem string) string {
	return strings.Join(RemediationMarkdown(rem), " ")
}

// cleanReason is kube-bench's reason for an audit that did not run on one
// clean line: the escaped line breaks ("\n" as two characters) kube-bench
// leaves in the audit's output become spaces.
func cleanReason(s string) string {
	s = strings.NewReplacer(`\n"`, `"`, `\r\n`, " ", `\n`, " ", `\t`, " ", `\r`, " ").Replace(s)
	return OneLine(s)
}
