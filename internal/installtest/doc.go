// Package installtest runs the install steps of action.yml, their run:
// scripts extracted with yaml.v3 and executed with bash as the runner would,
// against a release served from a loopback HTTP server laid out like
// GitHub's release downloads
// (<server>/<owner>/<repo>/releases/download/<tag>/<asset>), for every way a
// workflow pins the action: vX.Y.Z, the major tag v1, a release commit's
// SHA, another commit's SHA and a local `uses: ./`; and for a tampered
// binary, a tampered release and a tampered checksums file.
//
// It holds only tests. The time from the first install step to a binary
// that prints its version is logged (go test -v -run TestInstall) and
// measured by BenchmarkInstall, never compared with a limit:
//
//	go test ./internal/installtest -v -run TestInstall
//	go test ./internal/installtest -run '^$' -bench Install -benchtime 20x
//	BENCH_ACTION_INSTALL_GO=real go test ./internal/installtest -run '^$' -bench 'Install/source' -benchtime 1x
//
// The source-build forms run a stand-in `go` that writes a small script
// instead of compiling, so that the test is quick and offline;
// BENCH_ACTION_INSTALL_GO=real makes the benchmark run the real toolchain on
// this module instead.
package installtest
