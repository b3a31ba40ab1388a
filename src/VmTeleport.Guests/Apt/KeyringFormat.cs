namespace VmTeleport.Guests.Apt;

/// <summary>Tells an OpenPGP keyring's encoding from its first bytes, as apt-key and gpgv would see it.</summary>
internal static class KeyringFormat
{
    /// <summary>How many leading bytes <see cref="Detect"/> needs at most.</summary>
    public const int PrefixLength = 64;

    public const string Binary = "openpgp-binary";
    public const string Armored = "openpgp-armored";
    public const string Unknown = "unknown";

    /// <summary>
    /// "openpgp-armored" for an ASCII-armored block (RFC 9580 §6.2: "-----BEGIN PGP ..."), after
    /// optional leading whitespace; "openpgp-binary" when the first packet is a public-key packet
    /// (tag 6) in either header format (RFC 9580 §4.2); else "unknown" (a GnuPG keybox, which apt
    /// refuses, lands here too).
    /// </summary>
    public static string Detect(ReadOnlySpan<byte> prefix)
    {
        var text = prefix.TrimStart(" \t\r\n"u8);
        if (text.StartsWith("-----BEGIN PGP "u8))
        {
            return Armored;
        }

        if (prefix.IsEmpty || (prefix[0] & 0x80) == 0)
        {
            return Unknown;
        }

        byte header = prefix[0];
        // New format: bit 6 set, tag in bits 5..0. Old format: tag in bits 5..2, length type in 1..0.
        int tag = (header & 0x40) != 0 ? header & 0x3f : (header >> 2) & 0x0f;
        return tag == 6 ? Binary : Unknown;
    }
}
