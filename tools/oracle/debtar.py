#!/usr/bin/env python3
"""Lists a tar stream (stdin) the way DebArchive reports data.tar entries, one line per entry:

    TYPE MODE(octal) UID GID SIZE MTIME SHA256|- PATH[ -> LINK]

The oracle for tests/VmTeleport.Content.Tests/Debs: feed it `dpkg-deb --fsys-tarfile X.deb`.
Paths are normalized as installed ("./usr/bin/ls" -> "/usr/bin/ls", "./" -> "/"); hard link
targets likewise; symlink targets as stored. Python's tarfile, not .NET's, reads the tar.
"""
import hashlib
import sys
import tarfile

TYPES = {
    tarfile.REGTYPE: "RegularFile", tarfile.AREGTYPE: "RegularFile", tarfile.CONTTYPE: "RegularFile",
    tarfile.DIRTYPE: "Directory", tarfile.SYMTYPE: "SymbolicLink", tarfile.LNKTYPE: "HardLink",
    tarfile.CHRTYPE: "CharacterDevice", tarfile.BLKTYPE: "BlockDevice", tarfile.FIFOTYPE: "Fifo",
}


def normalize(name):
    return "/" + "/".join(p for p in name.split("/") if p not in ("", "."))


def main():
    out = sys.stdout
    with tarfile.open(fileobj=sys.stdin.buffer, mode="r|") as tar:
        for m in tar:
            kind = TYPES[m.type]
            digest = "-"
            size = 0
            if kind == "RegularFile":
                digest = hashlib.sha256(tar.extractfile(m).read()).hexdigest()
                size = m.size
            line = f"{kind} {m.mode:o} {m.uid} {m.gid} {size} {int(m.mtime)} {digest} {normalize(m.name)}"
            if kind == "SymbolicLink":
                line += " -> " + m.linkname
            elif kind == "HardLink":
                line += " -> " + normalize(m.linkname)
            out.write(line + "\n")


if __name__ == "__main__":
    main()
