namespace VmTeleport.Guests;

/// <summary>
/// Owned regular files whose content is not what their package shipped (edited conffiles, files
/// changed in place, files no md5 could check): a destination that installs a newer version of
/// the package must still lay these down exactly as the source has them (docs/functional-copy.md).
/// </summary>
public sealed record ModifiedFiles
{
    public const int Listed = 5000;

    public required long Count { get; init; }

    /// <summary>The first <see cref="Listed"/> of them in walk order; when <see cref="Count"/> is larger the list is incomplete.</summary>
    public IReadOnlyList<MissingFile> Paths { get; init; } = [];
}
