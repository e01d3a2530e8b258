using Microsoft.Win32.SafeHandles;
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
        var length = RandomAccess.GetLength(handle);
        var source = Source(handle);
        var header = PathTableHeader.Read(source, length);
        if (header.OtherEncoding) throw new UsageException($"{file} is UTF-16 or UTF-32 text (it starts with such a byte order mark); save it as UTF-8");
        if (header.Text is null) throw new UsageException($"{file} is empty");
        var columns = header.Text.Split(',').Select(c => c.Trim().Trim('"').ToLowerInvariant()).ToList();
        int Column(string name, bool required)
        {
            var i = columns.IndexOf(name);
            if (i < 0 && required) throw new UsageException($"{file}: missing column '{name}' (have {header.Text})");
            return i;
        }
        var layout = new PathColumns(columns.Count, Column("path", true), Column("total_conversions", true), Column("total_conversion_value", false),
            Column("total_null", false));
        try
        {
            return PathTableReader.Read(source, header.DataStart, length, layout).ToPathSet(file);
        }
        catch (PathTableException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static ByteSource Source(SafeFileHandle handle) => (offset, buffer) => RandomAccess.Read(handle, buffer, offset);
}
