using System.Buffers.Binary;

namespace VmTeleport.Guests.Os;

/// <summary>
/// The architecture an ELF binary is built for, from its header (System V ABI, "ELF header":
/// e_ident[EI_CLASS] at 4, e_ident[EI_DATA] at 5, e_machine at 18).
/// </summary>
public static class ElfMachine
{
    /// <summary>The header bytes needed.</summary>
    public const int HeaderLength = 20;

    /// <summary>The uname -m style name, or null when <paramref name="header"/> is not an ELF header.</summary>
    public static string? Name(ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength || !header[..4].SequenceEqual("\u007FELF"u8))
        {
            return null;
        }

        bool is64 = header[4] == 2;
        bool little = header[5] == 1;
        ushort machine = little
            ? BinaryPrimitives.ReadUInt16LittleEndian(header[18..])
            : BinaryPrimitives.ReadUInt16BigEndian(header[18..]);
        return machine switch
        {
            3 => "i386",
            8 => is64 ? "mips64" : "mips",
            20 => "ppc",
            21 => little ? "ppc64le" : "ppc64",
            22 => "s390x",
            40 => "arm",
            62 => "x86_64",
            183 => "aarch64",
            243 => is64 ? "riscv64" : "riscv32",
            258 => "loongarch64",
            _ => $"elf-machine-{machine}",
        };
    }
}
