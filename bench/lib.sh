# Shared by the benchmark scripts in bench/ (sourced, not run).
set -euo pipefail

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The CLI under test: VMTELEPORT (a command) or the repository's ./vmteleport wrapper.
vmteleport=${VMTELEPORT:-$bench_root/vmteleport}

bench_require_root() {
  [ "$(id -u)" = 0 ] || { echo "$0: needs root (loop mounts, drop_caches)" >&2; exit 2; }
}

# Prints the results directory for today, creating it.
bench_results_dir() {
  local dir="$bench_root/bench/results/$(date -u +%F)"
  mkdir -p "$dir"
  echo "$dir"
}

# Empties the page cache, dentries and inodes so that the next run reads from the disk.
drop_caches() {
  sync
  echo 3 > /proc/sys/vm/drop_caches
}

# measure OUT_PREFIX CMD...: runs CMD under GNU time -v with stdout to OUT_PREFIX.out, and prints
# "SECONDS PEAK_RSS_KIB EXIT" (wall time measured around the command, at nanosecond resolution).
# Peak RSS is time's ru_maxrss: for a pipeline run through sh -c it is the largest single process.
measure() {
  local prefix=$1 start end rc=0
  shift
  start=$(date +%s%N)
  /usr/bin/time -v -o "$prefix.time" "$@" > "$prefix.out" 2> "$prefix.err" || rc=$?
  end=$(date +%s%N)
  local rss
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$prefix.time")
  awk -v ns=$(( end - start )) -v rss="${rss:-0}" -v rc=$rc 'BEGIN {printf "%.3f %d %d\n", ns / 1e9, rss, rc}'
}

# median of the numbers on stdin
median() {
  sort -g | awk '{a[NR]=$1} END {if (NR==0) exit 1; if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'
}

# Describes the machine and the code measured (markdown lines).
bench_header() {
  echo "- date: $(date -u +%FT%TZ)"
  echo "- machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1048576 )) GiB RAM, kernel $(uname -r)"
  local cli repo
  cli=$(realpath "$(command -v "$vmteleport")")
  repo=$(git -C "$(dirname "$cli")" rev-parse --show-toplevel 2>/dev/null || true)
  if [ -n "$repo" ]; then
    echo "- vmteleport: $cli at $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)'), .NET SDK $(dotnet --version 2>/dev/null || echo missing)"
  else
    echo "- vmteleport: $cli, .NET SDK $(dotnet --version 2>/dev/null || echo missing)"
  fi
}

# The CLI builds itself on first use; do that before anything is timed.
bench_build_cli() {
  "$vmteleport" --help > /dev/null 2>&1 || { echo "$0: $vmteleport --help failed; is the CLI built?" >&2; "$vmteleport" --help >&2 || true; exit 2; }
}
