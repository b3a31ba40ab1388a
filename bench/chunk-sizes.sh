#!/usr/bin/env bash
# chunk-sizes.sh [--sizes 2,4,8,16,32,64] — what each average FastCDC chunk size costs and saves.
#
# Corpus: the files of real Debian 12 kernel packages (~400 MB of modules, firmware-free), fetched
# with `apt-get download` into a scratch directory and unpacked with `dpkg-deb -x`:
#   security update   A = linux-image-6.1.0-56-amd64 (6.1.192-2), B = linux-image-6.1.0-57-amd64 (6.1.192-3)
#   minor release     A = linux-image-6.1.0-50-amd64 (6.1.176-1), B = linux-image-6.1.0-57-amd64
#   edited copy       A = the -57 tree, B = the same tree where every 10th file has 64 random bytes
#                     inserted in its middle (what content-defined chunking must absorb)
# For every pair and size (min = avg/4, max = 4 × avg, every file chunked on its own, BLAKE3 ids):
# chunks of B, the share of B's bytes whose chunks A already has, the bytes B must send, the bytes
# of the chunk references (40 per chunk) and the chunk+hash throughput over A (page cache warm).
# Writes markdown to stdout and to bench/results/<date>/chunk-sizes.md.
# Environment: WORK (scratch directory, default /tmp/vmteleport-chunk-sizes, ~1.5 GB; kept for reruns).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

sizes=2,4,8,16,32,64
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=${2:?}; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "$0: unknown argument $1" >&2; exit 2 ;;
  esac
done

work=${WORK:-/tmp/vmteleport-chunk-sizes}
mkdir -p "$work/x"
cd "$work"
for p in linux-image-6.1.0-50-amd64 linux-image-6.1.0-56-amd64 linux-image-6.1.0-57-amd64; do
  if [ ! -d "x/$p" ]; then
    ls ${p}_*.deb > /dev/null 2>&1 || apt-get download "$p" > /dev/null 2>&1
    mkdir -p "x/$p.tmp" && dpkg-deb -x ${p}_*.deb "x/$p.tmp" && mv "x/$p.tmp" "x/$p"
  fi
done
if [ ! -d x/edited ]; then
  cp -a x/linux-image-6.1.0-57-amd64 x/edited.tmp
  python3 - x/edited.tmp <<'PY'
import os, random, sys
rng = random.Random(2026)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(sys.argv[1]) for f in fs
               if not os.path.islink(os.path.join(d, f)))
for path in files[::10]:
    data = open(path, "rb").read()
    at = len(data) // 2
    open(path, "wb").write(data[:at] + rng.randbytes(64) + data[at:])
PY
  mv x/edited.tmp x/edited
fi

dotnet build "$bench_root/bench/VmTeleport.Benchmarks" -c Release > /dev/null
survey() { dotnet "$bench_root/bench/VmTeleport.Benchmarks/bin/Release/net10.0/VmTeleport.Benchmarks.dll" chunk-sizes "$@"; }

out="$(bench_results_dir)/chunk-sizes.md"
{
  echo "# Chunk sizes on real files"
  echo
  echo "- date: $(date -u +%FT%TZ)"
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), code at $(git -C "$bench_root" rev-parse --short HEAD)"
  echo
  echo "## Security update (6.1.0-56 → 6.1.0-57)"
  echo
  survey x/linux-image-6.1.0-56-amd64 x/linux-image-6.1.0-57-amd64 "$sizes"
  echo
  echo "## Minor release (6.1.0-50 → 6.1.0-57)"
  echo
  survey x/linux-image-6.1.0-50-amd64 x/linux-image-6.1.0-57-amd64 "$sizes"
  echo
  echo "## Edited copy (every 10th file: 64 bytes inserted in the middle)"
  echo
  survey x/linux-image-6.1.0-57-amd64 x/edited "$sizes"
} | tee "$out"
