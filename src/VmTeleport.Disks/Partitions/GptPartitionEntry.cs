using System.Buffers.Binary;
using System.Text;

namespace VmTeleport.Disks.Partitions;

/// <summary>A GPT partition entry (UEFI spec 5.3.3): type GUID, unique GUID, first/last LBA, attributes, 36 UTF-16LE name units.</summary>
internal readonly record struct GptPartitionEntry(Guid TypeGuid, Guid PartitionGuid, long FirstLba, long LastLba, ulong Attributes, string Name)
{
    public bool IsUnused => TypeGuid == Guid.Empty;

    public static GptPartitionEntry Parse(ReadOnlySpan<byte> entry)
    {
        var nameBytes = entry.Slice(56, 72);
        int length = 0;
        while (length < 72 && (nameBytes[length] != 0 || nameBytes[length + 1] != 0))
        {
            length += 2;
        }

        return new GptPartitionEntry(
            new Guid(entry[..16]),
            new Guid(entry.Slice(16, 16)),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[40..]),
            BinaryPrimitives.ReadUInt64LittleEndian(entry[48..]),
            Encoding.Unicode.GetString(nameBytes[..length]));
    }
}
