using System.Buffers.Binary;
using System.Text;

namespace VmTeleport.Disks.Qcow2;

/// <summary>
/// The header extensions that follow the fixed header in the first cluster (spec "Header
/// extensions"): 4-byte type, 4-byte length, data padded to 8 bytes, ended by type 0.
/// Only the ones a reader needs are kept; the rest (bitmaps, crypto header) are skipped.
/// </summary>
internal sealed class Qcow2HeaderExtensions
{
    private const uint EndOfArea = 0x00000000;
    private const uint BackingFormat = 0xe2792aca;
    private const uint FeatureNameTable = 0x6803f857;
    private const uint ExternalDataFile = 0x44415441;

    public string? BackingFormatName { get; private init; }

    public string? ExternalDataFileName { get; private init; }

    /// <summary>Names of incompatible feature bits, so an unknown bit can be reported by name.</summary>
    public IReadOnlyDictionary<int, string> IncompatibleFeatureNames { get; private init; } = new Dictionary<int, string>();

    public static Qcow2HeaderExtensions Parse(ReadOnlySpan<byte> headerCluster, int start, string file)
    {
        string? backingFormat = null;
        string? dataFile = null;
        var names = new Dictionary<int, string>();
        int pos = start;
        while (pos + 8 <= headerCluster.Length)
        {
            uint type = BinaryPrimitives.ReadUInt32BigEndian(headerCluster[pos..]);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(headerCluster[(pos + 4)..]);
            if (type == EndOfArea)
            {
                break;
            }

            if (length > (uint)(headerCluster.Length - pos - 8))
            {
                throw new InvalidDataException(
                    $"{file}: qcow2 header extension 0x{type:x8} at 0x{pos:x} runs past the header cluster (length 0x{length:x})");
            }

            var data = headerCluster.Slice(pos + 8, (int)length);
            switch (type)
            {
                case BackingFormat:
                    backingFormat = Encoding.ASCII.GetString(data).TrimEnd('\0');
                    break;
                case ExternalDataFile:
                    dataFile = Encoding.UTF8.GetString(data).TrimEnd('\0');
                    break;
                case FeatureNameTable:
                    // 48-byte entries: type (0 incompatible), bit number, 46-byte name.
                    for (int i = 0; i + 48 <= data.Length; i += 48)
                    {
                        if (data[i] == 0)
                        {
                            names[data[i + 1]] = Encoding.ASCII.GetString(data.Slice(i + 2, 46)).TrimEnd('\0');
                        }
                    }

                    break;
            }

            pos += 8 + (int)((length + 7) & ~7u);
        }

        return new Qcow2HeaderExtensions
        {
            BackingFormatName = backingFormat,
            ExternalDataFileName = dataFile,
            IncompatibleFeatureNames = names,
        };
    }
}
