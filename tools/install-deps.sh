#!/usr/bin/env bash
# Installs the system packages VM Teleport's fixtures, oracles and tests use. Idempotent: it asks
# apt only for what is missing, so a warm machine pays nothing.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-img || need+=(qemu-utils)
have mkfs.ext4 || need+=(e2fsprogs)
have debugfs || need+=(e2fsprogs)
have sfdisk || need+=(fdisk)
have sgdisk || need+=(gdisk)
have mmdebstrap || need+=(mmdebstrap)
have dpkg-scanpackages || need+=(dpkg-dev) # indexes the Debian fixture's .debs
have gpg || need+=(gpg) # the outdated fixture's third-party repository key
have gpgv || need+=(gpgv)
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring) # verifies the old .debs
have grub-mkimage || need+=(grub-pc-bin grub2-common)
[ -f /usr/lib/grub/i386-pc/boot.img ] || need+=(grub-pc-bin)
have mkfs.vfat || need+=(dosfstools) # EFI system partitions in the boot tests
[ -f /usr/lib/syslinux/mbr/mbr.bin ] || need+=(syslinux-common) # SYSLINUX boot code in the boot tests
have extlinux || need+=(extlinux)
have setfattr || need+=(attr)
have setfacl || need+=(acl)
have setcap || need+=(libcap2-bin)
have python3 || need+=(python3)
have qemu-storage-daemon || need+=(qemu-system-x86)
have qemu-system-x86_64 || need+=(qemu-system-x86)
have fusermount3 || need+=(fuse3)
have zstd || need+=(zstd)
have rsync || need+=(rsync)
have xz || need+=(xz-utils)
have virsh || need+=(libvirt-clients) # libvirt test driver: the domain XML oracle
have openssl || need+=(openssl)
have flock || need+=(util-linux)
[ -x /usr/bin/time ] || need+=(time) # GNU time -v: peak RSS in bench/
# virt-inspector: the oracle for hostname/distro/version and the speed anchor of `inspect`. Its
# appliance is built by supermin from the host's kernel, which a container may not have.
have virt-inspector || need+=(libguestfs-tools)
ls /boot/vmlinuz-* >/dev/null 2>&1 || need+=(linux-image-amd64)
have casync || need+=(casync) # bench/index-vs-casync.sh
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core) # text in `report`'s charts
have gcc || need+=(gcc) # the webserver fixture's hand-compiled /usr/local program
[ -f /usr/include/stdio.h ] || need+=(libc6-dev)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing ${need[*]}; run as root or install them" >&2
  exit 1
fi

echo "install-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
