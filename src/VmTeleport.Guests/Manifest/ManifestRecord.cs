using System.Text;
using VmTeleport.FileSystems;
using VmTeleport.Guests.Classes;

namespace VmTeleport.Guests.Manifest;

/// <summary>
/// One line of the manifest (docs/manifest-format.md): the entry's `tree --jsonl` line with two
/// more keys at the end, <c>class</c> and <c>package</c>, so that every tool that reads tree lines
/// reads manifest lines too and the two compare field by field.
/// </summary>
public static class ManifestRecord
{
    public static string ToJsonLine(FileSystemEntry entry, string? sha256Hex, ClassifiedEntry classified)
    {
        var tree = TreeRecord.ToJsonLine(entry, sha256Hex);
        var sb = new StringBuilder(tree.Length + 48);
        sb.Append(tree, 0, tree.Length - 1);
        sb.Append(",\"class\":\"").Append(classified.Class.Name()).Append("\",\"package\":");
        if (classified.Package is null)
        {
            sb.Append("null");
        }
        else
        {
            TreeRecord.AppendString(sb, classified.Package);
        }

        return sb.Append('}').ToString();
    }
}
