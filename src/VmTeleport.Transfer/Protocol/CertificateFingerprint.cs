using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VmTeleport.Transfer.Protocol;

/// <summary>
/// The SHA-256 of a certificate's DER bytes, written <c>SHA256:</c> + unpadded base64 as ssh
/// writes host key fingerprints. <see cref="Parse"/> also takes 64 hex digits (with or without colons).
/// </summary>
public sealed class CertificateFingerprint : IEquatable<CertificateFingerprint>
{
    private const string Prefix = "SHA256:";
    private readonly byte[] _hash;

    private CertificateFingerprint(byte[] hash) => _hash = hash;

    public static CertificateFingerprint Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new CertificateFingerprint(SHA256.HashData(certificate.RawData));
    }

    public static CertificateFingerprint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var body = text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? text[Prefix.Length..] : text;
        var hex = body.Replace(":", "", StringComparison.Ordinal);
        if (hex.Length == 64 && hex.All(Uri.IsHexDigit))
        {
            return new CertificateFingerprint(Convert.FromHexString(hex));
        }

        var b64 = body.TrimEnd('=');
        try
        {
            var bytes = Convert.FromBase64String(b64 + new string('=', (4 - b64.Length % 4) % 4));
            if (bytes.Length == SHA256.HashSizeInBytes)
            {
                return new CertificateFingerprint(bytes);
            }
        }
        catch (FormatException)
        {
        }

        throw new FormatException($"\"{text}\" is not a certificate fingerprint: expected SHA256: and 43 base64 characters (as `serve` prints) or 64 hex digits");
    }

    public bool Matches(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), _hash);
    }

    public override string ToString() => Prefix + Convert.ToBase64String(_hash).TrimEnd('=');

    public bool Equals(CertificateFingerprint? other) => other is not null && _hash.AsSpan().SequenceEqual(other._hash);

    public override bool Equals(object? obj) => Equals(obj as CertificateFingerprint);

    public override int GetHashCode() => BitConverter.ToInt32(_hash);
}
