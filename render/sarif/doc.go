// Package sarif writes a verdict as a SARIF 2.1.0 log for GitHub code
// scanning: one rule per control, one result per open FAIL (and, suppressed,
// per accepted FAIL), each with a stable fingerprint so that code scanning
// follows one alert per check and node from run to run. It is a package of
// its own so that only its users import go-sarif and its schema validator.
//
// # Writing
//
// [Write] writes the log, [New] gives the go-sarif model; [Options] name the
// file results point at ([DefaultLocation] by default) and the category of
// the run.
//
// # Identities
//
// [RuleID] names a control's rule ("cis-1.10/master/1.2.11") and
// [Fingerprint] a check's identity, under the key [FingerprintKey].
//
// # Example
//
//	v := verdict.Evaluate(report, verdict.Config{})
//	if err := sarif.Write(f, v, sarif.Options{LocationURI: "kube-bench-exceptions.yaml"}); err != nil {
//		return err
//	}
package sarif
