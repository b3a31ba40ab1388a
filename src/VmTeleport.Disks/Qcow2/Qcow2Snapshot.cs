using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace VmTeleport.Disks.Qcow2;

/// <summary>
/// One entry of the snapshot table (spec "Snapshots"): its own L1 table and, when recorded in the
/// extra data, its own virtual size. Entries are variable-length and 8-byte aligned.
/// </summary>
internal sealed record Qcow2Snapshot(string Id, string Name, ulong L1TableOffset, uint L1Size, long? VirtualSize, DateTimeOffset Date)
{
    private const int FixedLength = 40;

    /// <summary>Reads all <paramref name="count"/> entries; every length is checked against the file before use.</summary>
    public static IReadOnlyList<Qcow2Snapshot> ReadTable(SafeFileHandle handle, long fileLength, ulong tableOffset, uint count, string file)
    {
        var result = new List<Qcow2Snapshot>((int)Math.Min(count, 1024));
        long pos = (long)tableOffset;
        Span<byte> fixedPart = stackalloc byte[FixedLength];
        for (uint i = 0; i < count; i++)
        {
            if (pos > fileLength - FixedLength)
            {
                throw new InvalidDataException($"{file}: qcow2 snapshot table entry {i} at 0x{pos:x} points past the end of the file (0x{fileLength:x})");
            }

            HostFile.ReadFully(handle, pos, fixedPart);
            ulong l1Offset = BinaryPrimitives.ReadUInt64BigEndian(fixedPart);
            uint l1Size = BinaryPrimitives.ReadUInt32BigEndian(fixedPart[8..]);
            int idSize = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[12..]);
            int nameSize = BinaryPrimitives.ReadUInt16BigEndian(fixedPart[14..]);
            uint dateSec = BinaryPrimitives.ReadUInt32BigEndian(fixedPart[16..]);
            uint extraSize = BinaryPrimitives.ReadUInt32BigEndian(fixedPart[36..]);
            if (extraSize > 1024)
            {
                // qemu's QCOW_MAX_SNAPSHOT_EXTRA_DATA.
                throw new InvalidDataException($"{file}: qcow2 snapshot table entry {i} at 0x{pos:x}: extra_data_size {extraSize} is absurd (max 1024)");
            }

            long variable = extraSize + idSize + nameSize;
            if (pos + FixedLength > fileLength - variable)
            {
                throw new InvalidDataException($"{file}: qcow2 snapshot table entry {i} at 0x{pos:x} runs past the end of the file (0x{fileLength:x})");
            }

            var rest = new byte[variable];
            HostFile.ReadFully(handle, pos + FixedLength, rest);
            long? virtualSize = null;
            if (extraSize >= 16)
            {
                // Extra data bytes 8-15: disk_size, the virtual size when the snapshot was taken.
                virtualSize = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(rest.AsSpan(8)), (ulong)long.MaxValue);
            }

            string id = Encoding.UTF8.GetString(rest, (int)extraSize, idSize);
            string name = Encoding.UTF8.GetString(rest, (int)extraSize + idSize, nameSize);
            result.Add(new Qcow2Snapshot(id, name, l1Offset, l1Size, virtualSize, DateTimeOffset.FromUnixTimeSeconds(dateSec)));
            pos += (FixedLength + variable + 7) & ~7L;
        }

        return result;
    }
}
