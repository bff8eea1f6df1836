package catalog_test

import (
	"fmt"

	"github.com/bench-action/bench-action/catalog"
)

// Look up what a check of a result is: its audit, its tests, whether
// kube-bench runs a test for it.
func ExampleLookup() {
	c, ok := catalog.Lookup("cis-1.10", "node", "4.2.4")
	if !ok {
		fmt.Println("unknown check")
		return
	}
	fmt.Println(c.Text)
	fmt.Println("audit:", c.Audit, "|", c.AuditConfig)
	for _, it := range c.Tests.Items {
		fmt.Printf("test: flag %s path %s %s %q set=%v\n", it.Flag, it.Path, it.Op, it.Value, it.Set)
	}
	fmt.Println("scored:", c.Scored, "carries a test:", c.CarriesTest())
	fmt.Println("identity:", c.Identity)
	// Output:
	// Verify that the --read-only-port argument is set to 0 (Manual)
	// audit: /bin/ps -fC $kubeletbin | /bin/cat $kubeletconf
	// test: flag --read-only-port path {.readOnlyPort} eq "0" set=true
	// test: flag --read-only-port path {.readOnlyPort}  "" set=false
	// scored: false carries a test: true
	// identity: setting kubelet readonlyport
}

// Follow a control of a baseline taken with one benchmark version into
// the next: cis-1.9 renumbered cis-1.8's 1.2.16 (--profiling) to 1.2.15
// and gave 1.2.16 to --audit-log-path.
func ExampleFind() {
	old, _ := catalog.Lookup("cis-1.8", "master", "1.2.16")
	for _, c := range catalog.Find("cis-1.9", old.Identity) {
		fmt.Printf("cis-1.8 %s is cis-1.9 %s: %s\n", old.ID, c.ID, c.Text)
	}
	reused, _ := catalog.Lookup("cis-1.9", "master", "1.2.16")
	fmt.Println("cis-1.9 1.2.16 is another control:", reused.Identity != old.Identity)

	// A control that vanished is found nowhere.
	root, _ := catalog.Lookup("eks-1.2.0", "policies", "4.2.6")
	fmt.Printf("eks-1.2.0 4.2.6 in eks-1.5.0: %d controls\n", len(catalog.Find("eks-1.5.0", root.Identity)))
	// Output:
	// cis-1.8 1.2.16 is cis-1.9 1.2.15: Ensure that the --profiling argument is set to false (Automated)
	// cis-1.9 1.2.16 is another control: true
	// eks-1.2.0 4.2.6 in eks-1.5.0: 0 controls
}

// Resolve an exception's check_description to the control it means, in
// the benchmark a result ran: a typo is forgiven, and RBAC is not Node.
func ExampleResolve() {
	for _, desc := range []string{
		"--authorization-mode includes RBAC",
		"Ensure that the --profilling argument is set to false on the API server",
	} {
		m := catalog.Resolve("cis-1.10", desc)
		fmt.Printf("%q: %s %s\n", desc, m[0].ID, m[0].Text)
	}
	// Output:
	// "--authorization-mode includes RBAC": 1.2.8 Ensure that the --authorization-mode argument includes RBAC (Automated)
	// "Ensure that the --profilling argument is set to false on the API server": 1.2.15 Ensure that the --profiling argument is set to false (Automated)
}

// A WARN of a check that carries a test is a failed test, whatever its
// text says: cis-1.10's 1.2.1 is "(Manual)" but kube-bench tests it.
func ExampleControl_CarriesTest() {
	for _, id := range []string{"1.2.1", "1.2.20"} {
		c, _ := catalog.Lookup("cis-1.10", "master", id)
		fmt.Printf("%s %s: kind %s, carries a test: %v\n", c.ID, c.Assessment(), c.Kind(), c.CarriesTest())
	}
	// Output:
	// 1.2.1 Manual: kind automated, carries a test: true
	// 1.2.20 Manual: kind manual, carries a test: false
}

// Tell whether the catalog knows a benchmark before relying on
// identities; fall back to the description (and say so) when it does not.
func ExampleKnown() {
	fmt.Println(catalog.Known("cis-1.10"), catalog.Known("cis-2.0"))
	releases := catalog.KubeBenchReleases()
	fmt.Println("built from kube-bench", releases[0], "…", releases[len(releases)-1])
	// Output:
	// true false
	// built from kube-bench v0.4.0 … v0.15.6
}
