using System.Globalization;
using VmTeleport.Transfer.Store;

namespace VmTeleport.Transfer.Tests;

/// <summary>
/// The entry point of this assembly run as a process (the test host never calls it):
/// `dotnet VmTeleport.Transfer.Tests.dll pack-writer ROOT SEED` writes <see cref="ChunkSamples"/>
/// 0, 1, 2, … into a pack store one after another, printing each index once its Write returned,
/// until it is killed. The kill -9 test reads those lines to know what must survive.
/// </summary>
internal static class PackWriterChild
{
    public static int Main(string[] args)
    {
        if (args is not ["pack-writer", var root, var seedText])
        {
            Console.Error.WriteLine("usage: pack-writer ROOT SEED");
            return 2;
        }

        int seed = int.Parse(seedText, CultureInfo.InvariantCulture);
        var store = new PackChunkStore(root, packBytes: 1 << 20);
        Console.Out.WriteLine("open");
        for (int i = 0; ; i++)
        {
            var (id, data) = ChunkSamples.Make(seed, i);
            store.Write(id, data);
            Console.Out.WriteLine(i.ToString(CultureInfo.InvariantCulture));
        }
    }
}
