namespace VmTeleport.FileSystems.Ext;

/// <summary>File content: block maps, extent trees, inline data and symlink targets.</summary>
public sealed partial class Ext4FileSystem
{
    public Stream OpenRead(FileSystemEntry file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Type != EntryType.File)
        {
            throw new ArgumentException($"{file.Path} is not a regular file", nameof(file));
        }

        var inode = ReadInode((uint)file.Inode);
        if (inode.HasFlag(Inode.EncryptFlag))
        {
            throw new NotSupportedException($"{_vol.Name}: {file.Path} (inode {inode.Number}) is encrypted");
        }

        return OpenContent(inode);
    }

    public IEnumerable<FileRange> GetDataRanges(FileSystemEntry file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Type != EntryType.File)
        {
            throw new ArgumentException($"{file.Path} is not a regular file", nameof(file));
        }

        var inode = ReadInode((uint)file.Inode);
        return DataRanges(inode);
    }

    private IEnumerable<FileRange> DataRanges(Inode inode)
    {
        var size = (long)inode.Size;
        if (size == 0)
        {
            yield break;
        }

        if (IsInline(inode))
        {
            yield return new FileRange(0, InlineContent(inode).Length);
            yield break;
        }

        var bs = _vol.BlockSize;
        var mapper = CreateMapper(inode);
        var blocks = (size + bs - 1) / bs;
        long start = -1, end = -1;
        for (long lb = 0; lb < blocks;)
        {
            var run = mapper.Map(lb, blocks - lb);
            if (!run.IsHole)
            {
                var s = lb * bs;
                var e = Math.Min(size, (lb + run.Count) * bs);
                if (s == end)
                {
                    end = e;
                }
                else
                {
                    if (start >= 0)
                    {
                        yield return new FileRange(start, end - start);
                    }

                    (start, end) = (s, e);
                }
            }

            lb += run.Count;
        }

        if (start >= 0)
        {
            yield return new FileRange(start, end - start);
        }
    }

    private Stream OpenContent(Inode inode)
    {
        if (IsInline(inode))
        {
            return new InlineFileStream(InlineContent(inode), (long)inode.Size);
        }

        return new ExtFileStream(_vol, CreateMapper(inode), (long)inode.Size);
    }

    private bool IsInline(Inode inode) =>
        inode.HasFlag(Inode.InlineDataFlag) && (_vol.Sb.FeatureIncompat & ExtFeatures.InlineData) != 0;

    // Inline data (ext4 disk layout, "Inline Data"): the first 60 bytes in i_block, the rest in
    // the system.data xattr. Past those bytes (a file truncated larger) the kernel reads zeros.
    private byte[] InlineContent(Inode inode)
    {
        var extra = InlineDataXattr(inode) ?? [];
        var length = (int)Math.Min((long)inode.Size, Inode.BlockLength + extra.Length);
        var content = new byte[length];
        var head = Math.Min(length, Inode.BlockLength);
        inode.IBlock[..head].CopyTo(content);
        extra.AsSpan(0, length - head).CopyTo(content.AsSpan(head));
        return content;
    }

    private IBlockMapper CreateMapper(Inode inode)
    {
        if (inode.HasFlag(Inode.ExtentsFlag))
        {
            return new ExtentTree(_vol, inode);
        }

        return new BlockMap(_vol, inode);
    }

    /// <summary>
    /// readlink(2): inline, fast (in i_block) or slow (in a data block). As ext4_inode_is_fast_symlink
    /// decides: fast when the inode owns no blocks besides its xattr block.
    /// </summary>
    private string ReadSymlink(Inode inode, string path)
    {
        if (inode.HasFlag(Inode.EncryptFlag))
        {
            throw new NotSupportedException($"{_vol.Name}: symlink {path} (inode {inode.Number}) is encrypted");
        }

        var size = (long)inode.Size;
        if (size >= _vol.BlockSize || size > 4096)
        {
            throw new InvalidDataException($"{_vol.Name}: symlink {path} (inode {inode.Number}) has size {size}");
        }

        byte[] target;
        var eaBlocks = inode.FileAcl != 0 ? (ulong)(_vol.BlockSize >> 9) : 0;
        if (IsInline(inode))
        {
            target = InlineContent(inode);
        }
        else if (inode.Blocks512 - eaBlocks == 0 && !inode.HasFlag(Inode.EaInodeFlag))
        {
            if (size >= Inode.BlockLength)
            {
                throw new InvalidDataException($"{_vol.Name}: fast symlink {path} (inode {inode.Number}) has size {size}, not below 60");
            }

            target = inode.IBlock[..(int)size].ToArray();
        }
        else
        {
            target = new byte[size];
            using var s = new ExtFileStream(_vol, CreateMapper(inode), size);
            s.ReadExactly(target);
        }

        // readlink copies up to the first NUL, as the kernel's symlink bodies are C strings.
        var nul = Array.IndexOf(target, (byte)0);
        return PosixName.Decode(nul >= 0 ? target.AsSpan(0, nul) : target);
    }
}
