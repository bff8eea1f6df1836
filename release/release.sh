#!/usr/bin/env bash
# The two steps of a release, run by .github/workflows/release.yml (see
# release/README.md). From the repository root, on a clean checkout of the
# commit to release (main's head: release/VERSION says dev):
#
#   release/release.sh build vX.Y.Z
#       goreleaser builds dist/ from this commit (S), stamping vX.Y.Z and S;
#       then a release commit R on top of S adds release/VERSION (vX.Y.Z),
#       release/REPOSITORY (owner/name, where the action downloads from) and
#       release/checksums.txt (dist/checksums.txt), and the annotated tag vX.Y.Z
#       is made on R, locally. R is never pushed to a branch: main keeps
#       release/VERSION = dev, so no later commit claims R's binaries.
#   release/release.sh publish vX.Y.Z
#       pushes the tag, creates the GitHub release with dist/assets/ (gh), and
#       moves the major tag (v1) to R. A pre-release (v1.2.0-rc.1) leaves the
#       major tag alone.
#   release/release.sh assets
#       copies the files that dist/checksums.txt names to dist/assets/ under
#       those names (goreleaser keeps a bare binary at its build path, e.g.
#       dist/bench-action_linux_amd64_v1/bench-action), with checksums.txt,
#       and checks them. build runs it; .ci/check-release.sh runs it after a
#       snapshot.
#
# GORELEASER overrides the goreleaser command (default: go run of the pinned
# version); PUSH_REMOTE the remote (default origin); GITHUB_REPOSITORY (set
# by GitHub Actions) the repository the release lives in (default
# bench-action/bench-action).
set -euo pipefail
cd "$(dirname "$0")/.."

GORELEASER=${GORELEASER:-go run github.com/goreleaser/goreleaser/v2@v2.15.1}
PUSH_REMOTE=${PUSH_REMOTE:-origin}
REPOSITORY=${GITHUB_REPOSITORY:-bench-action/bench-action}
# Every asset the action's install step may ask for (action.yml, step install).
ASSETS="bench-action_linux_amd64 bench-action_linux_arm64 bench-action_darwin_amd64 bench-action_darwin_arm64 bench-action_windows_amd64.exe bench-action_windows_arm64.exe"

die() { echo "release: $*" >&2; exit 1; }

# assets: dist/assets/ from dist/checksums.txt and dist/artifacts.json.
assets() {
  command -v jq >/dev/null || die "missing tool: jq"
  rm -rf dist/assets
  mkdir dist/assets
  while read -r _ name; do
    path=$(jq -r --arg n "$name" '[.[] | select(.name == $n) | .path] | first // empty' dist/artifacts.json)
    [ -f "$path" ] || die "dist/artifacts.json has no file for $name"
    cp "$path" "dist/assets/$name"
  done < dist/checksums.txt
  cp dist/checksums.txt dist/assets/checksums.txt
  for a in $ASSETS; do
    [ -f "dist/assets/$a" ] || die "goreleaser built no $a"
  done
  (cd dist/assets && sha256sum -c --quiet checksums.txt) || die "dist/assets/ does not match dist/checksums.txt"
}

if [ "${1:-}" = assets ] && [ $# -eq 1 ]; then
  assets
  exit 0
fi
[ $# -eq 2 ] || die "usage: release/release.sh build|publish vX.Y.Z, or release/release.sh assets"
stage=$1 version=$2
printf '%s' "$version" | grep -Eq '^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$' ||
  die "version $version is not vX.Y.Z (or vX.Y.Z-PRERELEASE)"

case "$stage" in
build)
  [ -z "$(git status --porcelain)" ] || die "the checkout has changes; release a clean commit"
  [ "$(tr -d ' \t\r\n' < release/VERSION)" = dev ] ||
    die "release/VERSION says $(cat release/VERSION): HEAD is a release commit already; release from main"
  if [ -e release/checksums.txt ] || [ -e release/REPOSITORY ]; then
    die "release/checksums.txt or release/REPOSITORY exists on a commit that is not a release"
  fi
  printf '%s' "$REPOSITORY" | grep -Eq '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$' || die "repository $REPOSITORY is not owner/name"
  ! git rev-parse -q --verify "refs/tags/$version" >/dev/null || die "tag $version exists"
  source=$(git rev-parse HEAD)

  # goreleaser takes the version from a tag on HEAD: a local one on S, removed
  # again so that the published tag can name R.
  git tag "$version" "$source"
  trap 'git tag -d "$version" >/dev/null 2>&1 || true' EXIT
  $GORELEASER release --clean --skip=publish,announce
  git tag -d "$version" >/dev/null
  trap - EXIT

  assets

  git checkout -q --detach "$source"
  printf '%s\n' "$version" > release/VERSION
  printf '%s\n' "$REPOSITORY" > release/REPOSITORY
  cp dist/checksums.txt release/checksums.txt
  git add release/VERSION release/REPOSITORY release/checksums.txt
  git commit -q -m "Release $version

The binaries of this release were built from $source (this commit's
parent) by .goreleaser.yaml; release/checksums.txt is their checksums.txt.
The action's install step runs a release binary only if it matches it."
  git tag -a "$version" -m "bench-action $version (built from $source)"
  echo "release: $version is $(git rev-parse HEAD), on top of $source; dist/assets/ holds its files:"
  cat release/checksums.txt
  ;;
publish)
  [ "$(tr -d ' \t\r\n' < release/VERSION)" = "$version" ] || die "HEAD is not the release commit of $version (run build first)"
  [ "$(git rev-parse "refs/tags/$version^{commit}")" = "$(git rev-parse HEAD)" ] || die "tag $version does not name HEAD"
  cmp -s release/checksums.txt dist/assets/checksums.txt || die "dist/assets/checksums.txt is not the committed release/checksums.txt"
  (cd dist/assets && sha256sum -c --quiet checksums.txt) || die "dist/assets/ does not match release/checksums.txt"
  files=()
  while read -r _ name; do files+=("dist/assets/$name"); done < release/checksums.txt
  files+=(dist/assets/checksums.txt)

  git push "$PUSH_REMOTE" "refs/tags/$version"
  gh release create "$version" "${files[@]}" --verify-tag --title "$version" --generate-notes
  case "$version" in
  *-*) echo "release: $version is a pre-release; the major tag stays where it is" ;;
  *)
    major=${version%%.*}
    git tag -f -a "$major" -m "bench-action $version" HEAD
    git push -f "$PUSH_REMOTE" "refs/tags/$major"
    echo "release: $major now names $version"
    ;;
  esac
  ;;
*)
  die "unknown stage $stage (want build or publish)"
  ;;
esac
