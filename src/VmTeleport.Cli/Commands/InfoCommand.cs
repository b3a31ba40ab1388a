using System.CommandLine;
using VmTeleport.Disks;
using VmTeleport.FileSystems;

namespace VmTeleport.Cli.Commands;

/// <summary>`vmteleport info IMAGE[@SNAP]`: size, allocation, partition table and the filesystems found.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var image = CommonOptions.Image();
        var command = new Command("info", "Show a disk image's size, allocated bytes, partitions and the filesystems on them.") { image };
        command.SetAction(r => CommandRunner.Run(() => Run(r.GetValue(image)!)));
        return command;
    }

    private static int Run(string image)
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

        Console.WriteLine($"image:      {disk.Description}");
        Console.WriteLine($"size:       {Size.Format(disk.Length)} ({disk.Length} bytes)");
        Console.WriteLine($"allocated:  {Size.Format(data)} data, {Size.Format(zero)} zero clusters");
        var table = PartitionTable.Read(disk);
        Console.WriteLine($"partitions: {table.Scheme.ToString().ToLowerInvariant()}");
        if (table.Scheme == PartitionScheme.None)
        {
            Console.WriteLine($"  whole disk: {FileSystemProbe.Detect(disk) ?? "unknown"}");
            return ExitCodes.Success;
        }

        foreach (var p in table.Partitions)
        {
            string type = p.TypeGuid is Guid g ? g.ToString() : $"0x{p.MbrType:x2}";
            string flags = (p.Bootable ? " boot" : string.Empty) + (p.IsLogical ? " logical" : string.Empty);
            string name = string.IsNullOrEmpty(p.Name) ? string.Empty : $" \"{p.Name}\"";
            Console.WriteLine(
                $"  {p.Number,2}: {Size.Format(p.Length),10} at {Size.Format(p.Offset),10}  type {type}{name}{flags}  {PartitionList.FileSystemName(disk, p)}");
        }

        return ExitCodes.Success;
    }
}
