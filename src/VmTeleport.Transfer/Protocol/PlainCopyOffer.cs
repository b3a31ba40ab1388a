namespace VmTeleport.Transfer.Protocol;

/// <summary>
/// What the agent says about a plain copy of a VM's image file (headers of the description
/// response, docs/protocol.md): the file's size, its estimated size in zstd level 1, its format,
/// and why a plain copy is impossible (null when it is possible).
/// </summary>
public sealed record PlainCopyOffer(long FileBytes, long EstimatedZstdBytes, string Format, string? Refusal)
{
    public bool Possible => Refusal is null;
}
