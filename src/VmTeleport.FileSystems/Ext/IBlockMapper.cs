namespace VmTeleport.FileSystems.Ext;

/// <summary>Maps a file's logical blocks to runs on disk (an extent tree or a block map).</summary>
internal interface IBlockMapper
{
    /// <summary>The run that starts at <paramref name="logicalBlock"/> (Count ≥ 1), cut at <paramref name="limit"/> blocks.</summary>
    BlockRun Map(long logicalBlock, long limit);
}
