namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Reads the rows of a path table (after its header) in parallel: the input is cut into one chunk per core at line
/// starts, each chunk sums its distinct paths by their bytes, and the chunks' sums are merged in input order.
/// </summary>
public static class PathTableReader
{
    /// <summary>Inputs smaller than this are read by one thread: starting more would cost more than it saves.</summary>
    private const long ChunkMinimum = 4 << 20;

    /// <summary>A whole path file (header and rows) as distinct paths; problems throw <see cref="PathTableException"/> naming <paramref name="name"/>.</summary>
    public static PathSet ReadPathSet(ByteSource source, long length, string name) =>
        ReadPathSet(source, length, name, (int)Math.Clamp(length / ChunkMinimum, 1, Environment.ProcessorCount), 1 << 20);

    internal static PathSet ReadPathSet(ByteSource source, long length, string name, int count, int buffer)
    {
        var header = PathTableHeader.Read(source, length);
        if (header.OtherEncoding) throw new PathTableException($"{name} is UTF-16 or UTF-32 text (it starts with such a byte order mark); save it as UTF-8");
        if (header.Text is null) throw new PathTableException($"{name} is empty");
        return Read(source, header.DataStart, length, PathColumns.FromHeader(header.Text, name), null, count, buffer).ToPathSet(name);
    }

    /// <param name="plain">Only plain rows are taken: anything else stops the read as <see cref="PathTallies.Irregular"/>.</param>
    public static PathTallies Read(ByteSource source, long dataStart, long length, PathColumns columns, PlainRows? plain = null) =>
        Read(source, dataStart, length, columns, plain, (int)Math.Clamp((length - dataStart) / ChunkMinimum, 1, Environment.ProcessorCount), 1 << 20);

    /// <param name="count">Chunks to cut the rows into.</param>
    /// <param name="buffer">Each chunk's first read size; it grows for longer lines.</param>
    internal static PathTallies Read(ByteSource source, long dataStart, long length, PathColumns columns, PlainRows? plain, int count, int buffer)
    {
        var bounds = new long[count + 1];
        bounds[0] = dataStart;
        bounds[count] = length;
        for (var i = 1; i < count; i++)
            bounds[i] = NextLineStart(source, Math.Max(bounds[i - 1], dataStart + (length - dataStart) * i / count), length);
        var chunks = new PathChunk[count];
        Parallel.For(0, count, i =>
        {
            chunks[i] = new PathChunk(columns, plain, buffer);
            chunks[i].Run(source, bounds[i], bounds[i + 1]);
        });

        // Line numbers: the header is line 1, and each chunk's lines follow the lines of the chunks before it.
        var tally = chunks[0].Tally;
        var firstLine = 2L;
        tally.Shift(firstLine);
        PathTableError? error = null;
        var irregular = false;
        for (var i = 0; i < count; i++)
        {
            if (i > 0) tally.Merge(chunks[i].Tally, firstLine);
            error = PathTableError.First(error, chunks[i].Error?.At(firstLine));
            irregular |= chunks[i].Irregular;
            firstLine += chunks[i].Lines;
        }
        return new PathTallies(tally, error, irregular);
    }

    /// <summary>The offset just past the first LF at or after <paramref name="from"/>: a line start whatever the line ends are.</summary>
    private static long NextLineStart(ByteSource source, long from, long length)
    {
        var buffer = new byte[1 << 16];
        for (var at = from; at < length;)
        {
            var n = source(at, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - at)));
            if (n == 0) break;
            var lf = buffer.AsSpan(0, n).IndexOf((byte)'\n');
            if (lf >= 0) return at + lf + 1;
            at += n;
        }
        return length;
    }
}
