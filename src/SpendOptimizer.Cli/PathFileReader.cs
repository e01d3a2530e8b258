using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Cli;

/// <summary>
/// Reads a ChannelAttribution path file (path,total_conversions,total_conversion_value,total_null; any column
/// order, extra columns ignored) with <see cref="PathTableReader"/>: UTF-8 bytes read at offsets by one thread per core,
/// identical paths summed by their bytes before any channel is split.
/// </summary>
public static class PathFileReader
{
    /// <param name="read">Told the bytes of each read as it completes (from any of the reading threads).</param>
    public static PathSet Read(string file, Action<long>? read = null)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        PathSet paths;
        try
        {
            paths = PathTableReader.ReadPathSet((offset, buffer) =>
            {
                var n = RandomAccess.Read(handle, buffer, offset);
                read?.Invoke(n);
                return n;
            }, RandomAccess.GetLength(handle), file);
        }
        catch (PathTableException e)
        {
            throw new UsageException(e.Message);
        }
        // The per-path sums (large blocks, collected only with the oldest generation) are garbage now: handing their memory
        // back before a model allocates keeps the process's peak to the larger of the two, not their sum.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
        return paths;
    }
}
