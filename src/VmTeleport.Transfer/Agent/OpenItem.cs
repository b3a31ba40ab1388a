namespace VmTeleport.Transfer.Agent;

/// <summary>The file stream a batch is reading from, kept open while consecutive chunks come from the same file.</summary>
internal record struct OpenItem(int Item, Stream? Stream);
