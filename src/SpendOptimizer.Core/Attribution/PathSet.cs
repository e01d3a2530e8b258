using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Distinct paths with channels interned to small integers: the input of every attribution model.
/// Identical paths are merged (counts added), so models work per distinct path, not per journey.
/// </summary>
public sealed class PathSet
{
    public IReadOnlyList<string> Channels { get; }
    public IReadOnlyList<int[]> Paths { get; }
    public IReadOnlyList<double> Conversions { get; }
    public IReadOnlyList<double> Values { get; }
    public IReadOnlyList<double> Nulls { get; }

    public double TotalConversions { get; }
    public double TotalValue { get; }
    public double TotalNulls { get; }

    internal PathSet(List<string> channels, List<int[]> paths, List<double> conversions, List<double> values, List<double> nulls)
    {
        Channels = channels;
        Paths = paths;
        Conversions = conversions;
        Values = values;
        Nulls = nulls;
        TotalConversions = conversions.Sum();
        TotalValue = values.Sum();
        TotalNulls = nulls.Sum();
    }

    public int Count => Paths.Count;

    public static PathSet From(IEnumerable<PathRecord> records)
    {
        var builder = new PathSetBuilder();
        foreach (var r in records) builder.Add(r.Path.Channels, r.TotalConversions, r.TotalConversionValue, r.TotalNull);
        return builder.Build();
    }

    /// <summary>The same paths with consecutive repeats merged (a > a > b becomes a > b), as ChannelAttribution does by default.</summary>
    public PathSet CollapseRepeats()
    {
        var builder = new PathSetBuilder();
        var buffer = new List<string>();
        for (var p = 0; p < Count; p++)
        {
            buffer.Clear();
            var path = Paths[p];
            for (var i = 0; i < path.Length; i++)
                if (i == 0 || path[i] != path[i - 1]) buffer.Add(Channels[path[i]]);
            builder.Add(buffer, Conversions[p], Values[p], Nulls[p]);
        }
        return builder.Build();
    }
}

/// <summary>Accumulates paths one at a time, merging identical ones; keeps memory to one entry per distinct path.</summary>
public sealed class PathSetBuilder
{
    private readonly Dictionary<string, int> _channelIds = new(StringComparer.Ordinal);
    private readonly List<string> _channels = [];
    private readonly Dictionary<int[], int> _index = new(PathComparer.Instance);
    private readonly List<int[]> _paths = [];
    private readonly List<double> _conversions = [];
    private readonly List<double> _values = [];
    private readonly List<double> _nulls = [];
    private int[] _scratch = new int[16];

    public void Add(IReadOnlyList<string> channels, double conversions, double value, double nulls)
    {
        if (channels.Count == 0) throw new ArgumentException("a path needs at least one channel", nameof(channels));
        if (_scratch.Length < channels.Count) _scratch = new int[channels.Count * 2];
        for (var i = 0; i < channels.Count; i++)
        {
            if (!_channelIds.TryGetValue(channels[i], out var id))
            {
                id = _channels.Count;
                _channelIds[channels[i]] = id;
                _channels.Add(channels[i]);
            }
            _scratch[i] = id;
        }
        var key = _scratch[..channels.Count];
        if (_index.TryGetValue(key, out var at))
        {
            _conversions[at] += conversions;
            _values[at] += value;
            _nulls[at] += nulls;
            return;
        }
        _index[key] = _paths.Count;
        _paths.Add(key);
        _conversions.Add(conversions);
        _values.Add(value);
        _nulls.Add(nulls);
    }

    public PathSet Build() => new(_channels, _paths, _conversions, _values, _nulls);

    private sealed class PathComparer : IEqualityComparer<int[]>
    {
        public static readonly PathComparer Instance = new();
        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(int[] path)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(path.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
