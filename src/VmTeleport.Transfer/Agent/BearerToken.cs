using System.Security.Cryptography;
using System.Text;

namespace VmTeleport.Transfer.Agent;

/// <summary>
/// The secret every request must carry as <c>Authorization: Bearer TOKEN</c>. Compared in
/// constant time over SHA-256 digests, so neither the content nor the length leaks through timing.
/// </summary>
public sealed class BearerToken
{
    private readonly byte[] _digest;

    public BearerToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        Value = token;
        _digest = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The token, for the client to send.</summary>
    public string Value { get; }

    /// <summary>
    /// Reads a token file: its content, trimmed. Refused when missing, empty, or when its mode gives
    /// any permission to group or others (like ssh's private keys; <c>chmod 600 FILE</c>).
    /// </summary>
    public static BearerToken FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"token file {path} does not exist", path);
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode open = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & open) != 0)
            {
                throw new UnauthorizedAccessException(
                    $"token file {path} is accessible by group or others (mode {Convert.ToString((int)mode, 8)}); run chmod 600 {path}");
            }
        }

        var token = File.ReadAllText(path).Trim();
        if (token.Length == 0)
        {
            throw new InvalidDataException($"token file {path} is empty");
        }

        return new BearerToken(token);
    }

    /// <summary>Whether an Authorization header value is "Bearer " followed by this token.</summary>
    public bool Matches(string? authorization)
    {
        const string scheme = "Bearer ";
        var given = authorization is not null && authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization[scheme.Length..].Trim()
            : "";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }
}
