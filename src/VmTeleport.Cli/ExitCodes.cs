namespace VmTeleport.Cli;

/// <summary>The process exit codes, documented in docs/cli.md; scripts rely on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Anything not covered below.</summary>
    public const int Failure = 1;

    /// <summary>Wrong arguments, or an ambiguous request (several filesystems and no --partition).</summary>
    public const int Usage = 2;

    /// <summary>The image, snapshot, partition or path does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>The input is corrupt: an image, table or filesystem structure failed a check.</summary>
    public const int InvalidData = 4;

    /// <summary>The input uses a feature VM Teleport does not support (encryption, external data files, ...).</summary>
    public const int NotSupported = 5;

    /// <summary>The operating system reported an I/O error or refused access.</summary>
    public const int IoError = 6;
}
