#!/usr/bin/env bash
# index-vs-casync.sh — throughput of `vmteleport index add` on the Debian fixture's debian12.qcow2
# and its 157 .debs, beside `casync make` of the same guest as a raw image (default 16/64/256 KiB
# chunks, and 2/8/32 KiB like ours). Page cache warm, one run each (the machine is shared: the
# load average is recorded). Writes markdown to stdout and bench/results/<date>/index-vs-casync.md.
#
# DEBIAN_FIXTURES=DIR uses that directory instead of `tools/fixtures/ensure.sh debian`.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

fixtures=${DEBIAN_FIXTURES:-$(bash "$bench_root/tools/fixtures/ensure.sh" debian)}
qcow2=$fixtures/debian12.qcow2
raw=$fixtures/debian12.raw
debs=$fixtures/debs
command -v casync > /dev/null || { echo "$0: casync is missing (tools/install-deps.sh installs it)" >&2; exit 2; }
bench_build_cli
work=$(mktemp -d "${TMPDIR:-/tmp}/vmteleport-index-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

cat "$qcow2" "$debs"/*.deb > /dev/null
mbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.0f", b / 1e6 / s}'; }
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }

data_bytes=$("$vmteleport" info "$qcow2" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["data_bytes"])')
read -r s_img rss_img rc < <(measure "$work/img" "$vmteleport" index add --data-dir "$work/data" "$qcow2" --json)
[ "$rc" = 0 ] || { cat "$work/img.err" >&2; exit 1; }
img_bytes=$(json "$work/img.out" 'sum(s["bytes"] for s in d["sources"])')
img_chunks=$(json "$work/img.out" 'sum(s["chunks"] for s in d["sources"])')
read -r s_skip _ rc < <(measure "$work/skip" "$vmteleport" index add --data-dir "$work/data" "$qcow2" --json)
skipped=$(json "$work/skip.out" 'd["skipped"]')

deb_files=$(du -cb "$debs"/*.deb | tail -1 | cut -f1)
deb_count=$(ls "$debs"/*.deb | wc -l)
read -r s_deb rss_deb rc < <(measure "$work/deb" "$vmteleport" index add --data-dir "$work/data" "$debs" --json)
[ "$rc" = 0 ] || { cat "$work/deb.err" >&2; exit 1; }
deb_bytes=$(json "$work/deb.out" 'sum(s["bytes"] for s in d["sources"])')
index_size=$(stat -c %s "$work/data/index.sqlite")

cat "$raw" > /dev/null
raw_size=$(stat -c %s "$raw")
raw_alloc=$(( $(stat -c %b "$raw") * 512 ))
read -r s_ca rss_ca rc < <(measure "$work/ca" casync make --store="$work/store" "$work/raw.caibx" "$raw")
[ "$rc" = 0 ] || { cat "$work/ca.err" >&2; exit 1; }
ca_chunks=$(find "$work/store" -type f -name '*.cacnk' | wc -l)
rm -rf "$work/store"
read -r s_ca8 rss_ca8 rc < <(measure "$work/ca8" casync make --chunk-size=2048:8192:32768 --store="$work/store8" "$work/raw8.caibx" "$raw")
[ "$rc" = 0 ] || { cat "$work/ca8.err" >&2; exit 1; }
ca8_chunks=$(find "$work/store8" -type f -name '*.cacnk' | wc -l)

out="$(bench_results_dir)/index-vs-casync.md"
{
  echo "# Indexing throughput: vmteleport index add beside casync make"
  echo
  bench_header
  echo "- load average before: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores shared with other work: expect ±30 %)"
  echo "- image: $qcow2 ($(stat -c %s "$qcow2") bytes, $data_bytes bytes of allocated data); raw twin $raw ($raw_size bytes, $raw_alloc allocated)"
  echo "- debs: $deb_count files, $deb_files bytes"
  echo "- page cache warm; one run each; wall time includes process start"
  echo
  echo "| what | seconds | peak RSS MiB | content bytes | MB/s of content | notes |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  echo "| index add debian12.qcow2 (files + regions, SHA-256 + FastCDC 2/8/32 KiB + BLAKE3, SQLite) | $s_img | $(( rss_img / 1024 )) | $img_bytes | $(mbps "$img_bytes" "$s_img") | $img_chunks chunks; $(mbps "$data_bytes" "$s_img") MB/s of allocated image data |"
  echo "| index add debian12.qcow2 again (unchanged: skipped) | $s_skip | | 0 | | $skipped source(s) skipped, nothing read |"
  echo "| index add debs/ ($deb_count .debs: decompress, SHA-256 + MD5 + FastCDC + BLAKE3) | $s_deb | $(( rss_deb / 1024 )) | $deb_bytes | $(mbps "$deb_bytes" "$s_deb") | $(mbps "$deb_files" "$s_deb") MB/s of .deb files |"
  echo "| casync make debian12.raw (default 16/64/256 KiB, zstd store) | $s_ca | $(( rss_ca / 1024 )) | $raw_size | $(mbps "$raw_size" "$s_ca") | $ca_chunks distinct chunks; $(mbps "$data_bytes" "$s_ca") MB/s of allocated data |"
  echo "| casync make --chunk-size=2048:8192:32768 debian12.raw | $s_ca8 | $(( rss_ca8 / 1024 )) | $raw_size | $(mbps "$raw_size" "$s_ca8") | $ca8_chunks distinct chunks; $(mbps "$data_bytes" "$s_ca8") MB/s of allocated data |"
  echo
  echo "Index file after both adds: $index_size bytes."
  echo
  echo "casync reads the whole raw file, zeros included, and compresses and writes every new chunk to"
  echo "its store; the index reads only allocated, non-zero data, stores no bytes, and hashes each file"
  echo "twice (SHA-256 for file matching, BLAKE3 per chunk) and writes rows to SQLite."
} | tee "$out"
