namespace VmTeleport.Transfer.Client;

/// <summary>The served image changed since its manifest was fetched (409): the manifest must be fetched again.</summary>
public sealed class AgentStateException : IOException
{
    public AgentStateException(string message)
        : base(message)
    {
    }

    public AgentStateException()
    {
    }

    public AgentStateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
