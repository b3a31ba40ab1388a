namespace VmTeleport.Content.Debs;

/// <summary>What a data.tar entry is; hard links name another entry of the same package.</summary>
public enum DebEntryType
{
    RegularFile,
    Directory,
    SymbolicLink,
    HardLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
}
