#!/usr/bin/env bash
# fetch-spec.sh downloads GitHub's own OpenAPI description and real webhook
# payloads from the npm registry (with `npm pack`, pinned versions) into
# test/contract/.cache/ (gitignored). Idempotent: does nothing when present.
#
#   .cache/openapi/generated/api.github.com.json        @octokit/openapi 23.0.2
#   .cache/webhooks-examples/api.github.com/index.json  @octokit/webhooks-examples 7.6.1
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${BENCH_ACTION_CONTRACT_CACHE:-$here/.cache}"
mkdir -p "$cache"

fetch() { # fetch PACKAGE VERSION DIR CHECKFILE
	local pkg="$1" version="$2" dir="$3" check="$4"
	if [[ -s "$cache/$dir/$check" ]]; then
		return 0
	fi
	local tmp
	tmp="$(mktemp -d)"
	(cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null)
	rm -rf "${cache:?}/$dir"
	mkdir -p "$cache/$dir"
	tar -xzf "$tmp"/*.tgz -C "$cache/$dir" --strip-components=1 "package/$check"
	rm -rf "$tmp"
	if [[ ! -s "$cache/$dir/$check" ]]; then
		echo "fetch-spec: $pkg@$version has no $check" >&2
		exit 1
	fi
	echo "fetch-spec: $pkg@$version -> $cache/$dir"
}

fetch @octokit/openapi 23.0.2 openapi generated/api.github.com.json
fetch @octokit/webhooks-examples 7.6.1 webhooks-examples api.github.com/index.json
