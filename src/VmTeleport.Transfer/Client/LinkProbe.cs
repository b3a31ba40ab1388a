namespace VmTeleport.Transfer.Client;

/// <summary>One bandwidth probe: bytes read in seconds, and the rate measured after the ignored start.</summary>
public sealed record LinkProbe(long Bytes, double Seconds, double BytesPerSecond);
