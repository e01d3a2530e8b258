namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// Markov-chain attribution of order k. A state is the last k channels seen (fewer at the start of a path),
/// plus START and the absorbing CONVERSION and NULL. Each path is traversed conversions + nulls times; its last
/// state goes to CONVERSION as often as it converted and to NULL as often as it did not.
///
/// P = probability of absorption in CONVERSION from START, solved exactly (Gauss–Seidel on the sparse absorbing
/// chain to a stated residual, never by simulation). Removing channel c sends every transition into a state
/// containing c to NULL: RE_c = 1 − P₋c / P, and credit_c = conversions × RE_c / Σ RE.
/// Value is credited the same way with V = expected conversion value absorbed per journey: each state's
/// transitions into CONVERSION carry the value of the paths that converted there.
/// Repeated channels are handled as the collapse rule says (<see cref="MarkovCollapse"/>).
/// </summary>
public static class MarkovAttribution
{
    public const int MaxOrder = 4;

    public static AttributionResult Run(PathSet paths, int order = 1, MarkovCollapse collapse = MarkovCollapse.States, double tolerance = 1e-12,
        int maxIterations = 100_000, bool includeTransitions = true, int maxStates = int.MaxValue, CancellationToken ct = default)
    {
        if (order is < 1 or > MaxOrder) throw new ArgumentOutOfRangeException(nameof(order), $"order must be 1 to {MaxOrder}");
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), "tolerance must be positive");
        var data = collapse == MarkovCollapse.Channels ? paths.CollapseRepeats() : paths;
        var chain = AbsorbingChain.Build(data, order, maxStates, ct);

        var p = chain.Solve(chain.ConversionReward, removedChannel: null, tolerance, maxIterations, ct);
        var v = chain.Solve(chain.ValueReward, removedChannel: null, tolerance, maxIterations, ct);
        var iterations = Math.Max(p.Iterations, v.Iterations);
        var residual = Math.Max(p.Residual, v.Residual);

        var channels = data.Channels.Count;
        var re = new double[channels];
        var reValue = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            var without = chain.Solve(chain.ConversionReward, c, tolerance, maxIterations, ct);
            var withoutValue = chain.Solve(chain.ValueReward, c, tolerance, maxIterations, ct);
            re[c] = p.Start > 0 ? Math.Max(0, 1 - without.Start / p.Start) : 0;
            reValue[c] = v.Start > 0 ? Math.Max(0, 1 - withoutValue.Start / v.Start) : 0;
            iterations = Math.Max(iterations, Math.Max(without.Iterations, withoutValue.Iterations));
            residual = Math.Max(residual, Math.Max(without.Residual, withoutValue.Residual));
        }
        var sumRe = re.Sum();
        var sumReValue = reValue.Sum();
        var credits = data.Channels.Select((name, c) => new ChannelCredit(
            name,
            sumRe > 0 ? data.TotalConversions * re[c] / sumRe : 0,
            sumReValue > 0 ? data.TotalValue * reValue[c] / sumReValue : 0,
            re[c], reValue[c])).ToList();

        var diagnostics = new MarkovDiagnostics(order, collapse, chain.StateCount, p.Start, v.Start, iterations, residual, tolerance,
            residual <= tolerance, includeTransitions ? chain.Transitions(data.Channels) : []);
        return new AttributionResult(order == 1 ? "markov" : $"markov_order_{order}", credits, data.TotalConversions, data.TotalValue, diagnostics);
    }
}
