using System.Globalization;
using VmTeleport.Guests;

namespace VmTeleport.Cli.Commands;

/// <summary>The readable form of a description that `inspect` prints without --json.</summary>
public static class DescriptionSummary
{
    public static void Write(TextWriter o, GuestDescription d)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(d);
        var s = d.Source;
        o.WriteLine($"image:        {s.Image}{(s.Snapshot is null ? string.Empty : "@" + s.Snapshot)} ({s.Format}, {Size.Format(s.VirtualSize)} virtual, {Size.Format(s.AllocatedBytes)} allocated)");
        var os = d.Os;
        o.WriteLine($"os:           {os.ProductName ?? os.Type} ({os.Distro ?? "unknown distro"} {os.Version ?? "?"}{(os.Codename is null ? string.Empty : " " + os.Codename)}, {os.Architecture ?? "unknown architecture"})");
        o.WriteLine($"hostname:     {os.Hostname ?? "(none)"}");
        var db = d.PackageDatabase;
        o.WriteLine($"packages:     {(db.Read ? d.Packages.Count.ToString(CultureInfo.InvariantCulture) : "unknown")} ({db.Format ?? "no package database"}{(os.PackageManager is null ? string.Empty : ", " + os.PackageManager)}){(db.Note is null ? string.Empty : ": " + db.Note)}");
        o.WriteLine($"init:         {os.InitSystem ?? "unknown"}");
        foreach (var k in os.Kernels)
        {
            o.WriteLine($"kernel:       {k.Version} ({k.Path}{(k.Initrd is null ? ", no initrd" : ", initrd")}{(k.Modules ? ", modules" : ", no modules")})");
        }

        var boot = d.Bootloader;
        o.WriteLine($"bootloader:   {boot.Kind}{(boot.Firmware is null ? string.Empty : $" ({boot.Firmware})")}{(boot.Version is null ? string.Empty : " " + boot.Version)}" +
            (boot.Pieces.Count == 0 ? string.Empty : ": " + string.Join(", ", boot.Pieces.Select(p => $"{p.Location} {Size.Format(p.Length)} at {Size.Format(p.Offset)}"))));
        if (d.Apt is { } apt)
        {
            o.WriteLine($"apt:          {apt.Sources.Count(s => s.Enabled)} source(s) in {apt.Sources.Select(s => s.File).Distinct().Count()} file(s), {apt.Keyrings.Count} keyring(s)");
        }

        if (d.Hardware is { } hw)
        {
            var mem = hw.MemoryBytes is long m ? Size.Format(m) : "? memory";
            o.WriteLine($"hardware:     {hw.Name}: {hw.Vcpus?.ToString(CultureInfo.InvariantCulture) ?? "?"} vCPU(s), {mem}, {hw.MachineType ?? "?"} ({hw.Firmware.Kind ?? "bios"}), {hw.Disks.Count} disk(s), snapshots: {(hw.Snapshots is null ? "unknown" : hw.Snapshots.Count.ToString(CultureInfo.InvariantCulture))}");
            foreach (var nic in hw.Interfaces)
            {
                o.WriteLine($"  nic         {nic.Model ?? "?"} {nic.Mac ?? "no MAC"} on {nic.Type} {nic.SourceNetwork ?? nic.SourceBridge ?? nic.SourceDevice ?? string.Empty}".TrimEnd());
            }
        }

        o.WriteLine($"partitions:   {d.PartitionTable.Scheme}");
        foreach (var v in d.Filesystems)
        {
            var used = v.Used is long u && v.Size is long sz ? $", {Size.Format(u)} of {Size.Format(sz)} used" : string.Empty;
            o.WriteLine($"  {(v.Partition == 0 ? "disk" : "p" + v.Partition.ToString(CultureInfo.InvariantCulture)),-4} {v.Type,-8} {v.Role,-6} {v.MountPoint ?? "-",-10} {Size.Format(v.Length),10} at {Size.Format(v.Offset)}{(v.Uuid is null ? string.Empty : " UUID=" + v.Uuid)}{(v.Label is null ? string.Empty : " LABEL=" + v.Label)}{used}");
        }

        o.WriteLine();
        o.WriteLine($"{"file class",-18} {"entries",10} {"bytes",12}");
        foreach (var (name, t) in d.FileClasses)
        {
            o.WriteLine($"{name,-18} {t.Count,10:N0} {Size.Format(t.Bytes),12}");
        }

        o.WriteLine();
        o.WriteLine($"{"directory",-18} {"package",12} {"modified",12} {"unowned",12} {"ephemeral",12}");
        foreach (var (dir, byClass) in d.FileClassesByDirectory)
        {
            o.WriteLine($"{dir,-18} {Size.Format(byClass["package"].Bytes),12} {Size.Format(byClass["package-modified"].Bytes),12} {Size.Format(byClass["unowned"].Bytes),12} {Size.Format(byClass["ephemeral"].Bytes),12}");
        }

        if (d.MissingFiles.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"missing:      {d.MissingFiles.Count} file(s) listed by packages are not in the guest, e.g. {d.MissingFiles.Paths[0].Path} ({d.MissingFiles.Paths[0].Package})");
        }

        if (d.Problems.Count > 0)
        {
            o.WriteLine();
            o.WriteLine($"problems ({d.Problems.Count}):");
            foreach (var p in d.Problems)
            {
                o.WriteLine($"  - {p}");
            }
        }
    }
}
