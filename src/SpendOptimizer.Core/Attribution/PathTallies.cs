using System.Text;

namespace SpendOptimizer.Core.Attribution;

/// <summary>The distinct paths of a path table's rows with their sums, in order of first appearance.</summary>
public sealed class PathTallies
{
    private readonly PathTally _tally;
    private readonly PathTableError? _error;

    internal PathTallies(PathTally tally, PathTableError? error, bool irregular)
    {
        _tally = tally;
        _error = error;
        Irregular = irregular;
    }

    /// <summary>A strict read met something other than plain rows; its sums are incomplete.</summary>
    public bool Irregular { get; }

    public int Count => _tally.Count;

    /// <summary>A distinct path field as it stood in the input (UTF-8), the rows that carried it and their sums.</summary>
    public (ReadOnlyMemory<byte> Path, int Rows, double Conversions, double Value, double Nulls) this[int i]
    {
        get
        {
            ref var e = ref _tally[i];
            return (_tally.KeyMemoryOf(i), e.Rows, e.Conversions, e.Value, e.Nulls);
        }
    }

    /// <summary>
    /// Splits each distinct path into channels ("a > b", spaces and surrounding quotes trimmed) and merges paths that are the
    /// same channels however they were spelt. Throws the input's first problem, named by <paramref name="name"/> and line.
    /// </summary>
    public PathSet ToPathSet(string name)
    {
        var builder = new PathSetBuilder(_tally.Count);
        var ids = new int[64];
        var text = new char[256];
        for (var i = 0; i < _tally.Count; i++)
        {
            ref var e = ref _tally[i];
            if (_error is not null && e.FirstLine > _error.Line) break;
            var bytes = _tally.KeyOf(i);
            if (text.Length < bytes.Length) text = new char[bytes.Length * 2];
            var path = text.AsSpan(0, Encoding.UTF8.GetChars(bytes, text)).Trim().Trim('"');
            var count = 0;
            foreach (var part in path.Split('>'))
            {
                var channel = path[part].Trim();
                if (channel.IsEmpty) throw Problem(name, PathTableError.First(_error, new PathTableError(e.FirstLine, PathTableError.PathRank, "empty channel in path"))!);
                if (count == ids.Length) Array.Resize(ref ids, count * 2);
                ids[count++] = builder.Channel(channel);
            }
            builder.Add(ids.AsSpan(0, count), e.Conversions, e.Value, e.Nulls);
        }
        if (_error is not null) throw Problem(name, _error);
        return builder.Build();
    }

    private static PathTableException Problem(string name, PathTableError error) => new($"{name} line {error.Line}: {error.Reason}");
}
