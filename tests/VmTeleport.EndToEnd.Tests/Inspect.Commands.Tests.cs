using System.Text.Json;
using VmTeleport.TestSupport;

namespace VmTeleport.EndToEnd.Tests;

/// <summary>`inspect` as a user meets it: the summary, bad input, exit codes, and files it must not leave behind.</summary>
public sealed class InspectCommandsTests
{
    [Fact]
    public void A_disk_with_no_os_is_described_as_far_as_it_goes()
    {
        var image = Fixtures.Path("ext", "ext4.img");
        using var doc = JsonDocument.Parse(Cli.Ok("inspect", image, "--json").StdOut);
        var d = doc.RootElement;
        Assert.Equal("unknown", d.GetProperty("os").GetProperty("type").GetString());
        Assert.Equal("none", d.GetProperty("partition_table").GetProperty("scheme").GetString());
        var fs = Assert.Single(d.GetProperty("filesystems").EnumerateArray());
        Assert.Equal(0, fs.GetProperty("partition").GetInt32());
        Assert.Equal("data", fs.GetProperty("role").GetString());
        var problems = d.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.StartsWith("no root filesystem found", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("no operating system found", StringComparison.Ordinal));
        Assert.False(d.GetProperty("package_database").GetProperty("read").GetBoolean());
        Assert.Empty(d.GetProperty("packages").EnumerateArray());
    }

    [Fact]
    public void A_snapshot_is_described_as_what_it_held()
    {
        var image = Fixtures.Path("demo", "demo.qcow2");
        var dir = Directory.CreateTempSubdirectory("vmt-inspect-").FullName;
        try
        {
            string Index(string spec, string manifest, string? snapshot)
            {
                using var doc = JsonDocument.Parse(Cli.Ok("inspect", spec, "--json", "--manifest", manifest).StdOut);
                Assert.Equal(snapshot, doc.RootElement.GetProperty("source").GetProperty("snapshot").GetString());
                return File.ReadLines(manifest).Single(l => l.StartsWith("{\"path\":\"/var/www/html/index.html\"", StringComparison.Ordinal));
            }

            // The demo's snapshot holds version 1 of the site, the current state version 2.
            var now = Index(image, Path.Combine(dir, "now.jsonl"), null);
            var then = Index(image + "@before-edit", Path.Combine(dir, "then.jsonl"), "before-edit");
            Assert.NotEqual(now, then);
            Assert.Contains("\"class\":\"unowned\",\"package\":null}", then);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void The_summary_names_the_guest_and_its_classes()
    {
        var text = Cli.Ok("inspect", Fixtures.Path("debian", "debian12.qcow2")).Text;
        Assert.Contains("hostname:     vmteleport-debian12", text);
        Assert.Contains("Debian GNU/Linux 12 (bookworm)", text);
        foreach (var cls in new[] { "package ", "package-modified", "unowned", "ephemeral" })
        {
            Assert.Contains("\n" + cls, text);
        }
    }

    [Fact]
    public void Bad_arguments_and_inputs_get_their_exit_codes_and_one_line()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        var missing = Cli.Run("inspect", "/nonexistent/disk.qcow2");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("/nonexistent/disk.qcow2", missing.StdErr);

        var policy = Path.Combine(Path.GetTempPath(), $"vmt-policy-{Guid.NewGuid():N}");
        var manifest = policy + ".jsonl";
        File.WriteAllText(policy, "ephemeral /tmp/**\nremove /var/log/**\n");
        try
        {
            var bad = Cli.Run("inspect", image, "--policy", policy, "--manifest", manifest);
            Assert.Equal(4, bad.ExitCode);
            Assert.Equal($"vmteleport: corrupt input: {policy}:2: expected \"ephemeral PATTERN\" or \"keep PATTERN\", found: remove /var/log/**", bad.StdErr.Trim());
            Assert.False(File.Exists(manifest));
            Assert.False(File.Exists(manifest + ".partial"));
        }
        finally
        {
            File.Delete(policy);
        }

        Assert.Equal(2, Cli.Run("inspect", image, "--threads", "0").ExitCode);
        Assert.Equal(3, Cli.Run("inspect", image + "@nosuchsnapshot").ExitCode);
    }

    [Fact]
    public void A_policy_file_moves_entries_between_classes()
    {
        var image = Fixtures.Path("debian", "debian12.qcow2");
        var policy = Path.Combine(Path.GetTempPath(), $"vmt-policy-{Guid.NewGuid():N}");
        File.WriteAllText(policy, "# boot files are rebuilt at the destination\nephemeral /boot/**\n");
        try
        {
            long Ephemeral(params string[] extra)
            {
                using var doc = JsonDocument.Parse(Cli.Ok(["inspect", image, "--json", .. extra]).StdOut);
                return doc.RootElement.GetProperty("file_classes_by_directory").GetProperty("/boot").GetProperty("ephemeral").GetProperty("count").GetInt64();
            }

            Assert.Equal(0, Ephemeral());
            // initrd, grub.cfg and GRUB's modules are unowned, so the policy makes them ephemeral;
            // the kernel is owned by its package and stays.
            Assert.True(Ephemeral("--policy", policy) > 100);
        }
        finally
        {
            File.Delete(policy);
        }
    }
}
