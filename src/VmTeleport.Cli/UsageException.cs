namespace VmTeleport.Cli;

/// <summary>The request cannot be carried out as asked; the message tells the user what to add or change.</summary>
public sealed class UsageException(string message) : Exception(message);
