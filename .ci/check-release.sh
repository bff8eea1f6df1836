#!/usr/bin/env bash
# The release process, dry (release/README.md):
#   - release/ of this commit is consistent: release/VERSION says dev and
#     there is no release/checksums.txt, or it names a version and
#     release/checksums.txt lists every binary the action's install step may
#     ask for;
#   - shellcheck on release/release.sh; goreleaser check;
#   - two snapshot builds of HEAD (goreleaser release --snapshot --clean), in
#     two clones at two paths, the second with an empty Go build cache, give
#     byte-identical files: their checksums.txt are printed and compared;
#   - release/release.sh build on a third clone: goreleaser's non-snapshot
#     build, the release commit on top of HEAD with release/VERSION and
#     release/checksums.txt, the tag on it; `bench-action version` of that
#     release binary is printed and must name the version and the commit.
# Nothing is pushed: the clones are thrown away. The release workflow itself
# (.github/workflows/release.yml) is checked by actionlint in
# .ci/check-examples.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n--> %s\n' "$*"; }
fail() { echo "check-release: $*" >&2; exit 1; }

GORELEASER=github.com/goreleaser/goreleaser/v2@v2.15.1
ASSETS="bench-action_linux_amd64 bench-action_linux_arm64 bench-action_darwin_amd64 bench-action_darwin_arm64 bench-action_windows_amd64.exe bench-action_windows_arm64.exe"

step "release/ of this commit"
version=$(tr -d ' \t\r\n' < release/VERSION)
if [ "$version" = dev ]; then
  if [ -e release/checksums.txt ] || [ -e release/REPOSITORY ]; then
    fail "release/VERSION says dev, but release/checksums.txt or release/REPOSITORY exists: a commit that is not a release must not carry a release's checksums"
  fi
  echo "release/VERSION: dev (not a release commit; the action builds from source)"
else
  printf '%s' "$version" | grep -Eq '^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$' || fail "release/VERSION says '$version', want dev or vX.Y.Z"
  for a in $ASSETS; do
    grep -Eq "^[0-9a-f]{64}  $a\$" release/checksums.txt || fail "release/checksums.txt of $version has no line for $a"
  done
  grep -Eq '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' release/REPOSITORY || fail "release/REPOSITORY of $version is not owner/name"
  echo "release/VERSION: $version of $(cat release/REPOSITORY), release/checksums.txt lists the six binaries"
fi

for t in git shellcheck sha256sum jq; do
  command -v "$t" >/dev/null || fail "missing tool: $t"
done
step "shellcheck release/release.sh .ci/check-release.sh"
shellcheck release/release.sh .ci/check-release.sh
echo "shellcheck: clean"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step "goreleaser $GORELEASER"
GOBIN="$work/bin" go install "$GORELEASER"
goreleaser="$work/bin/goreleaser"
"$goreleaser" check

snapshot() { # DIR GOCACHE
  git clone -q --no-local . "$1"
  start=$SECONDS
  (cd "$1" && GOCACHE="$2" "$goreleaser" release --snapshot --clean >"$1.log" 2>&1 && release/release.sh assets) ||
    { cat "$1.log"; fail "goreleaser release --snapshot in $1 failed"; }
  echo "snapshot in $1 (GOCACHE $2): $((SECONDS - start)) s"
}
step "two snapshot builds of $(git rev-parse --short HEAD): two clones, the second with an empty Go build cache"
snapshot "$work/a" "$(go env GOCACHE)"
snapshot "$work/elsewhere/b" "$work/gocache-empty"
echo "checksums.txt of the first:"
cat "$work/a/dist/checksums.txt"
cmp "$work/a/dist/checksums.txt" "$work/elsewhere/b/dist/checksums.txt" ||
  { diff "$work/a/dist/checksums.txt" "$work/elsewhere/b/dist/checksums.txt" || true; fail "the two snapshot builds differ"; }
while read -r _ name; do
  cmp "$work/a/dist/assets/$name" "$work/elsewhere/b/dist/assets/$name" || fail "$name differs between the two builds"
done < "$work/a/dist/checksums.txt"
echo "the two snapshot builds are byte-identical ($(wc -l < "$work/a/dist/checksums.txt") files)"

step "release/release.sh build, dry (a third clone; nothing is pushed)"
git clone -q --no-local . "$work/r"
head=$(git rev-parse HEAD)
(
  cd "$work/r"
  export GIT_AUTHOR_NAME=check-release GIT_AUTHOR_EMAIL=check-release@localhost
  export GIT_COMMITTER_NAME=check-release GIT_COMMITTER_EMAIL=check-release@localhost
  # A version above any tag of the repository, so that goreleaser's
  # changelog has a previous tag or none.
  GORELEASER="$goreleaser" release/release.sh build v0.0.0-dryrun >"$work/r.log" 2>&1 ||
    { cat "$work/r.log"; fail "release/release.sh build failed"; }
  [ "$(git rev-parse HEAD^)" = "$head" ] || fail "the release commit's parent is not $head"
  [ "$(cat release/VERSION)" = v0.0.0-dryrun ] || fail "release/VERSION of the release commit: $(cat release/VERSION)"
  [ "$(cat release/REPOSITORY)" = "${GITHUB_REPOSITORY:-bench-action/bench-action}" ] || fail "release/REPOSITORY of the release commit: $(cat release/REPOSITORY)"
  cmp release/checksums.txt dist/checksums.txt || fail "release/checksums.txt is not dist/checksums.txt"
  cmp release/checksums.txt dist/assets/checksums.txt || fail "release/checksums.txt is not dist/assets/checksums.txt"
  [ "$(git rev-parse 'refs/tags/v0.0.0-dryrun^{commit}')" = "$(git rev-parse HEAD)" ] || fail "the tag does not name the release commit"
  git diff --quiet HEAD^ HEAD -- . ':!release' || fail "the release commit changes more than release/"
  echo "release commit $(git rev-parse --short HEAD) on $(git rev-parse --short HEAD^): $(git diff --name-only HEAD^ HEAD | tr '\n' ' ')"
)
case "$(go env GOOS)/$(go env GOARCH)" in
linux/amd64 | linux/arm64 | darwin/amd64 | darwin/arm64)
  bin="$work/r/dist/assets/bench-action_$(go env GOOS)_$(go env GOARCH)"
  out=$("$bin" version)
  echo "$bin version: $out"
  case "$out" in
  "bench-action v0.0.0-dryrun (revision ${head:0:12}, "*) ;;
  *) fail "bench-action version of the release build says '$out', want v0.0.0-dryrun and revision ${head:0:12}" ;;
  esac
  ;;
esac

echo
echo "release: all checks passed"
