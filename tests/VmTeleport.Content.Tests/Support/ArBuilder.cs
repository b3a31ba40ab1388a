using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace VmTeleport.Content.Tests.Support;

/// <summary>Hand-builds .deb files byte by byte, so hostile tests can break exactly one thing.</summary>
internal static class ArBuilder
{
    public static byte[] Ar(params (string Name, byte[] Data)[] members)
    {
        var ms = new MemoryStream();
        ms.Write("!<arch>\n"u8);
        foreach (var (name, data) in members)
        {
            ms.Write(Header(name, data.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            ms.Write(data);
            if (data.Length % 2 == 1)
            {
                ms.WriteByte((byte)'\n');
            }
        }

        return ms.ToArray();
    }

    public static byte[] Header(string name, string size) =>
        Encoding.ASCII.GetBytes($"{name,-16}{"0",-12}{"0",-6}{"0",-6}{"100644",-8}{size,-10}`\n");

    public static byte[] Tar(params (string Name, string Content)[] files)
    {
        var ms = new MemoryStream();
        using (var writer = new TarWriter(ms, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                var entry = new GnuTarEntry(name.EndsWith('/') ? TarEntryType.Directory : TarEntryType.RegularFile, name);
                if (!name.EndsWith('/'))
                {
                    entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
                }

                writer.WriteEntry(entry);
            }
        }

        return ms.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return ms.ToArray();
    }

    public static byte[] DebianBinary => "2.0\n"u8.ToArray();

    public static byte[] Control => Tar(("./", ""), ("./control", "Package: hostile\nVersion: 1\nArchitecture: all\nDescription: x\n"));

    /// <summary>A well-formed minimal package with <paramref name="data"/> as its data.tar.</summary>
    public static byte[] Deb(byte[] data, string dataName = "data.tar") =>
        Ar(("debian-binary", DebianBinary), ("control.tar", Control), (dataName, data));
}
