// Package validate checks the Kubernetes manifests under examples/ offline:
// every document that names an apiVersion and kind is decoded strictly into
// the k8s.io/api types (an unknown or duplicated field is an error), and the
// pods get a few checks of their own (names that Kubernetes accepts, host
// paths read-only in kube-bench containers). It lives in its own module so that the library's
// go.mod does not carry k8s.io/api.
package validate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/util/validation"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	sigsyaml "sigs.k8s.io/yaml"
)

// Document is one manifest of a file that was decoded.
type Document struct {
	File   string
	Index  int // 0-based, counting non-empty documents of the file
	Kind   string
	Name   string
	Object runtime.Object // nil when the document is not a Kubernetes object
}

// Skipped says why a document was not checked against a schema.
type Skipped struct {
	File   string
	Index  int
	Reason string
}

// Result is what ValidateFile found.
type Result struct {
	Documents []Document
	Skipped   []Skipped
}

// unchecked are API groups whose kinds have no Go types here (CRDs, tool
// configuration); their documents are reported as skipped, not as errors.
var unchecked = map[string]bool{
	"monitoring.coreos.com":   true, // PrometheusRule, ServiceMonitor
	"kustomize.config.k8s.io": true, // kustomization.yaml
	"config.kubernetes.io":    true,
	"kubelet.config.k8s.io":   true, // KubeletConfiguration examples
	"apiserver.config.k8s.io": true,
	"audit.k8s.io":            true, // audit policy
	"kind.x-k8s.io":           true, // kind cluster configuration
}

var (
	scheme       = newScheme()
	deserializer = serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
)

func newScheme() *runtime.Scheme {
	s := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, batchv1.AddToScheme, rbacv1.AddToScheme, appsv1.AddToScheme,
		networkingv1.AddToScheme, policyv1.AddToScheme, admissionregistrationv1.AddToScheme,
	} {
		if err := add(s); err != nil {
			panic(err) // registering the built-in types cannot fail
		}
	}
	return s
}

// ValidateFile decodes every YAML document of path. Errors name the file and
// the document index, and all of them are returned (errors.Join).
func ValidateFile(path string) (Result, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Result{}, fmt.Errorf("validate %s: %w", path, err)
	}
	return ValidateBytes(path, data)
}

// ValidateBytes is ValidateFile on data already read; name is used in errors.
func ValidateBytes(name string, data []byte) (Result, error) {
	var res Result
	var errs []error
	r := utilyaml.NewYAMLReader(bufioReader(data))
	index := -1
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: after document %d: %w", name, index, err))
			break
		}
		if isEmpty(doc) {
			continue
		}
		index++
		d, skip, err := decode(name, index, doc)
		switch {
		case err != nil:
			errs = append(errs, err)
		case skip != "":
			res.Skipped = append(res.Skipped, Skipped{File: name, Index: index, Reason: skip})
		default:
			res.Documents = append(res.Documents, d)
			errs = append(errs, checkObject(d)...)
		}
	}
	return res, errors.Join(errs...)
}

func decode(name string, index int, doc []byte) (Document, string, error) {
	where := fmt.Sprintf("%s: document %d", name, index)
	// Duplicate keys are an error too (sigs.k8s.io/yaml strict conversion).
	if _, err := sigsyaml.YAMLToJSONStrict(doc); err != nil {
		return Document{}, "", fmt.Errorf("%s: %w", where, err)
	}
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := sigsyaml.Unmarshal(doc, &head); err != nil {
		return Document{}, "", fmt.Errorf("%s: %w", where, err)
	}
	if head.APIVersion == "" && head.Kind == "" {
		return Document{}, "not a Kubernetes object (no apiVersion or kind)", nil
	}
	where = fmt.Sprintf("%s (%s %q)", where, head.Kind, head.Metadata.Name)
	gv, err := schema.ParseGroupVersion(head.APIVersion)
	if err != nil || head.Kind == "" {
		return Document{}, "", fmt.Errorf("%s: bad apiVersion %q or kind %q", where, head.APIVersion, head.Kind)
	}
	if unchecked[gv.Group] {
		return Document{}, fmt.Sprintf("%s/%s has no schema here", head.APIVersion, head.Kind), nil
	}
	gvk := gv.WithKind(head.Kind)
	if !scheme.Recognizes(gvk) {
		return Document{}, "", fmt.Errorf("%s: unknown type %s", where, gvk)
	}
	obj, _, err := deserializer.Decode(doc, &gvk, nil)
	if err != nil {
		return Document{}, "", fmt.Errorf("%s: %w", where, err)
	}
	return Document{File: name, Index: index, Kind: head.Kind, Name: head.Metadata.Name, Object: obj}, "", nil
}

// checkObject adds what a schema cannot say: names Kubernetes will accept
// (templates with __PLACEHOLDERS__ excepted) and read-only host paths.
func checkObject(d Document) []error {
	var errs []error
	where := fmt.Sprintf("%s: document %d (%s %q)", d.File, d.Index, d.Kind, d.Name)
	template := strings.Contains(d.Name, "__")
	if d.Name == "" {
		errs = append(errs, fmt.Errorf("%s: metadata.name is empty", where))
	} else if !template {
		max := 253
		switch d.Kind {
		case "Job":
			max = 63 // its name becomes the job-name label of its pods
		case "CronJob":
			max = 52 // the controller appends an 11-character suffix
		}
		var msgs []string
		switch d.Kind {
		case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding":
			// RBAC names are path segments: "bench-action:reader" is fine.
			if d.Name == "." || d.Name == ".." || strings.ContainsAny(d.Name, "/%") {
				msgs = append(msgs, "may not be '.' or '..' or contain '/' or '%'")
			}
		default:
			msgs = validation.IsDNS1123Subdomain(d.Name)
		}
		for _, msg := range msgs {
			errs = append(errs, fmt.Errorf("%s: name: %s", where, msg))
		}
		if len(d.Name) > max {
			errs = append(errs, fmt.Errorf("%s: name is %d characters, at most %d for a %s", where, len(d.Name), max, d.Kind))
		}
	}
	var pod *corev1.PodSpec
	var labelSets []map[string]string
	switch o := d.Object.(type) {
	case *batchv1.Job:
		pod = &o.Spec.Template.Spec
		labelSets = append(labelSets, o.Labels, o.Spec.Template.Labels)
	case *batchv1.CronJob:
		pod = &o.Spec.JobTemplate.Spec.Template.Spec
		labelSets = append(labelSets, o.Labels, o.Spec.JobTemplate.Labels, o.Spec.JobTemplate.Spec.Template.Labels)
	case *corev1.Pod:
		pod = &o.Spec
		labelSets = append(labelSets, o.Labels)
	case *appsv1.DaemonSet:
		pod = &o.Spec.Template.Spec
		labelSets = append(labelSets, o.Labels, o.Spec.Template.Labels)
	case *appsv1.Deployment:
		pod = &o.Spec.Template.Spec
		labelSets = append(labelSets, o.Labels, o.Spec.Template.Labels)
	}
	for _, labels := range labelSets {
		for k, v := range labels {
			for _, msg := range validation.IsQualifiedName(k) {
				errs = append(errs, fmt.Errorf("%s: label key %q: %s", where, k, msg))
			}
			if strings.Contains(v, "__") {
				continue
			}
			for _, msg := range validation.IsValidLabelValue(v) {
				errs = append(errs, fmt.Errorf("%s: label %s=%q: %s", where, k, v, msg))
			}
		}
	}
	if pod != nil {
		errs = append(errs, checkHostPaths(where, pod)...)
	}
	return errs
}

// checkHostPaths: every volume a container mounts must exist, and a
// kube-bench container (its image names kube-bench) must mount every host
// path read-only: it inspects the node and has no business changing it.
// Other containers, such as a textfile-collector writer, may write to a
// host directory.
func checkHostPaths(where string, pod *corev1.PodSpec) []error {
	var errs []error
	host := map[string]bool{}
	known := map[string]bool{}
	for _, v := range pod.Volumes {
		known[v.Name] = true
		if v.HostPath != nil {
			host[v.Name] = true
		}
	}
	containers := append(append([]corev1.Container{}, pod.InitContainers...), pod.Containers...)
	for _, c := range containers {
		for _, m := range c.VolumeMounts {
			if !known[m.Name] {
				errs = append(errs, fmt.Errorf("%s: container %s mounts undefined volume %q", where, c.Name, m.Name))
			}
			if strings.Contains(c.Image, "kube-bench") && host[m.Name] && !m.ReadOnly {
				errs = append(errs, fmt.Errorf("%s: kube-bench container %s mounts host path volume %q writable", where, c.Name, m.Name))
			}
		}
	}
	return errs
}

// Walk returns the YAML files under root, skipping GitHub workflow folders
// (they are checked by actionlint).
func Walk(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "workflows" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext == ".yaml" || ext == ".yml" {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

func isEmpty(doc []byte) bool {
	for _, line := range bytes.Split(doc, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) > 0 && t[0] != '#' && !bytes.Equal(t, []byte("---")) {
			return false
		}
	}
	return true
}
