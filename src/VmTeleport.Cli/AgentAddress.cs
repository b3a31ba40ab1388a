using VmTeleport.Transfer.Agent;
using VmTeleport.Transfer.Client;
using VmTeleport.Transfer.Protocol;

namespace VmTeleport.Cli;

/// <summary>
/// What `fetch` and `pull` are told about the source agent: https://HOST:PORT[/NAME], the token
/// file and the pinned fingerprint, checked before anything is sent.
/// </summary>
public sealed record AgentAddress(Uri Uri, string? Vm, BearerToken Token, CertificateFingerprint Fingerprint)
{
    public static AgentAddress Parse(string url, string tokenFile, string fingerprint)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException($"\"{url}\" is not https://HOST:PORT[/NAME]");
        }

        CertificateFingerprint pinned;
        try
        {
            pinned = CertificateFingerprint.Parse(fingerprint);
        }
        catch (FormatException e)
        {
            throw new UsageException("--fingerprint: " + e.Message);
        }

        var name = uri.AbsolutePath.Trim('/');
        return new AgentAddress(uri, name.Length == 0 ? null : name, BearerToken.FromFile(tokenFile), pinned);
    }

    public AgentClient Connect(AgentClientOptions options) => new(Uri, Token.Value, Fingerprint, options);

    /// <summary>The VM named in the address, else the agent's only VM.</summary>
    public string ResolveVm(AgentClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Vm is not null)
        {
            return Vm;
        }

        var vms = client.ListAsync().GetAwaiter().GetResult();
        return vms.Count == 1 ? vms[0].Name
            : throw new UsageException($"the agent serves {vms.Count} VMs ({string.Join(", ", vms.Select(v => v.Name))}): name one as https://HOST:PORT/NAME");
    }
}
