#!/usr/bin/env bash
# chunk-vs-tools.sh [FILE] — single-thread throughput of FastCDC chunking (+ BLAKE3 or SHA-256 ids)
# beside `zstd -T1 -3` and `sha256sum` on the same file, page cache warm, median of 3 runs.
#
# FILE defaults to the data.tar of the Debian fixture's linux-image .deb (~400 MB of kernel
# modules, unpacked with dpkg-deb --fsys-tarfile into $TMPDIR), or any file you pass.
# Writes markdown to stdout and to bench/results/<date>/chunk-vs-tools.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

file=${1:-}
if [ -z "$file" ]; then
  deb=$(ls "$(bash "$bench_root/tools/fixtures/ensure.sh" debian)"/debs/linux-image-6.1*.deb | head -1)
  file=${TMPDIR:-/tmp}/vmteleport-chunk-vs-tools.tar
  [ -f "$file" ] || dpkg-deb --fsys-tarfile "$deb" > "$file"
fi
dotnet build "$bench_root/bench/VmTeleport.Benchmarks" -c Release > /dev/null
dll="$bench_root/bench/VmTeleport.Benchmarks/bin/Release/net10.0/VmTeleport.Benchmarks.dll"
bytes=$(stat -c %s "$file")
cat "$file" > /dev/null # warm the page cache

run3() { # prints the median wall seconds of 3 runs of "$@"
  for _ in 1 2 3; do
    local s e
    s=$(date +%s%N); "$@" > /dev/null; e=$(date +%s%N)
    awk -v ns=$(( e - s )) 'BEGIN {printf "%.3f\n", ns / 1e9}'
  done | median
}
# Our own timing excludes the .NET start (~0.1 s); the tools' wall time includes theirs (~0 s).
ours() { for _ in 1 2 3; do dotnet "$dll" chunk-file "$file" "$1" | awk '{print $3}'; done | median; }

out="$(bench_results_dir)/chunk-vs-tools.md"
{
  echo "# Chunking and hashing beside zstd and sha256sum"
  echo
  echo "- date: $(date -u +%FT%TZ)"
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), code at $(git -C "$bench_root" rev-parse --short HEAD)"
  echo "- file: $file, $bytes bytes; one thread each, page cache warm, median of 3"
  echo
  echo "| what | seconds | MB/s |"
  echo "| --- | ---: | ---: |"
  for mode in none blake3 sha256; do
    s=$(ours $mode)
    echo "| FastCDC 2/8/32 KiB, ids: $mode | $s | $(awk -v b=$bytes -v s=$s 'BEGIN {printf "%.0f", b / 1e6 / s}') |"
  done
  s=$(run3 zstd -T1 -3 -c "$file")
  echo "| zstd -T1 -3 | $s | $(awk -v b=$bytes -v s=$s 'BEGIN {printf "%.0f", b / 1e6 / s}') |"
  s=$(run3 sha256sum "$file")
  echo "| sha256sum | $s | $(awk -v b=$bytes -v s=$s 'BEGIN {printf "%.0f", b / 1e6 / s}') |"
  s=$(run3 python3 -c "import hashlib,sys; hashlib.file_digest(open(sys.argv[1],'rb'), 'sha256')" "$file")
  echo "| python3 hashlib sha256 (OpenSSL, SHA-NI) | $s | $(awk -v b=$bytes -v s=$s 'BEGIN {printf "%.0f", b / 1e6 / s}') |"
} | tee "$out"
