#!/usr/bin/env bash
# chunk-store.sh [CHUNKS] — PackChunkStore beside DirectoryChunkStore: CHUNKS (default 80,000)
# random chunks of 2–32 KiB, mean ~8.6 KiB as FastCDC's on the Debian 12 image (~690 MB), written
# from 4 threads, closed, reopened, looked up and read back; then, after dropping the page cache
# (as root), reopened and read cold. Writes markdown to stdout and bench/results/<date>/chunk-store.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

chunks=${1:-80000}
work=${TMPDIR:-/tmp}/vmteleport-chunk-store
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
dotnet build "$bench_root/bench/VmTeleport.Benchmarks" -c Release > /dev/null
dll="$bench_root/bench/VmTeleport.Benchmarks/bin/Release/net10.0/VmTeleport.Benchmarks.dll"

row() { # row STORE JSON_WRITE JSON_READ DISK_BYTES
  python3 - "$@" <<'PY'
import json, sys
store, w, r, disk = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]) if sys.argv[3] else None, int(sys.argv[4])
mb = w["bytes"] / 1e6
cold = f'{r["reopen_s"]:.2f} | {r["read_s"]:.1f} ({mb / r["read_s"]:.0f})' if r else "— | —"
print(f'| {store} | {w["write_s"]:.1f} ({mb / w["write_s"]:.0f}) | {w["close_s"]:.2f} | {w["reopen_s"]:.2f} | {w["contains_s"]:.3f} | {w["read_s"]:.1f} ({mb / w["read_s"]:.0f}) | {cold} | {disk / 1e6:.0f} |')
PY
}

out="$(bench_results_dir)/chunk-store.md"
{
  echo "# Chunk stores: pack files beside one file per chunk"
  echo
  echo "- date: $(date -u +%FT%TZ)"
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), code at $(git -C "$bench_root" rev-parse --short HEAD)$(git -C "$bench_root" diff --quiet HEAD || echo ' (with local changes)'), filesystem $(stat -f -c %T "$work") at $work"
  echo "- load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $chunks chunks of 2–32 KiB (random bytes, mean ~8.6 KiB), written from 4 threads; read back from 4 threads in random order; every read re-hashes (SHA-256)"
  echo
  echo "| store | write s (MB/s) | close s | reopen s | Contains ×N s | read warm s (MB/s) | reopen cold s | read cold s (MB/s) | on disk MB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for store in pack directory; do
    w=$(dotnet "$dll" chunk-store write $store "$work/$store" "$chunks")
    r=""
    if [ "$(id -u)" = 0 ]; then
      drop_caches
      r=$(dotnet "$dll" chunk-store read $store "$work/$store" "$chunks")
    fi
    row $store "$w" "$r" "$(du -s --block-size=1 "$work/$store" | cut -f1)"
    if [ $store = pack ]; then
      rm "$work/pack/index" # the open rebuilds it from the packs, hashing every record
      rebuild=$(dotnet "$dll" chunk-store read pack "$work/pack" "$chunks" | python3 -c 'import json,sys; print(json.load(sys.stdin)["reopen_s"])')
    fi
    rm -rf "${work:?}/$store"
    sync
  done
  echo
  echo "- pack store opened with its index deleted (rebuilt from the packs, page cache warm): $rebuild s"
  echo "- on disk: blocks allocated (\`du -s --block-size=1\`)"
  echo "- load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
