package validate

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
)

// examples is the examples/ folder of the repository this module sits in.
const examples = "../../examples"

// TestExampleManifests decodes every YAML file under examples/ strictly.
func TestExampleManifests(t *testing.T) {
	files, err := Walk(examples)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no YAML files under %s", examples)
	}
	checked := 0
	for _, f := range files {
		res, err := ValidateFile(f)
		if err != nil {
			t.Errorf("%v", err)
		}
		checked += len(res.Documents)
		for _, s := range res.Skipped {
			t.Logf("skipped %s: document %d: %s", s.File, s.Index, s.Reason)
		}
	}
	if checked == 0 {
		t.Fatalf("no Kubernetes manifests found under %s", examples)
	}
	t.Logf("validated %d Kubernetes manifests in %d files under examples/", checked, len(files))
}

// TestValidatorCatchesMistakes makes sure the checker is not vacuous.
func TestValidatorCatchesMistakes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		doc  string
		want string
	}{
		{"unknown field", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      hostPid: true\n      containers: [{name: c, image: i}]\n", "unknown field"},
		{"duplicate field", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\nmetadata: {name: y}\n", "already set"},
		{"wrong type", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  nodeName: 123\n  containers: [{name: c, image: i}]\n", "nodeName"},
		{"unknown kind", "apiVersion: batch/v1\nkind: Jobb\nmetadata: {name: x}\n", "unknown type"},
		{"writable host path", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  hostPID: true\n  containers: [{name: c, image: aquasec/kube-bench:v0.14.1, volumeMounts: [{name: h, mountPath: /h}]}]\n  volumes: [{name: h, hostPath: {path: /etc}}]\n", "writable"},
		{"bad name", "apiVersion: v1\nkind: Namespace\nmetadata: {name: Bad_Name}\n", "name"},
		{"second document", "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x, labelz: {}}\n", "document 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ValidateBytes("test.yaml", []byte(tt.doc))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "test.yaml") {
				t.Errorf("error %q: want it to name test.yaml and contain %q", err, tt.want)
			}
		})
	}
}

// TestGenerateJobs runs examples/kubernetes/generate-jobs.sh for every
// variant, as Jobs and as CronJobs, on a made-up cluster, and checks what it
// prints: one valid object per node, pinned to it, with the right targets.
func TestGenerateJobs(t *testing.T) {
	needBash(t)
	nodes := []string{"cp-1", "worker-1", "ip-10-0-1-2.ec2.internal", "a-very-long-node-name-that-goes-on-and-on-and-on-forever.example.internal"}
	for _, variant := range []string{"kubeadm", "eks", "gke", "aks", "rke2", "k3s"} {
		for _, cron := range []bool{false, true} {
			name := variant
			args := []string{filepath.Join(examples, "kubernetes", "generate-jobs.sh"), "--variant", variant, "--run-id", "run-42"}
			if cron {
				name += "/cronjob"
				args = append(args, "--cronjob", "0 6 * * *")
			}
			t.Run(name, func(t *testing.T) {
				out := generate(t, nodes, []string{"cp-1"}, args...)
				res, err := ValidateBytes(name, out)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Documents) != len(nodes) {
					t.Fatalf("%d documents, want %d (one per node)", len(res.Documents), len(nodes))
				}
				if strings.Contains(string(out), "__") {
					t.Errorf("a placeholder was left:\n%s", out)
				}
				for i, d := range res.Documents {
					var job *batchv1.JobSpec
					switch o := d.Object.(type) {
					case *batchv1.Job:
						if cron {
							t.Fatalf("document %d is a Job, want a CronJob", i)
						}
						job = &o.Spec
					case *batchv1.CronJob:
						if !cron {
							t.Fatalf("document %d is a CronJob, want a Job", i)
						}
						if o.Spec.JobTemplate.Annotations["bench-action.io/node-name"] != nodes[i] {
							t.Errorf("document %d: jobTemplate lacks the node-name annotation", i)
						}
						job = &o.Spec.JobTemplate.Spec
					default:
						t.Fatalf("document %d is a %T", i, d.Object)
					}
					pod := job.Template.Spec
					if pod.NodeName != nodes[i] || !pod.HostPID {
						t.Errorf("document %d: nodeName %q hostPID %v, want %q true", i, pod.NodeName, pod.HostPID, nodes[i])
					}
					cmd := strings.Join(pod.InitContainers[0].Command, " ")
					wantTargets := map[string]string{"kubeadm": "node", "rke2": "node", "k3s": "node"}[variant]
					if wantTargets == "" {
						wantTargets = "node,policies,managedservices"
					} else if i == 0 {
						wantTargets = "master,controlplane,etcd,node,policies"
					}
					if !strings.Contains(cmd, "--targets "+wantTargets+" ") || !strings.Contains(cmd, "--outputfile /output/$(NODE_NAME).json") {
						t.Errorf("document %d: command %q, want targets %s and the node-named output file", i, cmd, wantTargets)
					}
					if got := pod.InitContainers[0].Env[0].ValueFrom.FieldRef.FieldPath; got != "spec.nodeName" {
						t.Errorf("document %d: NODE_NAME from %q, want spec.nodeName", i, got)
					}
				}
			})
		}
	}
}

// TestCronJobExampleIsGenerated keeps examples/kubernetes/cronjob.example.yaml
// equal to what generate-jobs.sh prints for the cluster its header names.
func TestCronJobExampleIsGenerated(t *testing.T) {
	needBash(t)
	path := filepath.Join(examples, "kubernetes", "cronjob.example.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	committed := string(data)
	if i := strings.Index(committed, "# kubeadm: "); i >= 0 {
		committed = committed[i:]
	}
	out := generate(t, []string{"cp-1", "worker-1", "worker-2"}, []string{"cp-1"},
		filepath.Join(examples, "kubernetes", "generate-jobs.sh"), "--variant", "kubeadm", "--cronjob", "0 6 * * *")
	if committed != string(out) {
		t.Errorf("%s is out of date: regenerate it with the command in its header", path)
	}
}

func generate(t *testing.T, nodes, controlPlane []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("bash", args...)
	cmd.Env = append(os.Environ(), "NODES="+strings.Join(nodes, " "), "CONTROL_PLANE_NODES="+strings.Join(controlPlane, " "))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("generate-jobs.sh %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// needBash skips the test when bash is not installed, or fails it under
// BENCH_ACTION_REQUIRE_TOOLS=1 (CI), where no check may be skipped.
func needBash(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		if os.Getenv("BENCH_ACTION_REQUIRE_TOOLS") == "1" {
			t.Fatalf("bash not found: %v", err)
		}
		t.Skipf("bash not found: %v (set BENCH_ACTION_REQUIRE_TOOLS=1 to make this an error)", err)
	}
}
