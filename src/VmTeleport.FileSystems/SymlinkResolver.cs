namespace VmTeleport.FileSystems;

/// <summary>
/// Follows symlinks inside one filesystem the way the kernel's path walk does (absolute targets
/// start at this filesystem's root), for commands such as `cat` that act on what a path names.
/// </summary>
public static class SymlinkResolver
{
    /// <summary>Linux's limit on symlinks followed in one lookup (MAXSYMLINKS).</summary>
    public const int MaxSymlinks = 40;

    /// <summary>The entry <paramref name="path"/> finally names, every symlink on the way followed.</summary>
    public static FileSystemEntry Resolve(IFileSystem fs, string path)
    {
        ArgumentNullException.ThrowIfNull(fs);
        var pending = new Stack<string>(Split(path).Reverse());
        var resolved = new List<string>();
        int followed = 0;
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            resolved.Add(name);
            var entry = fs.GetEntry(Join(resolved));
            if (entry.Type == EntryType.Symlink)
            {
                if (++followed > MaxSymlinks)
                {
                    throw new IOException($"{path}: too many levels of symbolic links (more than {MaxSymlinks})");
                }

                resolved.RemoveAt(resolved.Count - 1);
                string target = entry.Target ?? string.Empty;
                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var part in Split(target).Reverse())
                {
                    pending.Push(part);
                }
            }
            else if (pending.Count > 0 && entry.Type != EntryType.Directory)
            {
                throw new IOException($"{path}: {Join(resolved)} is not a directory");
            }
        }

        return fs.GetEntry(Join(resolved));
    }

    private static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Join(List<string> parts) => "/" + string.Join('/', parts);
}
