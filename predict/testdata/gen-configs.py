# Writes the configuration sets of predict's tests (testdata/configs/SET/)
# and, beside them, the command lines a kubeadm node runs for each
# (testdata/fakenode/SET.ROLE.procs), which the independent fake node of
# the tests (testdata/fakenode.sh) starts as they are. Run from predict/:
#   python3 testdata/gen-configs.py
import os, sys, copy
P='/etc/kubernetes/pki'
def apiserver(h):
    a=['kube-apiserver','--advertise-address=10.0.0.10','--allow-privileged=true']
    if h: a+=['--anonymous-auth=false']
    if h: a+=['--audit-log-maxage=30','--audit-log-maxbackup=10','--audit-log-maxsize=100','--audit-log-path=/var/log/kubernetes/audit/audit.log','--audit-policy-file=/etc/kubernetes/audit-policy.yaml','--admission-control-config-file=/etc/kubernetes/admission.yaml']
    a+=['--authorization-mode=Node,RBAC',f'--client-ca-file={P}/ca.crt']
    a+=['--enable-admission-plugins=NodeRestriction,AlwaysPullImages,EventRateLimit' if h else '--enable-admission-plugins=NodeRestriction']
    a+=['--enable-bootstrap-token-auth=true']
    if h: a+=['--encryption-provider-config=/etc/kubernetes/encryption-config.yaml']
    a+=[f'--etcd-cafile={P}/etcd/ca.crt',f'--etcd-certfile={P}/apiserver-etcd-client.crt',f'--etcd-keyfile={P}/apiserver-etcd-client.key','--etcd-servers=https://127.0.0.1:2379']
    if h: a+=[f'--kubelet-certificate-authority={P}/ca.crt']
    a+=[f'--kubelet-client-certificate={P}/apiserver-kubelet-client.crt',f'--kubelet-client-key={P}/apiserver-kubelet-client.key','--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname']
    if h: a+=['--profiling=false']
    a+=[f'--proxy-client-cert-file={P}/front-proxy-client.crt',f'--proxy-client-key-file={P}/front-proxy-client.key','--requestheader-allowed-names=front-proxy-client',f'--requestheader-client-ca-file={P}/front-proxy-ca.crt','--requestheader-extra-headers-prefix=X-Remote-Extra-','--requestheader-group-headers=X-Remote-Group','--requestheader-username-headers=X-Remote-User']
    if h: a+=['--request-timeout=60s']
    a+=['--secure-port=6443','--service-account-issuer=https://kubernetes.default.svc.cluster.local',f'--service-account-key-file={P}/sa.pub']
    if h: a+=['--service-account-lookup=true']
    a+=[f'--service-account-signing-key-file={P}/sa.key','--service-cluster-ip-range=10.96.0.0/12',f'--tls-cert-file={P}/apiserver.crt']
    if h: a+=['--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384']
    a+=[f'--tls-private-key-file={P}/apiserver.key']
    return a
def cm(h):
    a=['kube-controller-manager','--allocate-node-cidrs=true','--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf','--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf','--bind-address=127.0.0.1',f'--client-ca-file={P}/ca.crt','--cluster-cidr=10.244.0.0/16','--cluster-name=kubernetes',f'--cluster-signing-cert-file={P}/ca.crt',f'--cluster-signing-key-file={P}/ca.key','--controllers=*,bootstrapsigner,tokencleaner']
    if h: a+=['--feature-gates=RotateKubeletServerCertificate=true']
    a+=['--kubeconfig=/etc/kubernetes/controller-manager.conf','--leader-elect=true']
    if h: a+=['--profiling=false']
    a+=[f'--requestheader-client-ca-file={P}/front-proxy-ca.crt',f'--root-ca-file={P}/ca.crt',f'--service-account-private-key-file={P}/sa.key','--service-cluster-ip-range=10.96.0.0/12']
    if h: a+=['--terminated-pod-gc-threshold=10']
    a+=['--use-service-account-credentials=true']
    return a
def sched(h):
    a=['kube-scheduler','--authentication-kubeconfig=/etc/kubernetes/scheduler.conf','--authorization-kubeconfig=/etc/kubernetes/scheduler.conf','--bind-address=127.0.0.1','--kubeconfig=/etc/kubernetes/scheduler.conf','--leader-elect=true']
    if h: a+=['--profiling=false']
    return a
def etcd(h):
    return ['etcd','--advertise-client-urls=https://10.0.0.10:2379',f'--cert-file={P}/etcd/server.crt','--client-cert-auth=true','--data-dir=/var/lib/etcd','--experimental-initial-corrupt-check=true','--experimental-watch-progress-notify-interval=5s','--initial-advertise-peer-urls=https://10.0.0.10:2380','--initial-cluster=cp-1=https://10.0.0.10:2380',f'--key-file={P}/etcd/server.key','--listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379','--listen-metrics-urls=http://127.0.0.1:2381','--listen-peer-urls=https://10.0.0.10:2380','--name=cp-1',f'--peer-cert-file={P}/etcd/peer.crt','--peer-client-cert-auth=true',f'--peer-key-file={P}/etcd/peer.key',f'--peer-trusted-ca-file={P}/etcd/ca.crt','--snapshot-count=10000',f'--trusted-ca-file={P}/etcd/ca.crt']
IMG={'kube-apiserver':'registry.k8s.io/kube-apiserver:v1.30.2','kube-controller-manager':'registry.k8s.io/kube-controller-manager:v1.30.2','kube-scheduler':'registry.k8s.io/kube-scheduler:v1.30.2','etcd':'registry.k8s.io/etcd:3.5.12-0'}
PORT={'kube-apiserver':(6443,'/livez','HTTPS','10.0.0.10'),'kube-controller-manager':(10257,'/healthz','HTTPS','127.0.0.1'),'kube-scheduler':(10259,'/healthz','HTTPS','127.0.0.1'),'etcd':(2381,'/health?exclude=NOSPACE&serializable=true','HTTP','127.0.0.1')}
VOL={'kube-apiserver':[('ca-certs','/etc/ssl/certs','DirectoryOrCreate'),('k8s-certs','/etc/kubernetes/pki','DirectoryOrCreate')],
     'kube-controller-manager':[('ca-certs','/etc/ssl/certs','DirectoryOrCreate'),('k8s-certs','/etc/kubernetes/pki','DirectoryOrCreate'),('kubeconfig','/etc/kubernetes/controller-manager.conf','FileOrCreate')],
     'kube-scheduler':[('kubeconfig','/etc/kubernetes/scheduler.conf','FileOrCreate')],
     'etcd':[('etcd-certs','/etc/kubernetes/pki/etcd','DirectoryOrCreate'),('etcd-data','/var/lib/etcd','DirectoryOrCreate')]}
def manifest(name, command, args=None, extra_vols=()):
    port,path,scheme,host=PORT[name]
    L=['apiVersion: v1','kind: Pod','metadata:','  labels:',f'    component: {name}','    tier: control-plane',f'  name: {name}','  namespace: kube-system','spec:','  containers:','  - command:']
    L+=[f'    - {c}' for c in command]
    if args:
        L+=['    args:']+[f'    - {c}' for c in args]
    L+=[f'    image: {IMG[name]}','    imagePullPolicy: IfNotPresent','    livenessProbe:','      failureThreshold: 8','      httpGet:',f'        host: {host}',f'        path: {path}',f'        port: {port}',f'        scheme: {scheme}','      initialDelaySeconds: 10','      periodSeconds: 10','      timeoutSeconds: 15',f'    name: {name}','    resources:','      requests:','        cpu: 250m','    volumeMounts:']
    vols=VOL[name]+list(extra_vols)
    for v,p,t in vols:
        L+=[f'    - mountPath: {p}',f'      name: {v}','      readOnly: true' if v not in ('etcd-data','audit-log') else '      readOnly: false']
    L+=['  hostNetwork: true','  priority: 2000001000','  priorityClassName: system-node-critical','  securityContext:','    seccompProfile:','      type: RuntimeDefault','  volumes:']
    for v,p,t in vols:
        L+=['  - hostPath:',f'      path: {p}',f'      type: {t}',f'    name: {v}']
    return '\n'.join(L)+'\n'
def kubelet(h, ro=None, authz='Webhook', anon='false'):
    L=['apiVersion: kubelet.config.k8s.io/v1beta1','kind: KubeletConfiguration','authentication:','  anonymous:',f'    enabled: {anon}','  webhook:','    cacheTTL: 0s','    enabled: true','  x509:','    clientCAFile: /etc/kubernetes/pki/ca.crt','authorization:',f'  mode: {authz}','  webhook:','    cacheAuthorizedTTL: 0s','    cacheUnauthorizedTTL: 0s','cgroupDriver: systemd','clusterDNS:','- 10.96.0.10','clusterDomain: cluster.local','containerRuntimeEndpoint: ""']
    if h:
        L+=['eventRecordQPS: 5','featureGates:','  RotateKubeletServerCertificate: true']
    L+=['healthzBindAddress: 127.0.0.1','healthzPort: 10248']
    if h: L+=['makeIPTablesUtilChains: true','podPidsLimit: 4096','protectKernelDefaults: true']
    if ro is not None: L+=[f'readOnlyPort: {ro}']
    L+=['rotateCertificates: true']
    if h: L+=['serverTLSBootstrap: true']
    L+=['staticPodPath: /etc/kubernetes/manifests']
    L+=['streamingConnectionIdleTimeout: 4h0m0s' if h else 'streamingConnectionIdleTimeout: 0s']
    if h: L+=['tlsCertFile: /var/lib/kubelet/pki/kubelet.crt','tlsCipherSuites:','- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256','- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256','- TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384','- TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384','tlsPrivateKeyFile: /var/lib/kubelet/pki/kubelet.key']
    return '\n'.join(L)+'\n'
FLAGS='KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.9"\n'
out='testdata'
KUBELET_CMD=['kubelet','--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf','--kubeconfig=/etc/kubernetes/kubelet.conf','--config=/var/lib/kubelet/config.yaml','--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock','--pod-infra-container-image=registry.k8s.io/pause:3.9']
def write(p, s):
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p,'w').write(s)
def emit(name, api, apiargs, c, s, e, kcfg, flags, kextra=()):
    d=f'{out}/configs/{name}'
    vols=[('audit-log','/var/log/kubernetes/audit','DirectoryOrCreate')] if any(a.startswith('--audit-log-path') for a in api+(apiargs or [])) else []
    write(f'{d}/manifests/kube-apiserver.yaml', manifest('kube-apiserver', api, apiargs, vols))
    write(f'{d}/manifests/kube-controller-manager.yaml', manifest('kube-controller-manager', c))
    write(f'{d}/manifests/kube-scheduler.yaml', manifest('kube-scheduler', s))
    write(f'{d}/manifests/etcd.yaml', manifest('etcd', e))
    write(f'{d}/kubelet/config.yaml', kcfg)
    write(f'{d}/kubelet/kubeadm-flags.env', flags)
    kl=' '.join(KUBELET_CMD+list(kextra))
    api=[x.strip('"') for x in api]
    cp=[' '.join(api+(apiargs or [])),' '.join(c),' '.join(s),' '.join(e),kl]
    write(f'{out}/fakenode/{name}.control-plane.procs','\n'.join(cp)+'\n')
    write(f'{out}/fakenode/{name}.worker.procs',kl+'\n')
def repl(l, old, new):
    assert old in l, old
    return [new if x==old else x for x in l]
H=lambda: (apiserver(True), None, cm(True), sched(True), etcd(True), kubelet(True, ro=0), FLAGS)
emit('kubeadm-default', apiserver(False), None, cm(False), sched(False), etcd(False), kubelet(False), FLAGS)
emit('hardened', *H())
a,aa,c,s,e,k,f=H(); emit('hardened-apiserver-anonymous-auth', repl(a,'--anonymous-auth=false','--anonymous-auth=true'),aa,c,s,e,k,f)
a,aa,c,s,e,k,f=H(); emit('hardened-kubelet-read-only-port', a,aa,c,s,e,kubelet(True, ro=10255),f)
a,aa,c,s,e,k,f=H(); emit('hardened-kubelet-always-allow', a,aa,c,s,e,kubelet(True, ro=0, authz='AlwaysAllow'),f)
a,aa,c,s,e,k,f=H(); emit('hardened-etcd-client-cert-auth-off', a,aa,c,s,repl(e,'--client-cert-auth=true','--client-cert-auth=false'),k,f)
a,aa,c,s,e,k,f=H(); emit('hardened-audit-log-removed', [x for x in a if not x.startswith(('--audit-log-path','--audit-log-max'))],aa,c,s,e,k,f)
a,aa,c,s,e,k,f=H(); emit('hardened-flag-in-args', [x for x in a if x!='--profiling=false'],['--profiling=false'],c,s,e,k,f)
a,aa,c,s,e,k,f=H()
emit('hardened-kubelet-flag-overrides-config', a,aa,c,s,e,k,f.replace('"\n',' --anonymous-auth=true"\n'),['--anonymous-auth=true'])
a,aa,c,s,e,k,f=H(); emit('hardened-duplicate-profiling', a,['--profiling=true'],c,s,e,k,f)
a,aa,c,s,e,k,f=H()
i=a.index('--audit-log-maxage=30'); a=a[:i]+['--audit-log-maxage','"30"']+a[i+1:]
emit('hardened-split-audit-log-maxage', a,aa,c,s,e,k,f)
