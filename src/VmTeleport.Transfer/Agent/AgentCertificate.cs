using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VmTeleport.Transfer.Agent;

/// <summary>
/// The agent's TLS identity: a self-signed ECDSA P-256 certificate made on first use and kept as
/// <c>DATA_DIR/agent.pfx</c> (mode 0600), so its fingerprint stays the same from run to run and
/// clients can pin it as ssh pins host keys. Nobody signs it: trust comes only from the pin.
/// </summary>
public static class AgentCertificate
{
    public const string FileName = "agent.pfx";

    public static X509Certificate2 LoadOrCreate(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode)0b000_111_111) != 0)
            {
                throw new UnauthorizedAccessException($"certificate key file {path} is accessible by group or others; run chmod 600 {path}");
            }

            try
            {
                return X509CertificateLoader.LoadPkcs12FromFile(path, password: null);
            }
            catch (CryptographicException e)
            {
                throw new InvalidDataException($"certificate file {path} is not a readable PKCS#12 file ({e.Message}); move it away to make a new one (clients must then pin the new fingerprint)", e);
            }
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=vmteleport agent {Environment.MachineName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        using var made = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        var pfx = made.Export(X509ContentType.Pkcs12);

        // Written beside its name with mode 0600 from the start, then renamed: never readable by others, never half written.
        var tmp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(tmp, options))
        {
            file.Write(pfx);
            file.Flush(flushToDisk: true);
        }

        File.Move(tmp, path, overwrite: false);
        return X509CertificateLoader.LoadPkcs12(pfx, password: null);
    }
}
