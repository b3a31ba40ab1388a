#!/usr/bin/env bash
# rebuild-variants.sh ROUNDS [COMMIT...] — `vmteleport rebuild --json` of debian12.qcow2 by each
# older COMMIT's CLI (built from `git archive` in /var/tmp, the work tree untouched) and by this
# tree's CLI with one or two staging threads, working on disk or in /dev/shm; ROUNDS times, the
# variants interleaved so that the shared machine's load falls on all of them alike. One JSON line
# per run, with the load average before and after: bench/results/DATE/rebuild-variants.jsonl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:?rounds}; shift
image=$("$root/tools/fixtures/ensure.sh" debian | tail -1)/debian12.qcow2
work=$(mktemp -d /var/tmp/vmt-rebuild-variants-XXXXXX)
trap 'rm -rf "$work"' EXIT
out="$root/bench/results/$(date -u +%F)/rebuild-variants.jsonl"
mkdir -p "$(dirname "$out")"
declare -a names dlls extra
for c in "$@"; do
  mkdir -p "$work/src-$c"
  git -C "$root" archive "$c" | tar -x -C "$work/src-$c"
  dotnet build "$work/src-$c/src/VmTeleport.Cli/VmTeleport.Cli.csproj" -c Release -o "$work/cli-$c" --nologo -v quiet >/dev/null
  names+=("$c"); dlls+=("$work/cli-$c/vmteleport.dll"); extra+=("")
done
"$root/vmteleport" --help >/dev/null
for v in "1 0" "2 0" "1 4096" "2 4096"; do
  set -- $v
  names+=("this tree, threads=$1, $([ "$2" = 0 ] && echo disk || echo memory)")
  dlls+=("$root/artifacts/cli/vmteleport.dll"); extra+=("--staging-threads $1 --memory-mib $2")
done
for round in $(seq "$rounds"); do
  for i in "${!names[@]}"; do
    rm -rf "$work/out"*
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    # shellcheck disable=SC2086
    result=$(dotnet "${dlls[$i]}" rebuild "$image" --output "$work/out.qcow2" --json ${extra[$i]})
    echo "{\"variant\":\"${names[$i]}\",\"round\":$round,\"load_before\":\"$before\",\"load_after\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"result\":$result}" | tee -a "$out"
  done
done
