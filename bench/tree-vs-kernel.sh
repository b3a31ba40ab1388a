#!/usr/bin/env bash
# tree-vs-kernel.sh [--runs N] [--no-cold] [--no-warm] [IMAGE...]
#
# Reading every file of a real guest: `vmteleport tree IMAGE --jsonl` (walks the ext4 filesystem in
# managed code and hashes every file with SHA-256) against the kernel doing the same on a read-only
# loop mount of the same image, in the same run:
#   kernel walk.py   tools/oracle/walk.py (lstat + xattrs + SHA-256 of each file, same output format)
#   kernel sha256sum find -type f -print0 | xargs -0 sha256sum (the kernel plus coreutils, no metadata)
# Each is run N times (default 3) cold (page cache dropped before every run) and N times warm (after
# one untimed run). Reported: median seconds, file-data MB/s (bytes of regular files / seconds,
# MB = 10^6 bytes), how many times vmteleport's MB/s is the other's, and peak RSS (GNU time's
# maximum resident set size; for the sha256sum pipeline, its largest process).
#
# IMAGE defaults to the Debian 12 fixture's debian12.raw and debian12.qcow2
# (tools/fixtures/ensure.sh debian). A qcow2 reaches the kernel as qemu-storage-daemon's FUSE
# export of its raw view, loop-mounted; the daemon's own time is part of the kernel's runs, its
# memory is not (it is a separate, long-running process).
# Writes a markdown report to stdout and to bench/results/<date>/tree-vs-kernel.md; exits 1 when a
# run failed or vmteleport's output differs from walk.py's.
# Environment: VMTELEPORT (the CLI to run; default ./vmteleport of this repository).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=3 cold=1 warm=1
images=()
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=${2:?}; shift 2 ;;
    --no-cold) cold=0; shift ;;
    --no-warm) warm=0; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    -*) echo "$0: unknown option $1" >&2; exit 2 ;;
    *) images+=("$(realpath "$1")"); shift ;;
  esac
done
bench_require_root
"$bench_root/tools/install-deps.sh"
if [ ${#images[@]} -eq 0 ]; then
  fixtures=$("$bench_root/tools/fixtures/ensure.sh" debian)
  images=("$fixtures/debian12.raw" "$fixtures/debian12.qcow2")
fi
bench_build_cli

work=$(mktemp -d "${TMPDIR:-/tmp}/tree-vs-kernel.XXXXXX")
mounts=() daemons=()
cleanup() {
  local m p
  for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  # qemu-storage-daemon removes its FUSE export when it ends.
  for p in "${daemons[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# raw_view IMAGE DIR: sets $raw to a raw file showing IMAGE's guest disk (IMAGE itself when raw).
# Not run in a subshell: the daemon's pid must reach cleanup.
raw_view() {
  local image=$1 dir=$2 format
  format=$(qemu-img info --output=json "$image" | python3 -c 'import json,sys; print(json.load(sys.stdin)["format"])')
  raw=$image
  [ "$format" != raw ] || return 0
  local export="$dir/export.raw"
  touch "$export"
  qemu-storage-daemon \
    --blockdev "driver=file,node-name=f,filename=$image,read-only=on" \
    --blockdev "driver=$format,node-name=q,file=f,read-only=on" \
    --export "type=fuse,id=e,node-name=q,mountpoint=$export,writable=off" >"$dir/qsd.log" 2>&1 &
  daemons+=($!)
  local i
  for i in $(seq 100); do
    [ "$(stat -c %s "$export")" -gt 0 ] && { raw=$export; return 0; }
    sleep 0.1
  done
  echo "$0: qemu-storage-daemon did not export $image" >&2; cat "$dir/qsd.log" >&2; exit 1
}

# fs_offset RAW: byte offset of the largest partition (0 when the disk has no partition table).
fs_offset() {
  sfdisk --json "$1" 2>/dev/null | python3 -c '
import json, sys
try:
    t = json.load(sys.stdin)["partitiontable"]
except ValueError:
    print(0); sys.exit()
p = max(t["partitions"], key=lambda p: p["size"])
print(p["start"] * t.get("sectorsize", 512))' || echo 0
}

# run_tool NAME IMAGE MOUNT PREFIX: one measured run of a tool; prints "SECONDS RSS_KIB EXIT".
run_tool() {
  case $1 in
    vmteleport) measure "$4" "$vmteleport" tree "$2" --jsonl ;;
    walk.py) measure "$4" python3 "$bench_root/tools/oracle/walk.py" "$3" ;;
    sha256sum) measure "$4" sh -c 'cd "$1" && find . -type f -print0 | xargs -0 sha256sum' sh "$3" ;;
  esac
}

tools=(vmteleport walk.py sha256sum)
status=0
report="$work/report.md"
{
  echo "# vmteleport tree --jsonl vs the kernel"
  echo
  bench_header
  echo "- runs: $runs per tool and cache state, median reported; cold = \`echo 3 > /proc/sys/vm/drop_caches\` before each run"
} > "$report"

for image in "${images[@]}"; do
  name=$(basename "$image")
  dir="$work/$name"
  mkdir -p "$dir/mnt"
  raw_view "$image" "$dir"
  offset=$(fs_offset "$raw")
  mount -o "ro,noload,loop,offset=$offset" "$raw" "$dir/mnt"
  mounts+=("$dir/mnt")
  echo "$0: $name: filesystem at offset $offset mounted on $dir/mnt" >&2

  declare -A secs=() rss=() fails=()
  states=()
  [ "$cold" = 1 ] && states+=(cold)
  [ "$warm" = 1 ] && states+=(warm)
  for state in "${states[@]}"; do
    if [ "$state" = warm ]; then
      for tool in "${tools[@]}"; do run_tool "$tool" "$image" "$dir/mnt" "$dir/warmup" > /dev/null; done
    fi
    for i in $(seq "$runs"); do
      for tool in "${tools[@]}"; do
        [ "$state" = cold ] && drop_caches
        prefix="$dir/$state-$tool-$i"
        read -r s r rc < <(run_tool "$tool" "$image" "$dir/mnt" "$prefix")
        echo "$0: $name $state $tool run $i: ${s} s, ${r} KiB, exit $rc" >&2
        secs[$state/$tool]+="$s "
        [ "${rss[$state/$tool]:-0}" -ge "$r" ] || rss[$state/$tool]=$r
        [ "$rc" = 0 ] || fails[$state/$tool]="exit $rc: $(head -c 200 "$prefix.err" | head -n1)"
      done
    done
  done

  # Bytes of regular files, from the kernel's view, and whether vmteleport saw the same tree.
  ref=$(ls "$dir"/*-walk.py-1.out | head -n1)
  mine=$(ls "$dir"/*-vmteleport-1.out | head -n1)
  bytes=$(python3 -c '
import json, sys
print(sum(e.get("size", 0) for e in map(json.loads, open(sys.argv[1])) if e["type"] == "file"))' "$ref")
  files=$(grep -c '"type":"file"' "$ref" || true)
  entries=$(wc -l < "$ref")
  if [ ! -s "$mine" ]; then
    status=1
    same="none (it failed: $(head -n1 "${mine%.out}.err" | cut -c1-200))"
  elif cmp -s "$ref" "$mine"; then
    same="identical to walk.py's ($entries lines)"
  else
    status=1
    same="DIFFERS from walk.py's: $(diff "$ref" "$mine" | grep -c '^>' || true) of $(wc -l < "$mine") lines not in the kernel's view ($entries lines)"
  fi

  {
    echo
    echo "## $name"
    echo
    echo "$(qemu-img info --output=json "$image" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["format"], "image,", j["virtual-size"] // 1048576, "MiB virtual,", j["actual-size"] // 1048576, "MiB on the host")');" \
      "ext4 at offset $offset; $files regular files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB of file data, $entries entries."
    echo "vmteleport's output: $same."
    echo
    echo "| cache | tool | runs (s) | median (s) | file data MB/s | vmteleport's MB/s ÷ this | peak RSS (MiB) |"
    echo "| --- | --- | --- | --- | ---: | ---: | ---: |"
    for state in "${states[@]}"; do
      base=$(echo "${secs[$state/vmteleport]}" | tr ' ' '\n' | grep . | median)
      [ -z "${fails[$state/vmteleport]:-}" ] || base=0 # no ratio to a failed run
      for tool in "${tools[@]}"; do
        all=$(echo ${secs[$state/$tool]}) # trimmed
        med=$(echo "${secs[$state/$tool]}" | tr ' ' '\n' | grep . | median)
        label=$tool
        [ "$tool" = vmteleport ] && label='vmteleport tree --jsonl' || label="kernel $tool"
        if [ -n "${fails[$state/$tool]:-}" ]; then
          status=1
          echo "| $state | $label | $all | FAILED (${fails[$state/$tool]}) | | | |"
          continue
        fi
        awk -v st="$state" -v l="$label" -v all="$all" -v m="$med" -v b="$base" -v bytes="$bytes" -v r="${rss[$state/$tool]}" \
          'BEGIN {printf "| %s | %s | %s | %.2f | %.1f | %s | %.1f |\n", st, l, all, m, bytes / 1e6 / m, (b > 0 ? sprintf("%.2f", m / b) : "n/a"), r / 1024}'
      done
    done
  } >> "$report"
  unset secs rss fails
  umount "$dir/mnt"
  mounts=("${mounts[@]:0:${#mounts[@]}-1}")
done

results=$(bench_results_dir)
cp "$report" "$results/tree-vs-kernel.md"
cat "$report"
echo "$0: report written to $results/tree-vs-kernel.md" >&2
exit $status
