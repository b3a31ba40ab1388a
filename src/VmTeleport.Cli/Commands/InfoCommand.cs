using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using VmTeleport.Disks;

namespace VmTeleport.Cli.Commands;

/// <summary>`vmteleport info IMAGE[@SNAP] [--json]`: size, allocation, partition table and the filesystems found.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var image = CommonOptions.Image();
        var json = new Option<bool>("--json") { Description = "Print one JSON object (snake_case fields) instead of a table." };
        var command = new Command("info", "Show a disk image's size, allocated bytes, partitions and the filesystems on them.") { image, json };
        command.SetAction(r => CommandRunner.Run(() => Run(r.GetValue(image)!, r.GetValue(json))));
        return command;
    }

    private static int Run(string image, bool json)
    {
        using var disk = DiskImage.Open(image);
        long data = 0, zero = 0;
        foreach (var e in disk.GetExtents(0, disk.Length))
        {
            if (e.Kind == ExtentKind.Data)
            {
                data += e.Length;
            }
            else if (e.Kind == ExtentKind.Zero)
            {
                zero += e.Length;
            }
        }

        var table = PartitionTable.Read(disk);
        var snapshots = DiskImage.ListSnapshots(DiskImage.SplitSpec(image).Path);
        if (json)
        {
            var description = Describe(disk, data, zero, table);
            description["snapshots"] = new JsonArray([.. snapshots.Select(s => (JsonNode)new JsonObject
            {
                ["id"] = s.Id,
                ["name"] = s.Name,
                ["virtual_size"] = s.VirtualSize,
                ["date"] = s.Date.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            })]);
            Console.WriteLine(description.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        }

        Console.WriteLine($"image:      {disk.Description}");
        Console.WriteLine($"size:       {Size.Format(disk.Length)} ({disk.Length} bytes)");
        Console.WriteLine($"allocated:  {Size.Format(data)} data, {Size.Format(zero)} zero clusters");
        foreach (var s in snapshots)
        {
            Console.WriteLine($"snapshot:   {s.Id} {s.Name} ({s.Date:yyyy-MM-dd HH:mm:ss}{(s.VirtualSize is long v ? ", " + Size.Format(v) : string.Empty)})");
        }

        Console.WriteLine($"partitions: {table.Scheme.ToString().ToLowerInvariant()}");
        if (table.Scheme == PartitionScheme.None)
        {
            Console.WriteLine($"filesystem: {PartitionList.FileSystemName(disk)}");
            return ExitCodes.Success;
        }

        var grid = new Table().Border(TableBorder.Simple)
            .AddColumns("#", "start", "size", "type", "name", "flags", "filesystem");
        foreach (var p in table.Partitions)
        {
            grid.AddRow(
                p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Size.Format(p.Offset),
                Size.Format(p.Length),
                p.TypeGuid is Guid g ? g.ToString() : $"0x{p.MbrType:x2}",
                Markup.Escape(p.Name ?? string.Empty),
                string.Join(' ', Flags(p)),
                PartitionList.FileSystemName(disk, p));
        }

        // A pipe or file has no width: keep GUIDs and names on one line instead of wrapping at 80.
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 250;
        }

        console.Write(grid);
        return ExitCodes.Success;
    }

    private static IEnumerable<string> Flags(Partition p)
    {
        if (p.Bootable)
        {
            yield return "boot";
        }

        if (p.IsLogical)
        {
            yield return "logical";
        }

        if (p.Attributes != 0)
        {
            yield return $"attrs=0x{p.Attributes:x}";
        }
    }

    private static JsonObject Describe(IBlockSource disk, long data, long zero, PartitionTable table)
    {
        var partitions = new JsonArray();
        foreach (var p in table.Partitions)
        {
            partitions.Add(new JsonObject
            {
                ["number"] = p.Number,
                ["offset"] = p.Offset,
                ["size"] = p.Length,
                ["mbr_type"] = p.MbrType,
                ["type_guid"] = p.TypeGuid?.ToString(),
                ["partition_guid"] = p.PartitionGuid?.ToString(),
                ["name"] = p.Name,
                ["attributes"] = p.Attributes,
                ["bootable"] = p.Bootable,
                ["logical"] = p.IsLogical,
                ["filesystem"] = PartitionList.FileSystemName(disk, p),
            });
        }

        return new JsonObject
        {
            ["image"] = disk.Description,
            ["virtual_size"] = disk.Length,
            ["data_bytes"] = data,
            ["zero_bytes"] = zero,
            ["partition_table"] = table.Scheme.ToString().ToLowerInvariant(),
            ["disk_guid"] = table.DiskGuid?.ToString(),
            ["mbr_signature"] = table.MbrSignature,
            ["filesystem"] = table.Scheme == PartitionScheme.None ? PartitionList.FileSystemName(disk) : null,
            ["partitions"] = partitions,
        };
    }
}
