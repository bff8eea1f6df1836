"""check.py TRACE_DIR DROPIN VERSION=DIR...: compare trace's kubeadmDefaults
with the default arguments kubeadm's source gives each component, and
trace's kubeadmDropIn with the flags of kubeadm's kubelet drop-in DROPIN
(10-kubeadm.conf of k8s.io/release).

A flag kubeadm sets only under a condition (a pod subnet, an etcd member
joining) is listed as conditional, not as a difference. Exit 1 when a flag
kubeadm always sets is missing from kubeadmDefaults, or kubeadmDefaults has
one kubeadm never sets, or a literal value differs."""
import re
import sys

FUNCS = {
    "APIServer": ("controlplane/manifests.go", "getAPIServerCommand"),
    "ControllerManager": ("controlplane/manifests.go", "getControllerManagerCommand"),
    "Scheduler": ("controlplane/manifests.go", "getSchedulerCommand"),
    "Etcd": ("etcd/local.go", "getEtcdCommand"),
}
# set by kubeadm only when the configuration asks for it
CONDITIONAL = {
    "ControllerManager": {"allocate-node-cidrs", "cluster-cidr", "service-cluster-ip-range"},
    "Etcd": {"initial-cluster-state"},
}


def ours(path):
    src = open(path).read()
    i = src.index("var kubeadmDefaults")
    block = src[i:src.index("\n}\n", i)]
    out, cur = {}, None
    for line in block.split("\n"):
        m = re.match(r"\s*(APIServer|ControllerManager|Scheduler|Etcd): \{", line)
        if m:
            cur = m.group(1)
            out[cur] = {}
            continue
        if cur:
            for name, value in re.findall(r'"--([a-z0-9-]+)=([^"]*)"', line):
                out[cur][name] = value
    return out


def kubeadms(src_dir, comp):
    file, fn = FUNCS[comp]
    src = open(f"{src_dir}/cmd/kubeadm/app/phases/{file}").read()
    i = src.index("func " + fn)
    body = src[i:src.index("\n}\n", i)]
    out = {}
    for name, value in re.findall(r'\{Name: "([a-z0-9-]+)", Value: ([^}]*)\}', body):
        out[name] = value.strip()
    for name, value in re.findall(r'SetArgValues\((?:defaultArguments|cfg\.APIServer\.ExtraArgs), "([a-z0-9-]+)", (.*), 1\)', body):
        out.setdefault(name, value.strip())
    return out


def dropin(trace_dir, conf):
    src = open(f"{trace_dir}/systemd.go").read()
    i = src.index("var kubeadmDropIn")
    mine = re.findall(r'"(--[^"]+)"', src[i:src.index("\n}\n", i)])
    theirs = []
    for name, value in re.findall(r'^Environment="(KUBELET_[A-Z]+_ARGS)=([^"]*)"', open(conf).read(), re.M):
        theirs += value.split()
    same = mine == theirs
    print(f"kubelet drop-in {conf.split('/pkg/mod/')[-1]}: {'same' if same else 'DIFFERENT'}: {len(theirs)} flags, {len(mine)} in kubeadmDropIn")
    if not same:
        print(f"  kubeadm: {' '.join(theirs)}\n  kubeadmDropIn: {' '.join(mine)}")
    return 0 if same else 1


def main():
    mine = ours(sys.argv[1] + "/kubeadm.go")
    problems = dropin(sys.argv[1], sys.argv[2])
    for arg in sys.argv[3:]:
        version, src_dir = arg.split("=", 1)
        for comp in FUNCS:
            theirs = kubeadms(src_dir, comp)
            cond = CONDITIONAL.get(comp, set())
            missing = sorted(set(theirs) - set(mine[comp]) - cond)
            extra = sorted(set(mine[comp]) - set(theirs))
            literal = sorted(n for n, v in theirs.items() if n in mine[comp] and v.startswith('"') and v.strip('"') != mine[comp][n])
            status = "same" if not (missing or extra or literal) else "DIFFERENT"
            print(f"{version} {comp}: {status}: {len(set(theirs) - cond)} flags kubeadm always sets, {len(mine[comp])} in kubeadmDefaults"
                  + (f"; conditional, left out: {', '.join(sorted(cond & set(theirs)))}" if cond & set(theirs) else ""))
            for what, names in (("only kubeadm", missing), ("only kubeadmDefaults", extra), ("literal value differs", literal)):
                if names:
                    problems += 1
                    print(f"  {what}: {', '.join(names)}")
    sys.exit(1 if problems else 0)


main()
