using SpendOptimizer.Core.Attribution;

namespace SpendOptimizer.Cli;

/// <summary>
/// Reads a ChannelAttribution path file (path,total_conversions,total_conversion_value,total_null; any column
/// order, extra columns ignored) with <see cref="PathTableReader"/>: UTF-8 bytes read at offsets by one thread per core,
/// identical paths summed by their bytes before any channel is split.
/// </summary>
public static class PathFileReader
{
    public static PathSet Read(string file)
    {
        using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        try
        {
            return PathTableReader.ReadPathSet((offset, buffer) => RandomAccess.Read(handle, buffer, offset), RandomAccess.GetLength(handle), file);
        }
        catch (PathTableException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
