#!/usr/bin/env bash
# The test command: installs what the tests need, then runs every test project and prints one
# closing line "N passed, N failed, N skipped" summed over the projects.
# Fixtures are built on first use and cached in ~/.cache/vmteleport (VMTELEPORT_CACHE).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

tools/install-deps.sh
# Build the fixtures up front so their (one-off) build time is visible apart from the tests.
for kind in demo fuzz ext disks guests debian webserver outdated; do
  [ -f "tools/fixtures/$kind.sh" ] && tools/fixtures/ensure.sh "$kind" >/dev/null
done

dotnet build VmTeleport.slnx -c Release --nologo -v quiet
log=$(mktemp)
status=0
dotnet test VmTeleport.slnx -c Release --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?

# VSTest prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T" line per project.
read -r passed failed skipped < <(sed -n 's/.*Failed: *\([0-9]*\), Passed: *\([0-9]*\), Skipped: *\([0-9]*\).*/\2 \1 \3/p' "$log" |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
