namespace VmTeleport.Cli;

/// <summary>
/// Where VM Teleport keeps its state (the content index): --data-dir, else $VMTELEPORT_DATA_DIR,
/// else /var/lib/vmteleport for root and $XDG_DATA_HOME/vmteleport (~/.local/share/vmteleport) for others.
/// </summary>
public static class DataDirectory
{
    public const string Variable = "VMTELEPORT_DATA_DIR";

    public static string Resolve(string? option)
    {
        if (!string.IsNullOrEmpty(option))
        {
            return option;
        }

        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        if (Environment.IsPrivilegedProcess)
        {
            return "/var/lib/vmteleport";
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".local", "share") : xdg, "vmteleport");
    }
}
