#!/usr/bin/env bash
# The README's first command: a tour of VM Teleport on an embedded default. It builds (once, cached)
# the small fixture disks, then reads a qcow2 disk with an MBR table, a snapshot and ext4 inside,
# read-only and without mounting: its layout, a directory listing, a file and the full tree; then
# describes the guest and plans a teleport to a destination that holds an older copy of it (the
# disk's snapshot, as an image of its own) in a scratch content index.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
tools/install-deps.sh
dir=$(tools/fixtures/ensure.sh demo)
image="$dir/demo.qcow2"
run() { echo; echo "\$ vmteleport $*"; ./vmteleport "$@"; }
run info "$image"
run ls "$image" /
run cat "$image" /etc/hostname
run cat "$image" /var/www/html/index.html
run cat "$image@before-edit" /var/www/html/index.html
run tree "$image" --jsonl | head -n 5
echo "... ($(./vmteleport tree "$image" --jsonl --no-hash | wc -l) entries in all)"
run inspect "$image"

scratch=$(mktemp -d "${TMPDIR:-/tmp}/vmteleport-demo.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
# The destination: an older copy of the same VM (the snapshot, as its own image) and an index.
qemu-img convert -O qcow2 -l snapshot.name=before-edit "$image" "$scratch/older-copy.qcow2"
run index add --data-dir "$scratch/index" "$scratch/older-copy.qcow2"
run candidates "$image" --data-dir "$scratch/index"
run plan "$image" --data-dir "$scratch/index" --bandwidth 10MB/s
