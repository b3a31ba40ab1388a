#!/usr/bin/env bash
# experiments.sh — the research report's experiments, over a real link, in one command: a source
# VM (the LAMP "webserver" fixture, or "big": the same plus 1 GiB of random files) moved to a
# destination that already has some local VM (the "scenarios" fixtures), by every method a user
# would try, side by side in the same run; then `vmteleport report` writes report.md, charts and a
# page under bench/results/<date>/.
#
#   experiments.sh [--rates "80mbit none"] [--runs 3] [--anchor-runs 1] [--raw-runs 1]
#                  [--sources "webserver big"] [--scenarios "none minimal ..."] [--methods "..."]
#                  [--fresh]
#
# Link: serve side and pull side in two network namespaces joined by a veth pair, tc tbf 80mbit
# (the report's 10 MB/s) or unshaped ("none"); wire bytes are the interface counters (both
# directions: TLS, HTTP/2, rsync's protocol all count). No netem on this kernel: no added latency.
#
# Destination scenarios (what the destination has indexed or can use as a reference/seed):
#   none      nothing                         minimal   an un-updated minimal Debian 12 VM
#   updated   a minimal VM with all updates   packages  a VM with all of the source's packages
#   nginx     the same with nginx + php-fpm in place of Apache
#   older     the source VM with older data (database, sites, user files)
#   mirror    a local package mirror (the .debs of the source's packages), no VM
# Methods:
#   rsync             rsync of the qcow2 file (rsync daemon, no ssh cost)          [any scenario]
#   rsync-sparse-raw  rsync --sparse of the raw image                              [any scenario]
#   zstd-patch        zstd -3 --long=31 --patch-from=<local image> streamed over TCP (socat); the
#                     source must hold the destination's image too: an oracle a real user lacks
#   casync            casync make on the source (timed, once per source and run), casync extract
#                     over HTTP with the local image as --seed
#   vmteleport        serve + pull, the pull deciding between teleport and plain copy
#   vmteleport-teleport / vmteleport-copy   the same, forced (copy: any scenario)
# Runs: vmteleport (the decision) --runs times; anchors, forced methods and rsync --anchor-runs
# times; rsync of the 4 GiB raw image --raw-runs times (it sends 4 GiB: 7 minutes at 10 MB/s).
# Every copy is checked: vmteleport verifies itself (exact), the others with cmp (not timed).
# Recorded per run: wall seconds end to end and per phase, wire bytes, CPU seconds of the source
# side (a cpuacct cgroup holding every source-side server) and of the destination command (GNU
# time), peak RSS (serve's VmHWM; the destination command's), exact, the pull's decision; for
# the forced teleport the lower bound: the content found nowhere locally (pull --save-missing) as
# one `zstd -3 --long=27` stream (the level the agent uses, without its per-frame and per-request
# costs), and as `zstd -10 --long=27` (lower_bound_strong_bytes: a compressor far slower than the
# link allows on this machine); both reused by the other vmteleport rows of that scenario.
# Runs are appended to bench/results/<date>/experiments-runs.jsonl (--fresh empties it first), so
# slices of the matrix can be measured separately; experiments.jsonl = a meta line + all runs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/link.sh"
bench_require_root

command_line="bench/experiments.sh $*"
rates="80mbit none"
runs=3 anchor_runs=1 raw_runs=1
sources="webserver big"
scenarios="none minimal updated packages nginx older mirror"
methods="rsync rsync-sparse-raw zstd-patch casync vmteleport vmteleport-teleport vmteleport-copy"
fresh=
while [ $# -gt 0 ]; do
  case $1 in
    --rates) rates=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --anchor-runs) anchor_runs=$2; shift 2 ;;
    --raw-runs) raw_runs=$2; shift 2 ;;
    --sources) sources=$2; shift 2 ;;
    --scenarios) scenarios=$2; shift 2 ;;
    --methods) methods=$2; shift 2 ;;
    --fresh) fresh=1; shift ;;
    *) echo "usage: $0 [--rates R] [--runs N] [--anchor-runs N] [--raw-runs N] [--sources S] [--scenarios S] [--methods M] [--fresh]" >&2; exit 2 ;;
  esac
done
wants() { [[ " $methods " == *" $1 "* ]]; }

ws=$("$bench_root/tools/fixtures/ensure.sh" webserver | tail -1)
sc=$("$bench_root/tools/fixtures/ensure.sh" scenarios | tail -1)
for tool in rsync zstd casync socat; do
  command -v "$tool" > /dev/null || apt-get install -y -q "$tool" > /dev/null
done
bench_build_cli
results=$(bench_results_dir)
runs_file="$results/experiments-runs.jsonl"
[ -z "$fresh" ] || : > "$runs_file"
touch "$runs_file"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
slice_start=$(date -u +%FT%TZ)

work=$(mktemp -d /var/tmp/vmt-experiments.XXXXXX)
cg=/sys/fs/cgroup/cpuacct/vmt-src-$$
mkdir -p "$cg"
src=$link_src dst=$link_dst ip=$link_source_ip
serve_pid= http_pid= zsrc_pid=
cleanup() {
  for p in $serve_pid $http_pid $zsrc_pid; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/rsyncd.pid" ] && kill "$(cat "$work/rsyncd.pid")" 2>/dev/null
  wait 2>/dev/null || true
  link_down
  # Processes leave the cgroup when they exit; an empty cgroup can be removed.
  rmdir "$cg" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
link_up
umask 077
head -c 32 /dev/urandom | base64 > "$work/token"

# on_source CMD...: runs CMD in the source namespace, inside the source's CPU cgroup (joined before
# `ip netns exec`, which mounts a sysfs of its own without the cgroup file systems).
# It replaces the calling shell: run it in the background (`on_source CMD &`, so that $! is CMD's own
# pid, for kill and VmHWM) or in a subshell.
on_source() { exec sh -c 'echo $$ > "$0/cgroup.procs" && ns=$1 && shift && exec ip netns exec "$ns" "$@"' "$cg" "$src" "$@"; }
source_cpu_ns() { cat "$cg/cpuacct.usage"; }
dest_cpu() { awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.2f", u + s}' "$1.time"; }
emit() { # KEY=VALUE...: one JSON line (VALUE parsed as JSON when it is, else a string)
  python3 - "$@" >> "$runs_file" <<'PY'
import json, sys
rec = {}
for a in sys.argv[1:]:
    k, v = a.split("=", 1)
    try:
        rec[k] = json.loads(v)
    except ValueError:
        rec[k] = v
print(json.dumps(rec))
PY
}
wait_listen() { # PORT: until the source side listens on PORT
  for _ in $(seq 600); do ip netns exec "$src" ss -ltnH "sport = :$1" | grep -q . && return; sleep 0.1; done
  echo "$0: nothing listens on port $1 on the source side" >&2; exit 1
}

source_image() { case $1 in webserver) echo "$ws/webserver.qcow2" ;; big) echo "$sc/big.qcow2" ;; *) echo "$0: unknown source $1" >&2; exit 2 ;; esac; }
local_of() { # SCENARIO: the destination's local image or package directory (empty: none)
  case $1 in
    none) ;;
    minimal | updated | packages | nginx | older) echo "$sc/$1.qcow2" ;;
    mirror) echo "$ws/debs" ;;
    *) echo "$0: unknown scenario $1" >&2; exit 2 ;;
  esac
}
local_image_of() { local l; l=$(local_of "$1"); [[ "$l" == *.qcow2 ]] && echo "$l" || true; }

# --- per source: the servers of the plain copies and anchors, the destination's indexes ---
start_source_servers() { # IMAGE
  mkdir -p "$work/raw" "$work/cas"
  cat > "$work/rsyncd.conf" <<CONF
pid file = $work/rsyncd.pid
use chroot = no
# A daemon started as root serves as nobody unless told otherwise; $work is private (umask 077).
uid = root
gid = root
[img]
  path = $(dirname "$1")
  read only = yes
[raw]
  path = $work/raw
  read only = yes
CONF
  (on_source rsync --daemon --config "$work/rsyncd.conf" --address "$ip" --port 8873)
  # casync fetches one chunk per request: HTTP/1.1 keeps the connection (http.server's default,
  # HTTP/1.0, would open a connection per chunk and make casync look far slower than it is).
  on_source python3 -c 'import functools, http.server as h, sys
h.SimpleHTTPRequestHandler.protocol_version = "HTTP/1.1"
h.ThreadingHTTPServer((sys.argv[1], 8000), functools.partial(h.SimpleHTTPRequestHandler, directory=sys.argv[2])).serve_forever()' \
    "$ip" "$work/cas" > /dev/null 2>&1 &
  http_pid=$!
  wait_listen 8873
  wait_listen 8000
}
stop_source_servers() {
  [ -f "$work/rsyncd.pid" ] && kill "$(cat "$work/rsyncd.pid")" 2>/dev/null || true
  rm -f "$work/rsyncd.pid"
  [ -z "$http_pid" ] || { kill "$http_pid" 2>/dev/null; wait "$http_pid" 2>/dev/null || true; http_pid=; }
  rm -rf "$work/raw" "$work/cas"
}

index_template() { # SCENARIO: a data directory with the scenario's local content indexed, made once
  local t="$work/index-$1" l
  [ -d "$t" ] && return
  mkdir -p "$t.tmp"
  l=$(local_of "$1")
  if [ -n "$l" ]; then
    local m
    m=$(measure "$work/index" "$vmteleport" index add "$l" --data-dir "$t.tmp")
    echo "experiments.sh: indexed $l for $1 in ${m%% *} s" >&2
    echo "$1 ${m%% *}" >> "$work/index-seconds"
  fi
  mv "$t.tmp" "$t"
}

# --- the methods; each appends one JSON line ---
common() { echo "source=$source" "rate=$rate" "run=$run"; }

plain_copy() { # METHOD: rsync | rsync-sparse-raw
  rm -rf "$work/copy"; mkdir -p "$work/copy"
  local b c m url file
  if [ "$1" = rsync ]; then url="rsync://$ip:8873/img/$name.qcow2"; file=$image; else url="rsync://$ip:8873/raw/$name.raw"; file=$work/raw/$name.raw; fi
  b=$(link_bytes); c=$(source_cpu_ns)
  # shellcheck disable=SC2046
  m=$(measure "$work/m" ip netns exec "$dst" rsync $([ "$1" = rsync ] || echo --sparse) "$url" "$work/copy/")
  read -r secs rss rc <<< "$m"
  local exact=false
  [ "$rc" != 0 ] || ! cmp -s "$file" "$work/copy/$(basename "$file")" || exact=true
  emit $(common) method="$1" scenario=any seconds="$secs" exit="$rc" wire_bytes=$(( $(link_bytes) - b )) exact=$exact \
    phases="{\"transfer\": $secs}" \
    cpu_seconds="{\"source\": $(( ($(source_cpu_ns) - c) / 10000000 ))e-2, \"destination\": $(dest_cpu "$work/m")}" \
    peak_rss_bytes="{\"destination\": $(( rss * 1024 ))}"
  rm -rf "$work/copy"
}

zstd_patch() { # SCENARIO
  rm -rf "$work/copy"; mkdir -p "$work/copy"
  local ref b c m exact=false
  ref=$(local_image_of "$1")
  # socat starts zstd when the destination connects, so loading the reference is on the clock.
  on_source socat -U TCP-LISTEN:9000,reuseaddr EXEC:"zstd -q -c -3 -T2 --long=31 ${ref:+--patch-from=$ref} $image" &
  zsrc_pid=$!
  wait_listen 9000
  b=$(link_bytes); c=$(source_cpu_ns)
  m=$(measure "$work/m" ip netns exec "$dst" sh -c "socat -u TCP:$ip:9000 STDOUT | zstd -d -q --long=31 ${ref:+--patch-from=$ref} -o '$work/copy/$name.qcow2'")
  wait "$zsrc_pid" 2>/dev/null || true; zsrc_pid=
  read -r secs rss rc <<< "$m"
  [ "$rc" != 0 ] || ! cmp -s "$image" "$work/copy/$name.qcow2" || exact=true
  emit $(common) method=zstd-patch scenario="$1" seconds="$secs" exit="$rc" wire_bytes=$(( $(link_bytes) - b )) exact=$exact \
    reference="${ref:-none}" phases="{\"transfer\": $secs}" \
    cpu_seconds="{\"source\": $(( ($(source_cpu_ns) - c) / 10000000 ))e-2, \"destination\": $(dest_cpu "$work/m")}" \
    peak_rss_bytes="{\"destination\": $(( rss * 1024 ))}"
  rm -rf "$work/copy"
}

casync_make() { # once per source and run: the source's chunk store and index, timed
  rm -rf "$work/cas"; mkdir -p "$work/cas"
  local m
  m=$(measure "$work/make" casync make --store="$work/cas/store" "$work/cas/$name.caibx" "$image")
  read -r make_secs _ make_rc <<< "$m"
  [ "$make_rc" = 0 ] || { echo "$0: casync make failed: $(cat "$work/make.err")" >&2; exit 1; }
  make_cpu=$(dest_cpu "$work/make")
}

casync_extract() { # SCENARIO
  rm -rf "$work/copy"; mkdir -p "$work/copy"
  local ref b c m exact=false
  ref=$(local_image_of "$1")
  b=$(link_bytes); c=$(source_cpu_ns)
  m=$(measure "$work/m" ip netns exec "$dst" casync extract --store="http://$ip:8000/store" ${ref:+--seed="$ref"} \
    "http://$ip:8000/$name.caibx" "$work/copy/$name.qcow2")
  read -r secs rss rc <<< "$m"
  [ "$rc" != 0 ] || ! cmp -s "$image" "$work/copy/$name.qcow2" || exact=true
  local total
  total=$(python3 -c "print($make_secs + $secs)")
  emit $(common) method=casync scenario="$1" seconds="$total" exit="$rc" wire_bytes=$(( $(link_bytes) - b )) exact=$exact \
    seed="${ref:-none}" phases="{\"compress\": $make_secs, \"transfer\": $secs}" \
    cpu_seconds="{\"source\": $(python3 -c "print(round($make_cpu + ($(source_cpu_ns) - $c) / 1e9, 2))"), \"destination\": $(dest_cpu "$work/m")}" \
    peak_rss_bytes="{\"destination\": $(( rss * 1024 ))}"
  rm -rf "$work/copy"
}

declare -A lower_bound strong_bound
pull() { # METHOD SCENARIO: vmteleport | vmteleport-teleport | vmteleport-copy
  local method=$1 scenario=$2 force=auto extra=()
  case $method in vmteleport-teleport) force=teleport ;; vmteleport-copy) force=copy ;; esac
  rm -rf "$work/dest" "$work/out"
  if [ "$scenario" = any ]; then mkdir -p "$work/dest"; else index_template "$scenario"; cp -a "$work/index-$scenario" "$work/dest"; fi
  local key="$source $scenario"
  [ "$force" != teleport ] || [ -n "${lower_bound[$key]:-}" ] || extra=(--save-missing "$work/missing.bin")
  local c0 c1 b m
  c0=$(source_cpu_ns)
  rm -f "$work/serve.out"
  on_source "$vmteleport" serve --image "$image" --listen "$ip:8443" --token-file "$work/token" \
    --data-dir "$work/agent" > "$work/serve.out" 2> "$work/serve.err" &
  serve_pid=$!
  for _ in $(seq 3000); do
    grep -q '^ready:' "$work/serve.out" 2>/dev/null && break
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.2
  done
  grep -q '^ready:' "$work/serve.out" || { echo "$0: serve did not get ready: $(cat "$work/serve.err")" >&2; exit 1; }
  b=$(link_bytes)
  m=$(measure "$work/pull" ip netns exec "$dst" "$vmteleport" pull "https://$ip:8443/$name" --token-file "$work/token" \
    --fingerprint "$(awk '/^fingerprint:/ {print $2}' "$work/serve.out")" --output "$work/out/$name.qcow2" \
    --data-dir "$work/dest" --method "$force" --json "${extra[@]}")
  local wire=$(( $(link_bytes) - b ))
  c1=$(source_cpu_ns)
  local hwm
  hwm=$(awk '/^VmHWM/ {print $2 * 1024}' "/proc/$serve_pid/status" 2>/dev/null || echo 0)
  kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null || true; serve_pid=
  rm -rf "$work/agent"
  if [ -f "$work/missing.bin" ]; then
    lower_bound[$key]=$(zstd -q -c -3 --long=27 -T2 "$work/missing.bin" | wc -c)
    strong_bound[$key]=$(zstd -q -c -10 --long=27 -T2 "$work/missing.bin" | wc -c)
    rm -f "$work/missing.bin"
  fi
  read -r secs rss rc <<< "$m"
  python3 - "$method" "$scenario" "$secs" "$rss" "$rc" "$wire" "$work/pull.out" "$work/pull.err" "$work/serve.out" \
    "$(( (c1 - c0) / 10000000 ))e-2" "$(dest_cpu "$work/pull")" "$hwm" "${lower_bound[$key]:-}" "${strong_bound[$key]:-}" $(common) >> "$runs_file" <<'PY'
import json, re, sys
method, scenario, secs, rss, rc, wire, out, err, serve_out, src_cpu, dst_cpu, hwm, lb, strong = sys.argv[1:15]
rec = {k: (int(v) if k == "run" else v) for k, v in (a.split("=", 1) for a in sys.argv[15:])}
describe = float(re.search(r"^ready: .*described in ([0-9.]+) s", open(serve_out).read(), re.M).group(1))
rec.update(method=method, scenario=scenario, seconds=round(describe + float(secs), 3), exit=int(rc), wire_bytes=int(wire),
           cpu_seconds={"source": float(src_cpu), "destination": float(dst_cpu)},
           peak_rss_bytes={"source": int(hwm), "destination": int(rss) * 1024})
if lb:
    rec["lower_bound_bytes"] = int(lb)
    rec["lower_bound_strong_bytes"] = int(strong)
if rc == "0":
    p = json.load(open(out))
    phases = {"describe": describe}
    phases.update({k: v for k, v in p["seconds"].items() if k != "total"})
    rec.update(exact=p.get("exact"), phases=phases, pull_wire_bytes=p.get("wire_bytes"), local_bytes=p.get("local_bytes"),
               guest_bytes=p.get("bytes"))
    if "decision" in p:
        rec["decision"] = p["decision"]
else:
    rec["error"] = open(err).read()[-600:]
print(json.dumps(rec))
PY
  rm -rf "$work/out" "$work/dest"
}

# reuse_anchor METHOD SCENARIO: an anchor given no local image (mirror: packages are no image) is the
# same measurement as with nothing local; its "none" line of this run is repeated, and says so.
reuse_anchor() {
  python3 - "$runs_file" "$1" "$2" "$source" "$rate" "$run" >> "$runs_file" <<'PY'
import json, sys
path, method, scenario, source, rate, run = sys.argv[1:]
rows = [json.loads(l) for l in open(path) if l.strip()]
same = [r for r in rows if (r.get("method"), r.get("scenario"), r.get("source"), r.get("rate"), r.get("run")) == (method, "none", source, rate, int(run))]
if not same:
    sys.exit(f"experiments.sh: no {method} run with scenario none to stand for {scenario}")
r = dict(same[-1], scenario=scenario, note="no local image to use: the measurement of scenario none")
print(json.dumps(r))
PY
}
anchor() { # METHOD SCENARIO
  if [ -z "$(local_image_of "$2")" ] && [ "$2" != none ] && [[ " $scenarios " == *" none "* ]]; then reuse_anchor "$@"; return; fi
  case $1 in zstd-patch) zstd_patch "$2" ;; casync) casync_extract "$2" ;; esac
}

# --- the matrix ---
for source in $sources; do
  image=$(source_image "$source")
  name=$(basename "$image" .qcow2)
  start_source_servers "$image"
  if wants rsync-sparse-raw; then qemu-img convert -f qcow2 -O raw "$image" "$work/raw/$name.raw"; fi
  for rate in $rates; do
    link_shape "$rate"
    for run in $(seq "$runs"); do
      echo "experiments.sh: $source at $rate, run $run of $runs ($(date -u +%T), load $(cut -d' ' -f1 /proc/loadavg))" >&2
      anchors=$([ "$run" -le "$anchor_runs" ] && echo 1 || true)
      if [ -n "$anchors" ] && wants casync; then casync_make; fi
      for scenario in $scenarios; do
        if [ -n "$anchors" ]; then
          ! wants vmteleport-teleport || pull vmteleport-teleport "$scenario"
          ! wants zstd-patch || anchor zstd-patch "$scenario"
          ! wants casync || anchor casync "$scenario"
        fi
        ! wants vmteleport || pull vmteleport "$scenario"
      done
      if [ -n "$anchors" ]; then
        ! wants rsync || plain_copy rsync
        ! wants vmteleport-copy || pull vmteleport-copy any
      fi
      if [ "$run" -le "$raw_runs" ] && wants rsync-sparse-raw; then plain_copy rsync-sparse-raw; fi
    done
  done
  stop_source_servers
done

# --- the report ---
# Each slice of the matrix is listed in the meta line: when, how, the load before and after.
[ -z "$fresh" ] || : > "$results/experiments-slices.txt"
echo "$slice_start to $(date -u +%T): $command_line (load before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg))" >> "$results/experiments-slices.txt"
python3 - "$runs_file" "$results/experiments.jsonl" "$ws" "$sc" "$results/experiments-slices.txt" \
  "$(bench_header | tr '\n' '\t')" "${work}/index-seconds" <<'PY'
import json, os, subprocess, sys
runs, out, ws, sc, slices, header, index_seconds = sys.argv[1:]
def size(p):
    return os.path.getsize(p) if os.path.exists(p) else None
meta = {line.split(": ", 1)[0].lstrip("- "): line.split(": ", 1)[1] for line in header.split("\t") if ": " in line}
meta.update({
    "slices (UTC; load = 1, 5, 15 min averages)": "; ".join(l.strip() for l in open(slices) if l.strip()),
    "webserver.qcow2 bytes": size(f"{ws}/webserver.qcow2"), "big.qcow2 bytes": size(f"{sc}/big.qcow2"),
    "link": "veth between two network namespaces; tc tbf rate 80mbit burst 256kb latency 50ms (10 MB/s) or unshaped; no netem",
    "lower bound": "the content found nowhere at the destination (pull --save-missing) as one zstd -3 --long=27 stream; lower_bound_strong_bytes in the runs: zstd -10 --long=27",
})
if os.path.exists(index_seconds):
    meta["destination index add seconds (not in end to end)"] = open(index_seconds).read().strip().replace("\n", "; ")
with open(out + ".tmp", "w") as f:
    f.write(json.dumps({"meta": meta}) + "\n")
    f.write(open(runs).read())
os.replace(out + ".tmp", out)
PY
"$vmteleport" report "$results/experiments.jsonl" --out "$results" --title "VM Teleport: the report's experiments over a 10 MB/s link"
echo "experiments.sh: $results/report.md"
