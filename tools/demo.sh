#!/usr/bin/env bash
# The README's first command: a tour of VM Teleport on an embedded default. It builds (once, cached)
# the small fixture disks, then reads a qcow2 disk with an MBR table, a snapshot and ext4 inside,
# read-only and without mounting: its layout, a directory listing, a file and the full tree; then
# describes the guest and plans a teleport to a destination that holds an older copy of it (the
# disk's snapshot, as an image of its own) in a scratch content index. Then it teleports
# the VM on loopback: `serve` on one side, `pull` on the other, and `verify` of the result.
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

# The teleport itself, on loopback: the source agent serves the VM (its hardware from a domain XML),
# and the destination pulls it, taking from the older copy all it can and only the rest over TLS.
# `--method teleport`: left to itself (`auto`), pull would copy this small disk whole, which is
# faster on loopback; its decision line says so either way.
cat > "$scratch/demo.xml" <<'XML'
<domain type='kvm'>
  <name>demo</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/demo.qcow2'/><target dev='vda' bus='virtio'/></disk>
    <interface type='network'><mac address='52:54:00:d3:e0:01'/><source network='default'/><model type='virtio'/></interface>
  </devices>
</domain>
XML
head -c 32 /dev/urandom | base64 > "$scratch/token"
chmod 600 "$scratch/token"
echo
echo "\$ vmteleport serve --image $image --domain-xml $scratch/demo.xml --listen 127.0.0.1:0 --token-file $scratch/token &"
./vmteleport serve --image "$image" --domain-xml "$scratch/demo.xml" --listen 127.0.0.1:0 \
  --token-file "$scratch/token" --data-dir "$scratch/agent" > "$scratch/serve.log" 2>&1 &
serve=$!
trap 'kill $serve 2>/dev/null; wait $serve 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 1 300); do grep -q '^listening: ' "$scratch/serve.log" && break; sleep 0.2; done
cat "$scratch/serve.log"
address=$(sed -n 's/^listening: //p' "$scratch/serve.log")
fingerprint=$(sed -n 's/^fingerprint: //p' "$scratch/serve.log")
[ -n "$address" ] || { echo "demo: serve did not start" >&2; exit 1; }
run pull "$address/demo" --token-file "$scratch/token" --fingerprint "$fingerprint" \
  --output "$scratch/teleported/demo.qcow2" --data-dir "$scratch/index" --method teleport
run verify "$image" "$scratch/teleported/demo.qcow2"
echo
echo "\$ cat $scratch/teleported/demo.xml"
cat "$scratch/teleported/demo.xml"
