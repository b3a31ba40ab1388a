#!/usr/bin/env bash
# candidates.sh [--runs N] — ranking indexed candidates: five local images (the Debian fixture's
# other layouts, raw and qcow2, and the demo disk with its snapshot) are indexed into a scratch
# data directory, then `vmteleport candidates debian12.qcow2 --json` is timed N times (default 3).
# Reported: indexing seconds per image, candidates seconds (median, min–max; this includes
# walking and chunking the 702 MiB source), the ranking, and peak RSS.
# Writes markdown to stdout and bench/results/<date>/candidates.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
runs=3
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "$0: unknown argument $1" >&2; exit 2 ;;
  esac
done
"$bench_root/tools/install-deps.sh"
fx=$("$bench_root/tools/fixtures/ensure.sh" debian)
demo=$("$bench_root/tools/fixtures/ensure.sh" demo)/demo.qcow2
bench_build_cli
work=$(mktemp -d "${TMPDIR:-/tmp}/candidates-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
data="$work/data"
report="$(bench_results_dir)/candidates.md"
{
  echo "# candidates: ranking indexed images"
  echo
  bench_header
  echo
  echo "| indexed | seconds | peak RSS |"
  echo "| --- | ---: | ---: |"
  for img in "$fx/debian12-gpt.qcow2" "$fx/debian12-split.qcow2" "$fx/debian12.raw" "$fx/debian12-gpt.raw" "$demo"; do
    read -r s rss rc < <(measure "$work/idx" "$vmteleport" index add --data-dir "$data" "$img")
    [ "$rc" = 0 ] || { cat "$work/idx.err" >&2; exit 1; }
    echo "| $(basename "$img") | $s | $(( rss / 1024 )) MiB |"
  done
  times=()
  rss_max=0
  for i in $(seq "$runs"); do
    read -r s rss rc < <(measure "$work/c$i" "$vmteleport" candidates "$fx/debian12.qcow2" --data-dir "$data" --json)
    [ "$rc" = 0 ] || { cat "$work/c$i.err" >&2; exit 1; }
    times+=("$s"); [ "$rss" -gt "$rss_max" ] && rss_max=$rss
  done
  echo
  echo "\`candidates debian12.qcow2\` (source: 3 GiB virtual, 702 MiB of files and regions), $runs runs:"
  echo "median $(printf '%s\n' "${times[@]}" | median) s (min $(printf '%s\n' "${times[@]}" | sort -g | head -n1), max $(printf '%s\n' "${times[@]}" | sort -g | tail -n1)), peak RSS $(( rss_max / 1024 )) MiB"
  echo
  echo "| rank | candidate | bytes needed | pruned | +packages | -packages |"
  echo "| ---: | --- | ---: | --- | ---: | ---: |"
  python3 - "$work/c1.out" <<'EOF_PY'
import json, os, sys
for i, c in enumerate(json.load(open(sys.argv[1])), 1):
    name = os.path.basename(c["image"]) + (f"@{c['snapshot']}" if c["snapshot"] else "")
    print(f"| {i} | {name} | {c['bytes_needed']:,} | {c['pruned']} | {len(c['packages_to_add'])} | {len(c['packages_to_remove'])} |")
EOF_PY
} | tee "$report"
