using System.Security.Cryptography;
using System.Text.Json.Nodes;
using VmTeleport.FileSystems;
using VmTeleport.Rebuild.Staging;
using VmTeleport.TestSupport;

namespace VmTeleport.Rebuild.Tests;

/// <summary>
/// Files staged by several workers must give the tree one thread gives, field for field in the
/// kernel's view (tools/oracle/walk.py): content, owners, modes with setuid, xattrs (a
/// security.capability that a later write would remove), file and directory times, hard links.
/// </summary>
public sealed class StagingTreeParallelTests : IDisposable
{
    private const long Time = 1_700_000_000_123_456_789;

    // `setcap cap_net_raw+ep`: vfs_cap_data revision 2, effective, CAP_NET_RAW permitted.
    private static readonly byte[] Capability = [1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly string _dir = Directory.CreateTempSubdirectory("vmt-stage-par-").FullName;

    [Fact]
    public void Four_workers_stage_the_same_tree_as_one()
    {
        var serial = Stage("serial", threads: 1);
        var parallel = Stage("parallel", threads: 4);

        Assert.Equal(serial, parallel);
        Assert.Contains(parallel, l => l.Contains("\"path\":\"/d3/setuid\"", StringComparison.Ordinal)
            && l.Contains("\"mode\":2541", StringComparison.Ordinal) && l.Contains("security.capability", StringComparison.Ordinal));
        Assert.Equal(80, parallel.Count(l => l.Contains("\"type\":\"file\"", StringComparison.Ordinal) && l.Contains("\"nlink\":2", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_content_failure_on_a_worker_is_thrown_by_the_tree()
    {
        var root = Path.Combine(_dir, "failing");
        Directory.CreateDirectory(root);
        using var tree = new StagingTree(root, threads: 3);
        var thrown = Assert.Throws<IOException>(() =>
        {
            tree.Add(Entry("/", EntryType.Directory));
            for (int i = 0; i < 200; i++)
            {
                int n = i;
                tree.Add(Entry($"/f{n}", EntryType.File, 10), sink =>
                {
                    if (n == 17)
                    {
                        throw new IOException("chunk 17 is missing");
                    }

                    sink.Write(0, new byte[10]);
                });
            }

            tree.Complete();
        });
        Assert.Equal("chunk 17 is missing", thrown.Message);
    }

    /// <summary>20 directories of 20 files (sizes 0 to ~300 KiB, some sparse), 40 hard links across directories, a setuid file with a capability, a user xattr, a symlink and a fifo.</summary>
    private List<string> Stage(string name, int threads)
    {
        var root = Path.Combine(_dir, name);
        Directory.CreateDirectory(root);
        using (var tree = new StagingTree(root, threads))
        {
            tree.Add(Entry("/", EntryType.Directory));
            for (int d = 0; d < 20; d++)
            {
                tree.Add(Entry($"/d{d}", EntryType.Directory, uid: (uint)d, mtime: Time + d));
            }

            for (int d = 0; d < 20; d++)
            {
                for (int f = 0; f < 20; f++)
                {
                    int size = ((d * 20) + f) * 751 % 300_000;
                    var bytes = Content(d, f, size);
                    bool sparse = f % 5 == 0;
                    tree.Add(Entry($"/d{d}/f{f}", EntryType.File, size, mode: 0x100 | (f * 9 % 0x1FF), uid: 1000, gid: (uint)f, mtime: Time - (d * 1_000_003L) - f),
                        sink =>
                        {
                            for (int at = 0; at < size; at += 65536)
                            {
                                if (!sparse || at / 65536 % 2 == 1)
                                {
                                    sink.Write(at, bytes.AsSpan(at, Math.Min(65536, size - at)));
                                }
                            }
                        });
                }
            }

            tree.Add(Entry("/d3/setuid", EntryType.File, 4, mode: 0x9ED, xattr: new("security.capability", Capability)), s => s.Write(0, "ping"u8));
            tree.Add(Entry("/d4/user-xattr", EntryType.File, 3, xattr: new("user.origin", "guest"u8.ToArray())), s => s.Write(0, "abc"u8));
            tree.Add(Entry("/d5/link", EntryType.Symlink, target: "../d3/setuid"));
            tree.Add(Entry("/d6/fifo", EntryType.Fifo));
            for (int i = 0; i < 40; i++)
            {
                tree.Add(Entry($"/d{(i + 7) % 20}/l{i}", EntryType.File), linkOf: $"/d{i % 20}/f{i / 2}");
            }

            tree.Complete();
        }

        return Normalized(root);
    }

    /// <summary>walk.py's lines with each inode number replaced by the first path that has it, so hard links compare across trees.</summary>
    private static List<string> Normalized(string root)
    {
        var result = ExternalCommand.Run("python3", [RepoRoot.Combine("tools", "oracle", "walk.py"), root]);
        Assert.True(result.ExitCode == 0, result.StdErr);
        var first = new Dictionary<long, string>();
        var lines = new List<string>();
        foreach (var line in result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var node = JsonNode.Parse(line)!.AsObject();
            long inode = node["inode"]!.GetValue<long>();
            node["inode"] = first.TryAdd(inode, node["path"]!.GetValue<string>()) ? node["path"]!.GetValue<string>() : first[inode];
            lines.Add(node.ToJsonString());
        }

        return lines;
    }

    private static byte[] Content(int d, int f, int size)
    {
        var bytes = new byte[size];
        var seed = SHA256.HashData(BitConverter.GetBytes((d * 100) + f));
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)(seed[i % 32] + (i / 32));
        }

        return bytes;
    }

    private static FileSystemEntry Entry(string path, EntryType type, long size = 0, int? mode = null, uint uid = 0, uint gid = 0,
        long mtime = Time, string? target = null, ExtendedAttribute? xattr = null) => new()
    {
        Path = path, Type = type, Mode = mode ?? (type == EntryType.Directory ? 0x1ED : 0x1A4), Uid = uid, Gid = gid, Size = size,
        MtimeNs = mtime, AtimeNs = Time, LinkCount = 1, Inode = 1, Target = target, ExtendedAttributes = xattr is null ? [] : [xattr],
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
