namespace VmTeleport.FileSystems;

/// <summary>
/// One extended attribute with its full name ("user.comment", "security.capability",
/// "system.posix_acl_access") and its value exactly as the kernel's getxattr(2) returns it.
/// </summary>
public sealed record ExtendedAttribute(string Name, byte[] Value);
