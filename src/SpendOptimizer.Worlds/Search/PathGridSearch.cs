using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Planning;

namespace SpendOptimizer.Worlds.Search;

/// <summary>
/// The true optimal path of a <see cref="CarryOverWorld"/> over a grid of moves, exactly: each week each channel keeps the
/// previous week's spend or moves it by one of the shares down or up. Every channel's own paths (moves^weeks) are listed with
/// their true value, those breaking a per-channel limit in some week dropped (a channel that meets its limit at no move is held at
/// its closest level those weeks, as the planner holds it); then the channels are combined depth first, each
/// channel's paths in falling value, a branch cut when even the best paths of the channels left cannot beat the best path found,
/// or when no paths of the channels left can bring some week's total into the budget range. Cutting only what cannot win
/// keeps it exact: the answer is the best of all combinations.
/// </summary>
public static class PathGridSearch
{
    /// <param name="Spend">[channel][week].</param>
    /// <param name="Combinations">Channel paths tried in the combining step (a measure of the work).</param>
    public sealed record Result(double Value, double[][] Spend, long Combinations);

    /// <summary>Keep, then 1 − share and 1 + share for each share.</summary>
    public static double[] Factors(IReadOnlyList<double> shares) => [1, .. shares.SelectMany(s => new[] { 1 - s, 1 + s })];

    /// <summary>The best path, or null when no combination keeps the budget and the limits.</summary>
    /// <param name="unreachable">Closest (default): a channel that meets its limit at no move of the grid is held at its closest level
    /// that week, by the planner's rule (<see cref="PathHold"/>), until it can; refuse: such a channel has no path.</param>
    public static Result? Best(CarryOverWorld world, IReadOnlyList<double> shares, UnreachableLimits unreachable = UnreachableLimits.Closest)
    {
        var h = world.HorizonWeeks;
        var factors = Factors(shares);
        var paths = world.Channels.Select(c => ChannelPaths(world, c, shares, factors, unreachable)).ToList();
        if (paths.Any(p => p.Count == 0)) return null;
        var n = paths.Count;
        // What the channels from k on can still add: their best value, and their least and most spend each week.
        var bestRest = new double[n + 1];
        var (lowRest, highRest) = (new double[n + 1][], new double[n + 1][]);
        (lowRest[n], highRest[n]) = (new double[h], new double[h]);
        for (var k = n - 1; k >= 0; k--)
        {
            bestRest[k] = bestRest[k + 1] + paths[k][0].Value;
            lowRest[k] = new double[h];
            highRest[k] = new double[h];
            for (var t = 0; t < h; t++)
            {
                lowRest[k][t] = lowRest[k + 1][t] + paths[k].Min(p => p.Spend[t]);
                highRest[k][t] = highRest[k + 1][t] + paths[k].Max(p => p.Spend[t]);
            }
        }
        var (low, high) = (world.BudgetLow * (1 - 1e-12) - 1e-9, world.BudgetHigh * (1 + 1e-12) + 1e-9);
        var best = double.NegativeInfinity;
        var chosen = new int[n];
        int[]? bestChoice = null;
        var used = new double[h];
        long tried = 0;

        void Combine(int k, double value)
        {
            if (k == n)
            {
                if (value > best) (best, bestChoice) = (value, (int[])chosen.Clone());
                return;
            }
            for (var j = 0; j < paths[k].Count; j++)
            {
                var p = paths[k][j];
                if (value + p.Value + bestRest[k + 1] <= best) return; // falling values: no later path of k does better
                tried++;
                var fits = true;
                for (var t = 0; t < h && fits; t++)
                {
                    var s = used[t] + p.Spend[t];
                    fits = s + lowRest[k + 1][t] <= high && s + highRest[k + 1][t] >= low;
                }
                if (!fits) continue;
                for (var t = 0; t < h; t++) used[t] += p.Spend[t];
                chosen[k] = j;
                Combine(k + 1, value + p.Value);
                for (var t = 0; t < h; t++) used[t] -= p.Spend[t];
            }
        }
        Combine(0, 0);
        return bestChoice is null ? null : new Result(best, bestChoice.Select((j, k) => paths[k][j].Spend).ToArray(), tried);
    }

    private sealed record ChannelPath(double[] Spend, double Value);

    /// <summary>
    /// A channel's paths over the grid that keep its limits every week, best first; while it meets them at no move (from today, then
    /// from where the held weeks leave it) it is held at its closest level instead, and from the first week it can it keeps them.
    /// </summary>
    private static List<ChannelPath> ChannelPaths(CarryOverWorld world, CarryOverChannel c, IReadOnlyList<double> shares, double[] factors, UnreachableLimits unreachable)
    {
        var weeks = world.HorizonWeeks;
        var list = new List<ChannelPath>();
        var spend = new double[weeks];
        void Walk(int t, double previous, double adstock, bool free)
        {
            if (t == weeks)
            {
                list.Add(new ChannelPath((double[])spend.Clone(), CarryOverWorld.ChannelValue(c, spend)));
                return;
            }
            if (!free && Held(world, c, previous, adstock, shares, unreachable) is { } held)
            {
                spend[t] = held;
                Walk(t + 1, held, held + c.Theta * adstock, false);
                return;
            }
            foreach (var f in factors)
            {
                var s = previous * f;
                var a = s + c.Theta * adstock;
                if (!CarryOverWorld.WithinLimits(c, s, a)) continue;
                spend[t] = s;
                Walk(t + 1, s, a, true);
                if (previous == 0) break; // from 0 every move is 0
            }
        }
        Walk(0, c.CurrentSpend, c.StartAdstock, false);
        list.Sort((x, y) => y.Value.CompareTo(x.Value));
        return list;
    }

    /// <summary>
    /// The level the planner's rule holds a channel at this week, or null. The channel's limit s ≤ K·response(A) is posed as a
    /// CLV:CAC floor of 1 on a CLV of K per conversion, which reads the same.
    /// </summary>
    private static double? Held(CarryOverWorld world, CarryOverChannel c, double previous, double adstock, IReadOnlyList<double> shares, UnreachableLimits unreachable)
    {
        var line = new AllocationLine(c.Name, previous, c.Response, 1, 0, c.SpendPerConversionLimit, 0);
        var rules = new AllocationProblem([line], BandMin: world.BandMin, BandMax: world.BandMax, MaxPaybackMonths: null, MinClvCac: 1, UnreachableLimits: unreachable);
        return PathHold.Held(PathHold.WeekLine(line, c.Response, c.Theta * adstock, previous), rules, shares)?.Level;
    }
}
