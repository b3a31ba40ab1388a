namespace VmTeleport.Content.Index;

/// <summary>What adding a source did.</summary>
public enum AddOutcome
{
    /// <summary>New source, indexed.</summary>
    Added,

    /// <summary>Known source whose fingerprint changed: its old rows replaced.</summary>
    Replaced,

    /// <summary>Known source with the same fingerprint: nothing read.</summary>
    Skipped,

    /// <summary>Reading it failed; nothing of it written (see <see cref="AddResult.Error"/>).</summary>
    Failed,
}
