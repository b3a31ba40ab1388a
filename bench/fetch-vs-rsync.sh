#!/usr/bin/env bash
# fetch-vs-rsync.sh [IMAGE] — the transfer on loopback: `vmteleport serve` the image (default the
# Debian fixture's debian12.qcow2) and `vmteleport fetch` every chunk into an empty store, with
# zstd (first run: includes the agent walking the image for its manifest; then warm) and Brotli
# (warm); against `rsync` of the qcow2 file to a local directory and `zstd -3` of it, in the same run.
# Reported: seconds, wire bytes (socket bytes below TLS) vs raw chunk bytes, MB/s.
# Writes markdown to stdout and bench/results/<date>/fetch-vs-rsync.md.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
image=${1:-$("$bench_root/tools/fixtures/ensure.sh" debian)/debian12.qcow2}
bench_build_cli
work=$(mktemp -d "${TMPDIR:-/tmp}/fetch-bench.XXXXXX")
serve_pid=
cleanup() { [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
report="$(bench_results_dir)/fetch-vs-rsync.md"
umask 077
head -c 32 /dev/urandom | base64 > "$work/token"
"$vmteleport" serve --image "$image" --listen 127.0.0.1:0 --token-file "$work/token" --data-dir "$work/agent" > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
for _ in $(seq 100); do grep -q '^listening:' "$work/serve.out" 2>/dev/null && break; sleep 0.2; done
fp=$(awk '/^fingerprint:/ {print $2}' "$work/serve.out")
addr=$(awk '/^listening:/ {print $2}' "$work/serve.out")
[ -n "$addr" ] || { echo "$0: serve did not start: $(cat "$work/serve.err")" >&2; exit 1; }
name=$(basename "$image"); name=${name%.*}
fetch() { # LABEL CODEC
  rm -rf "$work/client"
  "$vmteleport" fetch "$addr/$name" --token-file "$work/token" --fingerprint "$fp" --data-dir "$work/client" --codec "$2" --json > "$work/$1.json"
  python3 - "$1" "$work/$1.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[2])); s = d["seconds"]
raw = d["fetched_bytes"]; wire = d["wire_bytes"]
print(f"| {sys.argv[1]} | {d['codec']} | {d['fetched']} | {raw/2**20:.1f} MiB | {wire/2**20:.1f} MiB | {raw/wire:.2f} | {s['manifest']:.1f} | {s['chunks']:.1f} | {s['total']:.1f} | {raw/1e6/s['chunks']:.0f} |")
PY
}
{
  echo "# fetch vs rsync and zstd, loopback"
  echo
  bench_header
  echo "- image: $image ($(stat -c %s "$image") bytes)"
  echo
  echo "wire = bytes read from the client's sockets (TLS records, HTTP/2 frames, manifest, description); raw = chunk bytes stored; MB/s = raw / chunk seconds."
  echo
  echo "| run | codec | chunks | raw | wire | raw/wire | manifest s | chunks s | total s | MB/s |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  fetch "cold (agent walks the image)" zstd
  fetch "warm" zstd
  fetch "warm" brotli
  echo
  mkdir -p "$work/rsync"
  start=$(date +%s%N)
  rsync -a --stats "$image" "$work/rsync/" > "$work/rsync.out"
  end=$(date +%s%N)
  sent=$(awk -F': ' '/Total bytes sent/ {gsub(/,/, "", $2); print $2}' "$work/rsync.out")
  echo "| tool | bytes | seconds |"
  echo "| --- | ---: | ---: |"
  awk -v ns=$((end - start)) -v b="$sent" 'BEGIN {printf "| rsync -a (local dir, whole file) | %.1f MiB sent | %.1f |\n", b/1048576, ns/1e9}'
  start=$(date +%s%N)
  zstd -3 -T1 -q -c "$image" > "$work/image.zst"
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v b="$(stat -c %s "$work/image.zst")" 'BEGIN {printf "| zstd -3 -T1 of the qcow2 | %.1f MiB | %.1f |\n", b/1048576, ns/1e9}'
} | tee "$report"
