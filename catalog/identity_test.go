package catalog

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDerive derives identities of checks written as kube-bench writes
// them, one rule per row.
func TestDerive(t *testing.T) {
	t.Parallel()
	st := newStore(data) // its own: identify records which overrides applied
	b := st.byID["cis-1.10"]
	item := func(flag, path, op, value string) TestItem {
		return TestItem{Flag: flag, Path: path, Set: true, Op: op, Value: value}
	}
	tests := []struct {
		name    string
		c       Control
		section string
		want    Identity
	}{
		{
			name: "file mode of a variable, threshold left out",
			c:    Control{Audit: "/bin/sh -c 'if test -e $kubeletconf; then stat -c permissions=%a $kubeletconf; fi'", Tests: Tests{Items: []TestItem{item("permissions", "", "bitmask", "600")}}},
			want: "mode $kubeletconf",
		},
		{
			name: "owner of a literal path that is a variable's default",
			c:    Control{Audit: "stat -c %U:%G /etc/kubernetes/manifests/kube-apiserver.yaml"},
			want: "owner $apiserverconf",
		},
		{
			name: "a loop over files: the first one",
			c:    Control{Audit: `for adminconf in /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf; do if test -e $adminconf; then stat -c "permissions=%a %n" $adminconf; fi; done`},
			want: "mode /etc/kubernetes/admin.conf",
		},
		{
			name: "brace expansion",
			c:    Control{Audit: `for f in /etc/kubernetes/{admin.conf,super-admin.conf}; do stat -c "ownership=%U:%G %n" $f; done`},
			want: "owner /etc/kubernetes/admin.conf",
		},
		{
			name: "find with name tests, and a glob, are one",
			c:    Control{Audit: "find /etc/kubernetes/pki/ -name '*.key' | xargs stat -c permissions=%a"},
			want: "mode /etc/kubernetes/pki -name *.key",
		},
		{
			name: "glob",
			c:    Control{Audit: "stat -c permissions=%a /etc/kubernetes/pki/*.key"},
			want: "mode /etc/kubernetes/pki -name *.key",
		},
		{
			name: "RKE's /node mount",
			c:    Control{Audit: "stat -c %U:%G /node/var/lib/etcd"},
			want: "owner /var/lib/etcd",
		},
		{
			name: "a flag's value names the file (reviewed alias to the variable)",
			c:    Control{Audit: `ps -ef | grep $etcdbin | grep -- --data-dir | sed 's%.*data-dir[= ]\([^ ]*\).*%\1%' | xargs stat -c %U:%G`},
			want: "owner $etcddatadir",
		},
		{
			name: "process flag; eq's value is a threshold",
			c:    Control{Audit: "/bin/ps -ef | grep $apiserverbin | grep -v grep", Tests: Tests{Items: []TestItem{item("--anonymous-auth", "", "eq", "false")}}},
			want: "setting apiserver anonymousauth",
		},
		{
			name: "has: the value distinguishes",
			c:    Control{Audit: "/bin/ps -ef | grep $apiserverbin | grep -v grep", Tests: Tests{Items: []TestItem{item("--authorization-mode", "", "has", "RBAC")}}},
			want: "setting apiserver authorizationmode has rbac",
		},
		{
			name: "kubelet flag and config path are one name",
			c: Control{Audit: "/bin/ps -fC $kubeletbin", AuditConfig: "/bin/cat $kubeletconf", Tests: Tests{BinOp: "or", Items: []TestItem{
				item("--read-only-port", "{.readOnlyPort}", "eq", "0"), {Flag: "--read-only-port", Path: "{.readOnlyPort}"}}}},
			want: "setting kubelet readonlyport",
		},
		{
			name: "config path alone, paired elsewhere with its flag",
			c:    Control{AuditConfig: "/bin/cat $kubeletconf", Tests: Tests{Items: []TestItem{item("", "{.authentication.anonymous.enabled}", "eq", "false")}}},
			want: "setting kubelet anonymousauth",
		},
		{
			name: "etcd config file paths are its flags",
			c:    Control{AuditConfig: "cat $etcdconf", Tests: Tests{Items: []TestItem{item("", "{.peer-transport-security.cert-file}", "", ""), item("", "{.peer-transport-security.key-file}", "", "")}}},
			want: "setting etcd peercertfile,peerkeyfile",
		},
		{
			name: "etcd section grepped from the config file",
			c:    Control{Audit: "grep -A 4 'peer-transport-security' $etcdconf | grep 'client-cert-auth'", Tests: Tests{Items: []TestItem{item("client-cert-auth", "", "eq", "true")}}},
			want: "setting etcd peerclientcertauth",
		},
		{
			name: "env var of etcd",
			c:    Control{AuditEnv: "cat /proc/$(pidof etcd)/environ", Tests: Tests{Items: []TestItem{{Env: "ETCD_AUTO_TLS", Set: true, Op: "noteq", Value: "true"}}}},
			want: "setting etcd autotls",
		},
		{
			name:    "the section corrects a copied audit",
			c:       Control{Audit: `journalctl -m -u k3s | grep "Running kube-apiserver" | tail -n1 | grep "anonymous-auth"`, Tests: Tests{Items: []TestItem{item("--anonymous-auth", "", "eq", "false")}}},
			section: "Kubelet",
			want:    "setting kubelet anonymousauth",
		},
		{
			name: "k3s log of a component",
			c:    Control{Audit: `journalctl -m -u k3s | grep 'Running kube-controller-manager' | tail -n1 | grep 'profiling'`, Tests: Tests{Items: []TestItem{item("--profiling", "", "eq", "false")}}},
			want: "setting controllermanager profiling",
		},
		{
			name: "cluster query: markers are no settings, the text is the identity",
			c:    Control{Text: "Minimize the admission of privileged containers (Automated)", Audit: "kubectl get pods -A -o json | jq ...", Tests: Tests{Items: []TestItem{item("NO_PRIVILEGED", "", "eq", "NO_PRIVILEGED")}}},
			want: "text minimizeadmissionofprivilegedcontainers",
		},
		{
			name:    "manual text, with the section's component",
			c:       Control{Text: "Ensure that the --profiling argument is set to false (Manual)"},
			section: "Controller Manager",
			want:    "text controllermanager: profilingargumentsettofalse",
		},
		{
			name: "text: punctuation, numbers, status and spacing do not count",
			c:    Control{Text: "Ensure that all Namespaces have Network Policies defined. (Not Scored)"},
			want: "text allnamespaceshavenetworkpoliciesdefined",
		},
		{
			name: "a STIG id is permanent",
			c:    Control{ID: "V-242391", Audit: "/bin/ps -fC $kubeletbin", Tests: Tests{Items: []TestItem{item("--anonymous-auth", "", "eq", "false")}}},
			want: "stig V-242391",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := tt.c
			c.Benchmark, c.Target, c.Section.Text = "test", "master", tt.section
			if got := st.identify(b, &c); got != tt.want {
				t.Errorf("identity = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNormText: two texts that say the same are one; thresholds go.
func TestNormText(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ a, b string }{
		{"Ensure that default service accounts are not actively used. (Manual)", "Ensure that default service accounts are not actively used (Automated)"},
		{"Ensure that the CNI in use supports Network Policies (Manual)", "Ensure that the CNI in use supports NetworkPolicies (Manual)"},
		{"Image scanning or a third-party provider", "Image scanning or a third party provider"},
		{"permissions are set to 644 or more restrictive (Scored)", "permissions are set to 600 or more restrictive (Automated)"},
	} {
		if normText(tt.a) != normText(tt.b) {
			t.Errorf("normText(%q) = %q, normText(%q) = %q: want equal", tt.a, normText(tt.a), tt.b, normText(tt.b))
		}
	}
	if normText("Minimize access to secrets") == normText("Minimize access to create pods") {
		t.Error("different texts normalise alike")
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"profiling", "profiling", 0},
		{"profilling", "profiling", 1},
		{"porfiling", "profiling", 1}, // transposition
		{"anonymousauth", "anonymusauth", 1},
		{"abc", "xyz", 3},
		{"", "abcdef", 3}, // capped: more than any caller allows
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestOverrides: every row of overrides.md parses, has a reason and still
// applies to something.
func TestOverrides(t *testing.T) {
	t.Parallel()
	st := load()
	for _, b := range st.benches {
		st.prepared(b.id)
	}
	o, problems := parseOverrides(overridesFile)
	for _, p := range problems {
		t.Error(p)
	}
	if len(o.rows) == 0 {
		t.Fatal("overrides.md has no rows")
	}
	for _, r := range o.rows {
		var used bool
		switch r.rule {
		case "alias":
			used = st.overrides.wasUsed(r.appliesTo)
		case "control":
			used = st.overrides.wasUsed(r.appliesTo)
			if !strings.ContainsAny(r.appliesTo, "*?[") {
				f := strings.Fields(r.appliesTo)
				if _, ok := Lookup(f[0], f[1], f[2]); !ok {
					t.Errorf("overrides.md:%d: %s is no check of the catalog", r.line, r.appliesTo)
				}
			}
		}
		if !used {
			t.Errorf("overrides.md:%d: %s %q applies to nothing", r.line, r.rule, r.appliesTo)
		}
	}
}

func TestParseOverridesProblems(t *testing.T) {
	t.Parallel()
	text := "| rule | applies to | identity | reason |\n|---|---|---|---|\n" +
		"| alias | a | b | |\n" +
		"| control | cis-1.10 master | x | why |\n" +
		"| rename | a | b | why |\n" +
		"| alias | a | c | why |\n" +
		"| too | few |\n"
	_, problems := parseOverrides(text)
	var got []string
	for _, p := range problems {
		got = append(got, p.Error())
	}
	want := []string{
		"overrides.md:3: no reason",
		`overrides.md:4: applies to "cis-1.10 master": want BENCHMARK TARGET ID`,
		`overrides.md:5: rule "rename": want alias or control`,
		`overrides.md:6: "a" is aliased twice`,
		"overrides.md:7: want 4 cells (rule, applies to, identity, reason), have 2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

// TestLoadDamaged: damaged data is an error, never a panic.
func TestLoadDamaged(t *testing.T) {
	t.Parallel()
	for _, gz := range [][]byte{nil, []byte("not gzip"), data[:len(data)/2]} {
		st := newStore(gz)
		if st.err == nil || len(st.benches) != 0 {
			t.Errorf("newStore(%d bytes): err %v, %d benchmarks", len(gz), st.err, len(st.benches))
		}
	}
	if st := newStore(data); st.err != nil || !slices.ContainsFunc(st.benches, func(b *benchmark) bool { return b.id == "cis-1.10" }) {
		t.Errorf("newStore(data): %v", st.err)
	}
}

func TestExpandBraces(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"for f in /etc/kubernetes/{admin.conf,super-admin.conf}; do", "for f in /etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf; do"},
		{`stat "/a/{b,c}.d"`, `stat "/a/b.d /a/c.d"`},
		{"find . -exec stat {} + ; echo ${HOME}", "find . -exec stat {} + ; echo ${HOME}"},
		{"jsonpath={.items[*]} {a,b}", "jsonpath={.items[*]} a b"},
		{"unclosed {a,b", "unclosed {a,b"},
	} {
		if got := expandBraces(tt.in); got != tt.want {
			t.Errorf("expandBraces(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
