#!/usr/bin/env bash
# Fails when a file tracked by git (git ls-files: the index, as committed or
# staged) is a build output or too big to belong in the repository:
#   - an executable binary: ELF, Mach-O (thin or fat) or PE (MZ) magic, or
#     any non-text file (a NUL byte in its first 8000 bytes, git's test)
#     with the executable bit;
#   - larger than 2 MiB (2097152 bytes).
# Fixtures are excepted by path: anything under a testdata/ directory.
# Usage: .ci/check-tracked-files.sh (from anywhere inside the repository)
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
max=$((2 * 1024 * 1024))
bad=0
head=$(mktemp)
trap 'rm -f "$head"' EXIT
report() { printf 'check-tracked-files: %s: %s\n' "$1" "$2" >&2; bad=$((bad + 1)); }

# "mode object stage<TAB>path", NUL-terminated, so any file name is safe.
while IFS= read -r -d '' entry; do
  meta=${entry%%$'\t'*} path=${entry#*$'\t'}
  read -r mode object _ <<<"$meta"
  case $mode in 100644 | 100755) ;; *) continue ;; esac # symlinks, submodules
  case /$path in */testdata/*) continue ;; esac
  size=$(git cat-file -s "$object")
  if [ "$size" -gt "$max" ]; then
    report "$path" "$size bytes, more than 2 MiB ($max): keep large files out of git (fixtures go under testdata/)"
  fi
  # The first 8000 bytes (head closing the pipe early is fine: || true).
  { git cat-file blob "$object" | head -c 8000 >"$head"; } 2>/dev/null || true
  magic=$(head -c 4 "$head" | od -An -tx1 | tr -d ' \n')
  case $magic in
    7f454c46) report "$path" "an ELF executable (magic 7f 45 4c 46): a build output" ; continue ;;
    feedface | feedfacf | cefaedfe | cffaedfe | cafebabe)
      report "$path" "a Mach-O executable (magic $magic): a build output" ; continue ;;
  esac
  if [ "$(wc -c <"$head")" -ne "$(tr -d '\000' <"$head" | wc -c)" ]; then
    case $magic in 4d5a*) report "$path" "a PE executable (MZ header): a build output" ; continue ;; esac
    if [ "$mode" = 100755 ]; then
      report "$path" "a non-text file with the executable bit: a build output?"
    fi
  fi
done < <(git ls-files -s -z)

if [ "$bad" -gt 0 ]; then
  echo "check-tracked-files: $bad problem(s); remove them (git rm --cached PATH) and ignore build outputs in .gitignore" >&2
  exit 1
fi
echo "check-tracked-files: $(git ls-files | wc -l | tr -d ' ') tracked files, no executable binary, none over 2 MiB outside testdata/"
