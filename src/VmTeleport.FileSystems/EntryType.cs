namespace VmTeleport.FileSystems;

/// <summary>The kind of a filesystem entry, as in the S_IFMT bits of its mode.</summary>
public enum EntryType
{
    File,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}
