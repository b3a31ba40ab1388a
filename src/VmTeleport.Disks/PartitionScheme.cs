namespace VmTeleport.Disks;

public enum PartitionScheme
{
    /// <summary>No partition table: the whole disk is one filesystem (or nothing we know).</summary>
    None,
    Mbr,
    Gpt,
}
