#!/usr/bin/env bash
# rebuild.sh [IMAGE] — seconds of `vmteleport rebuild` by phase against cp and qemu-img convert of
# the same image, in the same run. Results: bench/results/DATE/rebuild-NAME.json, with the load
# average before and after (the machine is shared: compare runs at similar load).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
image=${1:-$("$root/tools/fixtures/ensure.sh" debian | tail -1)/debian12.qcow2}
work=$(mktemp -d /var/tmp/vmt-rebuild-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT
out="$root/bench/results/$(date -u +%F)"
mkdir -p "$out"
t() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
cp_s=$(t cp "$image" "$work/cp.qcow2"); rm -f "$work/cp.qcow2"
conv_s=$(t qemu-img convert -O qcow2 "$image" "$work/conv.qcow2"); rm -f "$work/conv.qcow2"
"$root/vmteleport" rebuild "$image" --output "$work/rebuilt.qcow2" --json > "$work/rebuild.json"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
python3 - "$work/rebuild.json" "$cp_s" "$conv_s" "$image" "$load_before" "$load_after" "$(nproc)" > "$out/rebuild-$(basename "$image" .qcow2).json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r.update(image=sys.argv[4], cp_seconds=float(sys.argv[2]), qemu_img_convert_seconds=float(sys.argv[3]),
         loadavg_before=sys.argv[5], loadavg_after=sys.argv[6], cores=int(sys.argv[7]))
print(json.dumps(r, indent=1))
PY
cat "$out/rebuild-$(basename "$image" .qcow2).json"
