using System.Buffers.Binary;

namespace VmTeleport.FileSystems.Ext;

/// <summary>Directories, paths and the walk.</summary>
public sealed partial class Ext4FileSystem
{
    // Bytes of directory blocks read from the source at once when they are contiguous.
    private const int DirectoryReadChunk = 1 << 20;

    public FileSystemEntry GetEntry(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"path '{path}' is not absolute", nameof(path));
        }

        var current = Root;
        var currentPath = "";
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Type != EntryType.Directory)
            {
                throw new FileNotFoundException($"{_vol.Name}: {currentPath} is not a directory", path);
            }

            var dir = ReadInode((uint)current.Inode);
            var match = ReadDirectory(dir, current.Path).FirstOrDefault(e => PosixName.Decode(e.Name) == part);
            if (match.Name is null)
            {
                throw new FileNotFoundException($"{_vol.Name}: no {currentPath}/{part}", path);
            }

            currentPath += "/" + part;
            current = ToEntry(ReadInode(match.Inode), currentPath);
        }

        return current;
    }

    public IEnumerable<FileSystemEntry> ListDirectory(FileSystemEntry directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (directory.Type != EntryType.Directory)
        {
            throw new ArgumentException($"{directory.Path} is not a directory", nameof(directory));
        }

        var dir = ReadInode((uint)directory.Inode);
        var entries = ReadDirectory(dir, directory.Path);
        var prefix = directory.Path.EndsWith('/') ? directory.Path : directory.Path + "/";
        return entries.Select(e => ToEntry(ReadInode(e.Inode), prefix + PosixName.Decode(e.Name)));
    }

    public IEnumerable<FileSystemEntry> Walk()
    {
        // Each directory inode may be entered once: a second visit means a loop (an entry that
        // points back to an ancestor) or a hard-linked directory, both corruption in ext.
        var seen = new HashSet<ulong> { Root.Inode };
        var stack = new Stack<IEnumerator<FileSystemEntry>>();
        yield return Root;
        stack.Push(ListDirectory(Root).GetEnumerator());
        try
        {
            while (stack.Count > 0)
            {
                var it = stack.Peek();
                if (!it.MoveNext())
                {
                    it.Dispose();
                    stack.Pop();
                    continue;
                }

                var entry = it.Current;
                yield return entry;
                if (entry.Type == EntryType.Directory)
                {
                    if (!seen.Add(entry.Inode))
                    {
                        throw new InvalidDataException(
                            $"{_vol.Name}: directory {entry.Path} is inode {entry.Inode}, a directory already walked (directory cycle)");
                    }

                    stack.Push(ListDirectory(entry).GetEnumerator());
                }
            }
        }
        finally
        {
            foreach (var it in stack)
            {
                it.Dispose();
            }
        }
    }

    /// <summary>The entries of a directory except "." and "..", sorted by the bytes of their names.</summary>
    internal List<(byte[] Name, uint Inode)> ReadDirectory(Inode dir, string path)
    {
        if (!dir.IsDirectory)
        {
            throw new InvalidDataException($"{_vol.Name}: {path} (inode {dir.Number}) is not a directory");
        }

        if (dir.HasFlag(Inode.EncryptFlag))
        {
            throw new NotSupportedException($"{_vol.Name}: directory {path} (inode {dir.Number}) is encrypted");
        }

        var list = new List<(byte[] Name, uint Inode)>();
        if (dir.HasFlag(Inode.InlineDataFlag) && (_vol.Sb.FeatureIncompat & ExtFeatures.InlineData) != 0)
        {
            ReadInlineDirectory(dir, list);
        }
        else
        {
            ReadBlockDirectory(dir, list);
        }

        list.Sort((a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        return list;
    }

    private void ReadBlockDirectory(Inode dir, List<(byte[] Name, uint Inode)> list)
    {
        var bs = _vol.BlockSize;
        var blocks = (long)((dir.Size + (ulong)bs - 1) / (ulong)bs);
        if (blocks > 1L << 32)
        {
            throw new InvalidDataException($"{_vol.Name}: directory inode {dir.Number} has absurd size {dir.Size}");
        }

        var mapper = CreateMapper(dir);
        var seed = ExtentTree.InodeSeed(_vol, dir);
        var chunkBlocks = Math.Max(1, DirectoryReadChunk / bs);
        var buffer = new byte[Math.Min(chunkBlocks, Math.Max(blocks, 1)) * bs];
        for (long lb = 0; lb < blocks;)
        {
            var run = mapper.Map(lb, Math.Min(blocks - lb, chunkBlocks));
            if (!run.IsHole)
            {
                var span = buffer.AsSpan(0, (int)(run.Count * bs));
                _vol.Source.ReadAt(run.PhysicalBlock * bs, span);
                for (var i = 0; i < run.Count; i++)
                {
                    ParseDirectoryBlock(dir, lb + i, run.PhysicalBlock + i, span.Slice(i * bs, bs), seed, list);
                }
            }

            lb += run.Count;
        }
    }

    private void ParseDirectoryBlock(Inode dir, long logical, long physical, ReadOnlySpan<byte> block, uint seed, List<(byte[] Name, uint Inode)> list)
    {
        var bs = block.Length;
        string Where() => $"{_vol.Name}: directory inode {dir.Number} block {physical} (logical {logical}, at 0x{physical * bs:x})";

        // htree interior blocks (dx_root in block 0, dx_node: one empty entry spanning the block)
        // hold no names and a dx_tail instead of a dirent tail; a linear read skips them.
        var first = BinaryPrimitives.ReadUInt32LittleEndian(block);
        var firstLen = DirectoryEntry.DecodeRecordLength(BinaryPrimitives.ReadUInt16LittleEndian(block[4..]), bs);
        var isDxNode = dir.HasFlag(Inode.IndexFlag) && logical > 0 && first == 0 && firstLen == bs;
        if (isDxNode)
        {
            return;
        }

        // dx_root: "." and a ".." entry that spans the rest of the block over the htree root,
        // which carries a dx_tail rather than a dirent tail.
        var end = bs;
        var isDxRoot = dir.HasFlag(Inode.IndexFlag) && logical == 0;
        if (!isDxRoot && _vol.Sb.HasMetadataCsum && DirectoryEntry.HasTail(block))
        {
            end = bs - DirectoryEntry.TailSize;
            if (_vol.VerifyChecksums)
            {
                var (stored, computed) = DirectoryEntry.TailChecksums(block, seed);
                if (stored != computed)
                {
                    _vol.ChecksumMismatch($"directory inode {dir.Number} block {physical} (tail at 0x{(physical * bs) + bs - 4:x})", stored, computed);
                }
            }
        }

        ParseEntries(block[..end], bs, Where, list);
    }

    private void ParseEntries(ReadOnlySpan<byte> area, int blockSize, Func<string> where, List<(byte[] Name, uint Inode)> list)
    {
        var fileTypes = (_vol.Sb.FeatureIncompat & ExtFeatures.FileType) != 0;
        for (var offset = 0; offset < area.Length;)
        {
            var e = DirectoryEntry.Parse(area, offset, fileTypes, blockSize, where);
            offset += e.RecordLength;
            if (e.Inode == 0 || e.Name is [(byte)'.'] or [(byte)'.', (byte)'.'])
            {
                continue;
            }

            if (e.Name.Length == 0 || e.Name.AsSpan().IndexOfAny((byte)0, (byte)'/') >= 0)
            {
                throw new InvalidDataException($"{where()}: directory entry before offset {offset} has an empty name or one with '/' or NUL");
            }

            if (e.Inode > _vol.Sb.InodesCount)
            {
                throw new InvalidDataException(
                    $"{where()}: entry '{PosixName.Decode(e.Name)}' points to inode {e.Inode}, beyond s_inodes_count {_vol.Sb.InodesCount}");
            }

            list.Add((e.Name, e.Inode));
        }
    }

    // Inline directories (ext4 disk layout, "Inline Directories"): i_block starts with the parent's
    // inode number, then entries fill the rest of i_block and continue in system.data.
    private void ReadInlineDirectory(Inode dir, List<(byte[] Name, uint Inode)> list)
    {
        var iblock = dir.IBlock;
        var parent = BinaryPrimitives.ReadUInt32LittleEndian(iblock);
        if (parent == 0 || parent > _vol.Sb.InodesCount)
        {
            throw new InvalidDataException($"{_vol.Name}: inline directory inode {dir.Number} names parent inode {parent}, out of range");
        }

        string Where() => $"{_vol.Name}: inline directory inode {dir.Number}";
        ParseEntries(iblock[4..], _vol.BlockSize, Where, list);
        var extra = InlineDataXattr(dir);
        if (extra is { Length: > 0 })
        {
            ParseEntries(extra, _vol.BlockSize, () => $"{Where()} system.data", list);
        }
    }

    /// <summary>lstat's view of an inode.</summary>
    private FileSystemEntry ToEntry(Inode inode, string path)
    {
        var type = inode.FileType switch
        {
            0x8000 => EntryType.File,
            0x4000 => EntryType.Directory,
            0xA000 => EntryType.Symlink,
            0x2000 => EntryType.CharDevice,
            0x6000 => EntryType.BlockDevice,
            0x1000 => EntryType.Fifo,
            0xC000 => EntryType.Socket,
            _ => throw new InvalidDataException($"{_vol.Name}: {path} (inode {inode.Number}) has unknown file type in mode 0{Convert.ToString(inode.Mode, 8)}"),
        };
        if (inode.Size > (ulong)long.MaxValue || (type == EntryType.File && inode.Size > (1UL << 32) * (ulong)_vol.BlockSize))
        {
            throw new InvalidDataException($"{_vol.Name}: {path} (inode {inode.Number}) has absurd size {inode.Size}");
        }

        uint major = 0, minor = 0;
        if (type is EntryType.CharDevice or EntryType.BlockDevice)
        {
            (major, minor) = DecodeDevice(inode.IBlock);
        }

        return new FileSystemEntry
        {
            Path = path,
            Type = type,
            Mode = inode.Mode & 0xFFF,
            Uid = inode.Uid,
            Gid = inode.Gid,
            Size = (long)inode.Size,
            MtimeNs = inode.MtimeNs,
            AtimeNs = inode.AtimeNs,
            CtimeNs = inode.CtimeNs,
            BirthTimeNs = inode.CrtimeNs,
            LinkCount = inode.LinksCount,
            Inode = inode.Number,
            Target = type == EntryType.Symlink ? ReadSymlink(inode, path) : null,
            RdevMajor = major,
            RdevMinor = minor,
            Flags = inode.Flags,
            ExtendedAttributes = ListXattrs(inode, path),
        };
    }

    /// <summary>
    /// ext4_iget for devices: i_block[0] holds the old 16-bit encoding when non-zero, else
    /// i_block[1] the new one (old_decode_dev / new_decode_dev in include/linux/kdev_t.h).
    /// </summary>
    private static (uint Major, uint Minor) DecodeDevice(ReadOnlySpan<byte> iblock)
    {
        var old = BinaryPrimitives.ReadUInt32LittleEndian(iblock);
        if (old != 0)
        {
            return ((old >> 8) & 0xFF, old & 0xFF);
        }

        var dev = BinaryPrimitives.ReadUInt32LittleEndian(iblock[4..]);
        return ((dev & 0xFFF00) >> 8, (dev & 0xFF) | ((dev >> 12) & 0xFFF00));
    }
}
