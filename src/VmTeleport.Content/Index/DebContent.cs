using VmTeleport.Content.Debs;
using VmTeleport.Content.Images;

namespace VmTeleport.Content.Index;

/// <summary>
/// What the index keeps of one .deb, read without touching the database so that several packages
/// can be decompressed and hashed at once: its package and every regular file of data.tar (a hard
/// link with its target's content) with SHA-256, MD5 and chunks. Holds no file bytes.
/// </summary>
internal sealed record DebContent(string Package, string Version, string Architecture, IReadOnlyList<(string Path, FileContent Content)> Files)
{
    public static DebContent Read(string path, CancellationToken cancel)
    {
        using var deb = DebArchive.Open(path);
        var control = deb.Control;
        var files = new List<(string, FileContent)>();
        var byPath = new Dictionary<string, FileContent>(StringComparer.Ordinal);
        foreach (var entry in deb.ReadData())
        {
            cancel.ThrowIfCancellationRequested();
            FileContent content;
            if (entry.Type == DebEntryType.RegularFile)
            {
                content = FileContent.Read(entry.Content!, md5: true);
                if (content.Size != entry.Size)
                {
                    throw new InvalidDataException($"{deb.Name}: {deb.DataMember} entry {entry.Path} holds {content.Size} bytes, its header says {entry.Size}");
                }

                byPath[entry.Path] = content;
            }
            else if (entry.Type == DebEntryType.HardLink)
            {
                if (!byPath.TryGetValue(entry.LinkTarget!, out content!))
                {
                    throw new InvalidDataException($"{deb.Name}: {deb.DataMember} hard link {entry.Path} names {entry.LinkTarget}, which is not a regular file before it");
                }
            }
            else
            {
                continue;
            }

            files.Add((entry.Path, content));
        }

        return new DebContent(control.Package, control.Version, control.Architecture, files);
    }
}
