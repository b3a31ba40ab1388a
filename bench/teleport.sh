#!/usr/bin/env bash
# teleport.sh [--rates "none 80mbit"] [--runs N] [IMAGE] — the teleport end to end: `vmteleport
# serve` in one network namespace, `vmteleport pull` in another, joined by a veth pair shaped with
# tc tbf (80mbit = the report's 10 MB/s link; "none" = unshaped), against rsync of the image file
# over the same link (an rsync daemon on the source side, so no ssh cost), in the same run.
# Destination scenarios for IMAGE (default: the Debian fixture's debian12.qcow2):
#   none     an empty content index: everything crosses the wire
#   debs     the guest's .deb archives indexed (the fixture's debs/): user data and config travel
#   similar  the same guest on another disk layout indexed (debian12-split.qcow2)
# Each pull starts a fresh agent, which describes the VM first (`describe`, the source's phase,
# timed by serve's `ready:` line), and an empty chunk store; end to end = describe + pull.
# Wire bytes are the veth's counters (both directions), so TLS and HTTP/2 count.
# Writes bench/results/<date>/teleport.md and teleport.jsonl.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/link.sh"
bench_require_root
rates="none 80mbit"
runs=1
while [ $# -gt 0 ]; do
  case $1 in
    --rates) rates=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) break ;;
  esac
done
fixtures=$("$bench_root/tools/fixtures/ensure.sh" debian | tail -1)
image=${1:-$fixtures/debian12.qcow2}
bench_build_cli
command -v rsync >/dev/null || apt-get install -y -q rsync >/dev/null
work=$(mktemp -d /var/tmp/vmt-teleport-bench.XXXXXX)
src=$link_src dst=$link_dst
serve_pid= rsyncd_pid=
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
  [ -f "$work/rsyncd.pid" ] && kill "$(cat "$work/rsyncd.pid")" 2>/dev/null
  wait 2>/dev/null || true
  link_down
  rm -rf "$work"
}
trap cleanup EXIT
link_up
shape() { link_shape "$rate"; }
wire() { link_bytes; }

umask 077
head -c 32 /dev/urandom | base64 > "$work/token"
name=$(basename "$image"); name=${name%.*}
# The rsync daemon serves the image's directory read-only on the source side.
cat > "$work/rsyncd.conf" <<CONF
pid file = $work/rsyncd.pid
use chroot = no
[img]
  path = $(dirname "$image")
  read only = yes
CONF
ip netns exec "$src" rsync --daemon --config "$work/rsyncd.conf" --address 169.254.250.1 --port 8873

start_agent() {
  rm -f "$work/serve.out"
  ip netns exec "$src" "$vmteleport" serve --image "$image" --listen 169.254.250.1:8443 --token-file "$work/token" \
    --data-dir "$work/agent" > "$work/serve.out" 2> "$work/serve.err" &
  serve_pid=$!
  # The source describes the VM at start (`ready:` says when, and how long it took): its own
  # phase, reported as `describe`, before the pull's clock starts.
  for _ in $(seq 3000); do grep -q '^ready:' "$work/serve.out" 2>/dev/null && return; sleep 0.2; done
  echo "$0: serve did not get ready: $(cat "$work/serve.err")" >&2; exit 1
}
stop_agent() { kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true; serve_pid=; }

prepare() { # SCENARIO DATA_DIR: the destination's index, built before the clock starts
  rm -rf "$2"; mkdir -p "$2"
  case $1 in
    none) ;;
    debs) "$vmteleport" index add "$fixtures/debs" --data-dir "$2" > /dev/null ;;
    similar) "$vmteleport" index add "$fixtures/debian12-split.qcow2" --data-dir "$2" > /dev/null ;;
  esac
}

results="$(bench_results_dir)"
jsonl="$results/teleport.jsonl"
: > "$work/runs.jsonl"
for rate in $rates; do
  shape "$rate"
  for run in $(seq "$runs"); do
    for scenario in none debs similar; do
      prepare "$scenario" "$work/dest"
      start_agent
      before=$(wire)
      m=$(measure "$work/pull" ip netns exec "$dst" "$vmteleport" pull "https://169.254.250.1:8443/$name" --token-file "$work/token" \
        --fingerprint "$(awk '/^fingerprint:/ {print $2}' "$work/serve.out")" --output "$work/out/$name.qcow2" --data-dir "$work/dest" --json --method teleport)
      after=$(wire)
      stop_agent
      rm -rf "$work/out"
      describe=$(sed -n 's/^ready: .*described in \([0-9.]*\) s.*/\1/p' "$work/serve.out")
      python3 - "$rate" "$scenario" "$run" "$m" "$((after - before))" "$work/pull.out" "$work/pull.err" "$describe" >> "$work/runs.jsonl" <<'PY'
import json, sys
rate, scenario, run, m, wire, out, err, describe = sys.argv[1:]
secs, rss, rc = m.split()
rec = {"rate": rate, "method": "vmteleport pull", "scenario": scenario, "run": int(run), "seconds": float(describe) + float(secs),
       "pull_seconds": float(secs), "describe_seconds": float(describe),
       "peak_rss_kib": int(rss), "exit": int(rc), "veth_bytes": int(wire)}
if rc == "0":
    p = json.load(open(out))
    rec.update(exact=p["exact"], wire_bytes=p["wire_bytes"], local_bytes=p["local_bytes"], phases=p["seconds"],
               rebuild_phases=p["rebuild_phases"], bytes=p["bytes"])
else:
    rec["error"] = open(err).read()[-400:]
print(json.dumps(rec))
PY
    done
    for method in rsync "rsync -z"; do
      rm -rf "$work/copy"; mkdir -p "$work/copy"
      before=$(wire)
      # shellcheck disable=SC2086
      m=$(measure "$work/rsync" ip netns exec "$dst" $method "rsync://169.254.250.1:8873/img/$(basename "$image")" "$work/copy/")
      after=$(wire)
      python3 -c 'import json,sys; r,meth,run,m,w=sys.argv[1:]; s,rss,rc=m.split(); print(json.dumps({"rate":r,"method":meth,"scenario":"any","run":int(run),"seconds":float(s),"exit":int(rc),"veth_bytes":int(w)}))' \
        "$rate" "$method" "$run" "$m" "$((after - before))" >> "$work/runs.jsonl"
    done
  done
done
cp "$work/runs.jsonl" "$jsonl"
python3 - "$jsonl" "$image" "$(uptime)" > "$results/teleport.md" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1])]
print(f"# Teleport end to end vs rsync ({sys.argv[2]})\n")
print(f"Load when done: {sys.argv[3].strip()}\n")
print("| link | method | destination has | seconds end to end (median, min–max) | wire MB (veth) | exact (per run) | phases (s, median run) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
keys = []
for r in rows:
    k = (r["rate"], r["method"], r["scenario"])
    if k not in keys:
        keys.append(k)
for k in keys:
    rs = [r for r in rows if (r["rate"], r["method"], r["scenario"]) == k]
    secs = sorted(r["seconds"] for r in rs)
    med = statistics.median(secs)
    mid = min(rs, key=lambda r: abs(r["seconds"] - med))
    wire = statistics.median(r["veth_bytes"] for r in rs) / 1e6
    # A plain copy is not verified by rsync itself: say whether it completed.
    exact = ",".join(str(r["exact"]).lower() if "exact" in r else ("copied" if r["exit"] == 0 else "failed") for r in rs)
    phases = ", ".join(([f"describe {mid['describe_seconds']:.1f}"] if "describe_seconds" in mid else [])
                       + [f"{p} {v:.1f}" for p, v in mid.get("phases", {}).items() if p != "total"])
    link = "unshaped" if k[0] == "none" else f"tbf {k[0]}"
    print(f"| {link} | {k[1]} | {k[2]} | {med:.1f} ({secs[0]:.1f}–{secs[-1]:.1f}) | {wire:.1f} | {exact} | {phases} |")
PY
cat "$results/teleport.md"
