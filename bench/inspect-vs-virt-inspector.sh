#!/usr/bin/env bash
# inspect-vs-virt-inspector.sh [--runs N] [IMAGE...]
#
# Describing a guest from its disk alone: `vmteleport inspect IMAGE --json` (OS, packages, apt,
# bootloader, and the class of every file, which means reading and hashing every file owned by a
# package) against libguestfs's `virt-inspector -a IMAGE` (OS, applications, filesystems; it hashes
# nothing), in the same run. virt-inspector boots its appliance under TCG here (no KVM), which is
# most of its time; that is what a user of this machine would wait for too.
# vmteleport is timed warm (after one untimed run) and cold (page cache dropped first).
# Each is run N times (default 3); reported: median, min and max wall seconds, peak RSS, and the
# ratio of medians. Agreement is checked each run: hostname, distro and major/minor version of
# the two tools must match, or the script exits 1.
#
# IMAGE defaults to the Debian 12 fixture's debian12.qcow2 and debian12-split.qcow2.
# Writes markdown to stdout and to bench/results/<date>/inspect-vs-virt-inspector.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=3
images=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    -*) echo "$0: unknown option $1" >&2; exit 2 ;;
    *) images+=("$(realpath "$1")"); shift ;;
  esac
done
bench_require_root
"$bench_root/tools/install-deps.sh"
if [ ${#images[@]} -eq 0 ]; then
  fixtures=$("$bench_root/tools/fixtures/ensure.sh" debian)
  images=("$fixtures/debian12.qcow2" "$fixtures/debian12-split.qcow2")
fi
bench_build_cli
export LIBGUESTFS_BACKEND=direct
# virt-inspector builds its appliance once per machine (supermin); do that before timing.
virt-inspector --format=qcow2 -a "${images[0]}" > /dev/null 2>&1 || { echo "$0: virt-inspector does not run here" >&2; virt-inspector -a "${images[0]}" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/inspect-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# stats: median min max of the numbers on stdin
stats() { sort -g | awk '{a[NR]=$1} END {m = NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%.2f %.2f %.2f\n", m, a[1], a[NR]}'; }

report="$(bench_results_dir)/inspect-vs-virt-inspector.md"
{
  echo "# inspect vs virt-inspector"
  echo
  bench_header
  echo "- virt-inspector: $(virt-inspector --version 2>&1 | head -n1), LIBGUESTFS_BACKEND=direct, TCG (no /dev/kvm)"
  echo "- runs: $runs per tool and image; wall seconds median (min–max); peak RSS of the largest process"
  echo
  echo "| image | vmteleport inspect warm | inspect cold | virt-inspector | speed-up (median) | inspect peak RSS | virt-inspector peak RSS | agree |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$work/head.md"

rows=()
failed=0
for image in "${images[@]}"; do
  name=$(basename "$image")
  warm=() cold=() virt=() rss_i=0 rss_v=0 agree=yes
  "$vmteleport" inspect "$image" --json > /dev/null # untimed: warms the page cache
  for i in $(seq "$runs"); do
    read -r s rss rc < <(measure "$work/i$i" "$vmteleport" inspect "$image" --json)
    [ "$rc" = 0 ] || { echo "$0: inspect $image failed" >&2; cat "$work/i$i.err" >&2; exit 1; }
    warm+=("$s"); [ "$rss" -gt "$rss_i" ] && rss_i=$rss
    drop_caches
    read -r s rss rc < <(measure "$work/c$i" "$vmteleport" inspect "$image" --json)
    [ "$rc" = 0 ] || { echo "$0: inspect $image failed" >&2; exit 1; }
    cold+=("$s")
    read -r s rss rc < <(measure "$work/v$i" virt-inspector --format=qcow2 -a "$image")
    [ "$rc" = 0 ] || { echo "$0: virt-inspector $image failed" >&2; cat "$work/v$i.err" >&2; exit 1; }
    virt+=("$s"); [ "$rss" -gt "$rss_v" ] && rss_v=$rss
    # Agreement: hostname, distro, major and minor version.
    ours=$(python3 -c 'import json,sys; o=json.load(open(sys.argv[1]))["os"]; print(o["hostname"], o["distro"], o["major_version"], o["minor_version"])' "$work/i$i.out")
    theirs=$(python3 -c '
import sys, xml.etree.ElementTree as ET
o = ET.parse(sys.argv[1]).getroot().find("operatingsystem")
print(*(o.findtext(k) for k in ("hostname", "distro", "major_version", "minor_version")))' "$work/v$i.out")
    [ "$ours" = "$theirs" ] || { agree="no: vmteleport '$ours', virt-inspector '$theirs'"; failed=1; }
  done
  read -r wm wmin wmax < <(printf '%s\n' "${warm[@]}" | stats)
  read -r cm cmin cmax < <(printf '%s\n' "${cold[@]}" | stats)
  read -r vm vmin vmax < <(printf '%s\n' "${virt[@]}" | stats)
  ratio=$(awk -v v="$vm" -v w="$wm" 'BEGIN {printf "%.1f×", v / w}')
  ratio_cold=$(awk -v v="$vm" -v c="$cm" 'BEGIN {printf "%.1f×", v / c}')
  rows+=("| $name | $wm ($wmin–$wmax) | $cm ($cmin–$cmax) | $vm ($vmin–$vmax) | $ratio warm, $ratio_cold cold | $(( rss_i / 1024 )) MiB | $(( rss_v / 1024 )) MiB | $agree |")
done

{
  cat "$work/head.md"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Both tools read the image read-only. vmteleport's time includes hashing every regular file"
  echo "(MD5 against dpkg's md5sums and SHA-256 for the manifest) to class it; virt-inspector hashes"
  echo "nothing but boots a Linux appliance under TCG."
} | tee "$report"
exit "$failed"
