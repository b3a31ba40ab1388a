#!/usr/bin/env bash
# fuzz.sh TARGET [SECONDS] — coverage-guided fuzzing of one target (qcow2, partitions, ext4, guest-text, guest)
# with AFL++ and SharpFuzz, seeded from tools/fixtures/fuzz.sh. Prints AFL's execution count and
# findings; crashes and hangs land in artifacts/fuzz/TARGET/default/{crashes,hangs}. Replay one
# with: dotnet artifacts/fuzz/TARGET/bin/VmTeleport.Fuzz.dll TARGET FILE
# A finding worth keeping goes into tests/VmTeleport.Fuzz/corpus/TARGET/ once fixed, where the
# unit tests replay it on every run.
set -euo pipefail
target=${1:?usage: fuzz.sh TARGET [SECONDS]}
seconds=${2:-300}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

command -v afl-fuzz >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v sharpfuzz >/dev/null || dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0 >/dev/null

seeds=$(tools/fixtures/ensure.sh fuzz)/$target
[ -d "$seeds" ] || { echo "fuzz.sh: no seeds for target $target" >&2; exit 2; }
# Each target gets its own instrumented copy, so campaigns can run side by side.
out=artifacts/fuzz/$target
bin=$out/bin
rm -rf "$bin"
dotnet build tests/VmTeleport.Fuzz -c Release -o "$bin" --nologo -v quiet >/dev/null
# Instrument only our parsers: coverage of the framework would drown the signal.
for dll in VmTeleport.Disks.dll VmTeleport.FileSystems.dll VmTeleport.Guests.dll; do
  sharpfuzz "$bin/$dll" >/dev/null
done

rm -rf "$out/default"
mkdir -p "$out"
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1
timeout --signal=INT $((seconds + 60)) afl-fuzz -V "$seconds" -t 10000 -m none -i "$seeds" -o "$out" \
  -- dotnet "$bin/VmTeleport.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || true
stats="$out/default/fuzzer_stats"
[ -f "$stats" ] || { echo "fuzz.sh: AFL did not start; see $out/afl.log" >&2; tail -20 "$out/afl.log" >&2; exit 1; }
execs=$(awk -F': *' '$1 ~ /execs_done/ {print $2}' "$stats")
crashes=$(find "$out/default/crashes" -type f -name 'id:*' | wc -l)
hangs=$(find "$out/default/hangs" -type f -name 'id:*' | wc -l)
paths=$(awk -F': *' '$1 ~ /corpus_count/ {print $2}' "$stats")
echo "$target: $execs executions in $seconds s, corpus $paths, crashes $crashes, hangs $hangs"
