namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// The transient part of an absorbing Markov chain built from paths: sparse rows of transition probabilities
/// between states, and per state the probability of stepping into CONVERSION (and the value it brings).
/// State 0 is START. Identical consecutive states of a path are merged (no self-loops), as ChannelAttribution
/// does: a self-loop only delays a journey, so absorption probabilities are those of the chain that keeps them.
/// </summary>
internal sealed class AbsorbingChain
{
    private readonly int[][] _next;
    private readonly double[][] _probability;
    private readonly List<int[]> _stateChannels;

    public double[] ConversionReward { get; }
    public double[] ValueReward { get; }
    private readonly double[] _nullProbability;

    public int StateCount => _next.Length;

    private AbsorbingChain(int[][] next, double[][] probability, double[] conversion, double[] value, double[] nullProbability, List<int[]> stateChannels)
    {
        _next = next;
        _probability = probability;
        ConversionReward = conversion;
        ValueReward = value;
        _nullProbability = nullProbability;
        _stateChannels = stateChannels;
    }

    /// <param name="maxStates">Building stops with <see cref="TooLargeException"/> past this many states, before memory runs out.</param>
    public static AbsorbingChain Build(PathSet data, int order, int maxStates = int.MaxValue, CancellationToken ct = default)
    {
        var ids = new Dictionary<ulong, int> { [0] = 0 };
        var stateChannels = new List<int[]> { Array.Empty<int>() };
        var edges = new List<Dictionary<int, double>> { new() };
        var conversions = new List<double> { 0 };
        var values = new List<double> { 0 };
        var nulls = new List<double> { 0 };
        if (data.Channels.Count >= ushort.MaxValue)
            throw new TooLargeException("model", $"Markov states pack channels in 16 bits: at most {ushort.MaxValue - 1:N0} channels, these paths have {data.Channels.Count:N0}");

        for (var p = 0; p < data.Count; p++)
        {
            if ((p & 0xffff) == 0) ct.ThrowIfCancellationRequested();
            var path = data.Paths[p];
            var weight = data.Conversions[p] + data.Nulls[p];
            if (weight <= 0) continue;
            var previous = 0;
            for (var i = 0; i < path.Length; i++)
            {
                var start = Math.Max(0, i + 1 - order);
                var key = Key(path, start, i + 1);
                if (!ids.TryGetValue(key, out var state))
                {
                    if (stateChannels.Count > maxStates)
                        throw new TooLargeException("order", $"an order-{order} chain over these paths has more than {maxStates:N0} states; lower the order, collapse repeated channels (collapse_repeats: channels) or narrow the window");
                    state = stateChannels.Count;
                    ids[key] = state;
                    stateChannels.Add(path[start..(i + 1)]);
                    edges.Add(new Dictionary<int, double>());
                    conversions.Add(0);
                    values.Add(0);
                    nulls.Add(0);
                }
                if (state != previous) edges[previous][state] = edges[previous].GetValueOrDefault(state) + weight;
                previous = state;
            }
            conversions[previous] += data.Conversions[p];
            values[previous] += data.Values[p];
            nulls[previous] += data.Nulls[p];
        }

        var n = stateChannels.Count;
        var next = new int[n][];
        var probability = new double[n][];
        var conversion = new double[n];
        var value = new double[n];
        var nullProbability = new double[n];
        for (var s = 0; s < n; s++)
        {
            var outflow = edges[s].Values.Sum() + conversions[s] + nulls[s];
            next[s] = edges[s].Keys.ToArray();
            probability[s] = edges[s].Values.Select(w => outflow > 0 ? w / outflow : 0).ToArray();
            conversion[s] = outflow > 0 ? conversions[s] / outflow : 0;
            value[s] = outflow > 0 ? values[s] / outflow : 0;
            nullProbability[s] = outflow > 0 ? nulls[s] / outflow : 0;
        }
        return new AbsorbingChain(next, probability, conversion, value, nullProbability, stateChannels);
    }

    /// <summary>Up to four channel ids + 1 (16 bits each), packed; ids are never 0, so shorter states keep leading zeros. 0 is START.</summary>
    private static ulong Key(int[] path, int from, int to)
    {
        ulong key = 0;
        for (var i = from; i < to; i++) key = (key << 16) | (ushort)(path[i] + 1);
        return key;
    }

    public readonly record struct Solution(double Start, int Iterations, double Residual);

    /// <summary>
    /// Solves x = reward + Q·x by Gauss–Seidel, sweeping states from last created to first so values flow back to
    /// START quickly. States containing <paramref name="removedChannel"/> are held at 0 (sent to NULL).
    /// </summary>
    public Solution Solve(double[] reward, int? removedChannel, double tolerance, int maxIterations, CancellationToken ct = default)
    {
        var n = StateCount;
        var x = new double[n];
        var removed = new bool[n];
        if (removedChannel is { } c)
            for (var s = 1; s < n; s++) removed[s] = Array.IndexOf(_stateChannels[s], c) >= 0;

        var residual = double.PositiveInfinity;
        var iterations = 0;
        while (iterations < maxIterations)
        {
            ct.ThrowIfCancellationRequested();
            iterations++;
            for (var s = n - 1; s >= 0; s--)
                if (!removed[s]) x[s] = Update(s, reward, x);
            residual = 0;
            for (var s = 0; s < n; s++)
                if (!removed[s]) residual = Math.Max(residual, Math.Abs(Update(s, reward, x) - x[s]));
            if (residual <= tolerance) break;
        }
        return new Solution(x[0], iterations, residual);
    }

    private double Update(int s, double[] reward, double[] x)
    {
        var sum = reward[s];
        var next = _next[s];
        var probability = _probability[s];
        for (var k = 0; k < next.Length; k++) sum += probability[k] * x[next[k]];
        return sum;
    }

    public IReadOnlyList<Transition> Transitions(IReadOnlyList<string> channels)
    {
        string Name(int s) => s == 0 ? "(start)" : string.Join(ChannelPath.Separator, _stateChannels[s].Select(c => channels[c]));
        var list = new List<Transition>();
        for (var s = 0; s < StateCount; s++)
        {
            for (var k = 0; k < _next[s].Length; k++) list.Add(new Transition(Name(s), Name(_next[s][k]), _probability[s][k]));
            if (ConversionReward[s] > 0) list.Add(new Transition(Name(s), "(conversion)", ConversionReward[s]));
            if (_nullProbability[s] > 0) list.Add(new Transition(Name(s), "(null)", _nullProbability[s]));
        }
        return list;
    }
}
