package catalog

// Family is a line of benchmark versions, oldest first: the order in which
// a cluster upgrades through them.
type Family struct {
	Name       string
	Benchmarks []string
}

// Families lists every benchmark of the catalog by family, oldest version
// first. The CIS order follows the Kubernetes versions kube-bench maps to
// them: cis-1.24 is Kubernetes 1.24, cis-1.7 is 1.25.
func Families() []Family {
	return []Family{
		{"cis", []string{"cis-1.5", "cis-1.6", "cis-1.20", "cis-1.23", "cis-1.24", "cis-1.7", "cis-1.8", "cis-1.9", "cis-1.10", "cis-1.11", "cis-1.12"}},
		{"eks", []string{"eks-1.0", "eks-1.0.1", "eks-1.1.0", "eks-1.2.0", "eks-1.5.0", "eks-1.7.0", "eks-1.8.0"}},
		{"gke", []string{"gke-1.0", "gke-1.2.0", "gke-1.6.0", "gke-1.8.0", "gke-1.9.0"}},
		{"aks", []string{"aks-1.0", "aks-1.7", "aks-1.8"}},
		{"rke", []string{"rke-cis-1.23", "rke-cis-1.24", "rke-cis-1.7"}},
		{"rke2", []string{"rke2-cis-1.23", "rke2-cis-1.24", "rke2-cis-1.7", "rke2-cis-1.8"}},
		{"k3s", []string{"cis-1.6-k3s", "k3s-cis-1.23", "k3s-cis-1.24", "k3s-cis-1.7", "k3s-cis-1.8", "k3s-cis-1.9"}},
		{"rh (OpenShift)", []string{"rh-0.7", "rh-1.0", "rh-1.4", "rh-1.8"}},
		{"ack", []string{"ack-1.0"}},
		{"tkgi", []string{"tkgi-1.2.53"}},
		{"microk8s", []string{"cis-1.24-microk8s"}},
		{"eks-stig", []string{"eks-stig-kubernetes-v1r6"}},
	}
}
