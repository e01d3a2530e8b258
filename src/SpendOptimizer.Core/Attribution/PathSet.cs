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

    /// <summary>The same paths with consecutive repeated channels merged (a > a > b becomes a > b): Markov's <c>channels</c> collapse rule.</summary>
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
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _channelLookup;
    private readonly List<string> _channels = [];
    private readonly Dictionary<int[], int> _index;
    private readonly Dictionary<int[], int>.AlternateLookup<ReadOnlySpan<int>> _pathLookup;
    private readonly List<int[]> _paths;
    private readonly List<double> _conversions;
    private readonly List<double> _values;
    private readonly List<double> _nulls;
    private int[] _scratch = new int[16];

    public PathSetBuilder() : this(0) { }

    /// <param name="capacity">The distinct paths expected, when known: room made once, not by doubling.</param>
    public PathSetBuilder(int capacity)
    {
        _index = new Dictionary<int[], int>(capacity, PathComparer.Instance);
        _paths = new List<int[]>(capacity);
        _conversions = new List<double>(capacity);
        _values = new List<double>(capacity);
        _nulls = new List<double>(capacity);
        _channelLookup = _channelIds.GetAlternateLookup<ReadOnlySpan<char>>();
        _pathLookup = _index.GetAlternateLookup<ReadOnlySpan<int>>();
    }

    /// <summary>The id of a channel name, interned on first sight; spans avoid a string per touch when reading files.</summary>
    public int Channel(ReadOnlySpan<char> name)
    {
        if (_channelLookup.TryGetValue(name, out var id)) return id;
        id = _channels.Count;
        var text = name.ToString();
        _channelIds[text] = id;
        _channels.Add(text);
        return id;
    }

    public void Add(IReadOnlyList<string> channels, double conversions, double value, double nulls)
    {
        if (_scratch.Length < channels.Count) _scratch = new int[channels.Count * 2];
        for (var i = 0; i < channels.Count; i++) _scratch[i] = Channel(channels[i]);
        Add(_scratch.AsSpan(0, channels.Count), conversions, value, nulls);
    }

    /// <summary>Adds a path of channel ids from <see cref="Channel"/>.</summary>
    public void Add(ReadOnlySpan<int> path, double conversions, double value, double nulls)
    {
        if (path.IsEmpty) throw new ArgumentException("a path needs at least one channel", nameof(path));
        if (_pathLookup.TryGetValue(path, out var at))
        {
            _conversions[at] += conversions;
            _values[at] += value;
            _nulls[at] += nulls;
            return;
        }
        var stored = path.ToArray();
        _index[stored] = _paths.Count;
        _paths.Add(stored);
        _conversions.Add(conversions);
        _values.Add(value);
        _nulls.Add(nulls);
    }

    public PathSet Build() => new(_channels, _paths, _conversions, _values, _nulls);

    private sealed class PathComparer : IEqualityComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
    {
        public static readonly PathComparer Instance = new();
        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(int[] path) => GetHashCode(path.AsSpan());
        public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);
        public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();

        public int GetHashCode(ReadOnlySpan<int> path)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(path));
            return hash.ToHashCode();
        }
    }
}
