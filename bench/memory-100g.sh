#!/usr/bin/env bash
# memory-100g.sh [--goal MIB] — peak memory of the CLI on disks that are large but nearly empty.
#
# Builds (in a scratch directory, a few hundred MB on the host):
#   big.raw    100 GiB sparse raw disk: MBR, one partition at 1 MiB filling the disk, holding an
#              ext4 written by mkfs.ext4 -d with a few files: text, a 64 MiB file of random bytes,
#              a 4 GiB sparse file with three data extents, a directory of 2000 small files
#   big.qcow2  the same disk as qcow2 (100 GiB virtual size)
# and runs on both, under GNU time -v: `vmteleport tree IMAGE --jsonl`, `vmteleport ls IMAGE /`,
# `vmteleport ls IMAGE /many` and `vmteleport info IMAGE`. The goal: peak RSS under 200 MiB
# (--goal), i.e. memory follows what is read, never the virtual size of the disk. The tree output is
# also compared with the kernel's view (tools/oracle/walk.py on a read-only loop mount).
# Writes a markdown report to stdout and to bench/results/<date>/memory-100g.md; exits 1 when a
# command fails or misses the goal.
# Environment: VMTELEPORT (the CLI to run; default ./vmteleport of this repository).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

goal_mib=200
while [ $# -gt 0 ]; do
  case $1 in
    --goal) goal_mib=${2:?}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "$0: unknown argument $1" >&2; exit 2 ;;
  esac
done
bench_require_root
"$bench_root/tools/install-deps.sh"
. "$bench_root/tools/fixtures/common.sh" # prand
bench_build_cli

work=$(mktemp -d "${TMPDIR:-/tmp}/memory-100g.XXXXXX")
mnt="$work/mnt"
cleanup() {
  mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# --- the images ---
stage="$work/stage"
mkdir -p "$stage/etc" "$stage/data" "$stage/many" "$mnt"
echo big-disk > "$stage/etc/hostname"
printf 'UUID=0b16d15c-0000-4000-8000-000000000100 / ext4 defaults 0 1\n' > "$stage/etc/fstab"
prand memory-100g-random $(( 64 << 20 )) > "$stage/data/random.bin"
truncate -s 4G "$stage/data/sparse.bin"
for at in 0 1024 4095; do # MiB offsets of 1 MiB data extents in a 4 GiB file
  prand "memory-100g-sparse-$at" $(( 1 << 20 )) | dd of="$stage/data/sparse.bin" bs=1M seek="$at" conv=notrunc status=none
done
for i in $(seq -w 2000); do echo "file $i" > "$stage/many/f$i"; done
ln -s ../data/random.bin "$stage/etc/random-link"

raw="$work/big.raw"
truncate -s 100G "$raw"
printf 'label: dos\nunit: sectors\n\nstart=2048, type=83\n' | sfdisk --quiet "$raw"
part_sectors=$(sfdisk --json "$raw" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][0]["size"])')
t=$(date +%s)
mkfs.ext4 -q -F -U 0b16d15c-0000-4000-8000-000000000100 \
  -E offset=1048576,lazy_itable_init=1,lazy_journal_init=1 -d "$stage" "$raw" "$(( part_sectors / 2 ))k"
qemu-img convert -f raw -O qcow2 "$raw" "$work/big.qcow2"
echo "$0: images built in $(( $(date +%s) - t )) s" >&2

mount -o ro,noload,loop,offset=1048576 "$raw" "$mnt"
python3 "$bench_root/tools/oracle/walk.py" "$mnt" > "$work/kernel.jsonl"
umount "$mnt"

size_line() { # size_line IMAGE
  qemu-img info --output=json "$1" | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("%s, %.0f GiB virtual, %.0f MiB on the host" % (j["format"], j["virtual-size"] / 2**30, j["actual-size"] / 2**20))'
}

report="$work/report.md"
{
  echo "# vmteleport peak memory on a 100 GiB disk"
  echo
  bench_header
  echo "- big.raw: $(size_line "$raw"); big.qcow2: $(size_line "$work/big.qcow2")"
  echo "- filesystem: $(grep -c '"type":"file"' "$work/kernel.jsonl") regular files, $(wc -l < "$work/kernel.jsonl") entries (a 4 GiB sparse file with 3 MiB of data, 64 MiB of random data, 2000 small files)"
  echo "- goal: peak RSS < $goal_mib MiB"
  echo
  echo "| image | command | seconds | peak RSS (MiB) | result |"
  echo "| --- | --- | ---: | ---: | --- |"
} > "$report"

status=0 n=0
for image in "$raw" "$work/big.qcow2"; do
  name=$(basename "$image")
  for cmd in "tree --jsonl" "ls /" "ls /many" "info"; do
    set -- $cmd
    verb=$1; shift
    n=$(( n + 1 ))
    prefix="$work/run$n-$name-$verb"
    read -r s r rc < <(measure "$prefix" "$vmteleport" "$verb" "$image" "$@")
    mib=$(awk -v r="$r" 'BEGIN {printf "%.1f", r / 1024}')
    if [ "$rc" != 0 ]; then
      result="FAILED (exit $rc: $(head -n1 "$prefix.err" | cut -c1-160))"
      status=1
    elif [ "$r" -ge $(( goal_mib * 1024 )) ]; then
      result="over the goal"
      status=1
    else
      result="ok"
    fi
    if [ "$rc" = 0 ] && [ "$verb" = tree ]; then
      if cmp -s "$work/kernel.jsonl" "$prefix.out"; then
        result+=", output identical to the kernel's"
      else
        result+=", output DIFFERS from the kernel's ($(diff "$work/kernel.jsonl" "$prefix.out" | grep -c '^>' || true) lines)"
        status=1
      fi
    fi
    echo "$0: $name $cmd: $s s, $r KiB, exit $rc" >&2
    echo "| $name | \`vmteleport $verb IMAGE${*:+ $*}\` | $s | $mib | $result |" >> "$report"
  done
done

results=$(bench_results_dir)
cp "$report" "$results/memory-100g.md"
cat "$report"
echo "$0: report written to $results/memory-100g.md" >&2
exit $status
