namespace SpendOptimizer.Worlds;

/// <summary>One channel of a <see cref="CarryOverWorld"/> as it truly is.</summary>
/// <param name="CurrentSpend">Today's plan: what the first planned week moves from.</param>
/// <param name="Response">True weekly incremental conversions at adstock A (an average-demand week).</param>
/// <param name="StartAdstock">The true adstock of the week before the first planned one, from the true spend history.</param>
/// <param name="Worth">What one incremental conversion is worth (CLV × new customers per conversion).</param>
/// <param name="SpendPerConversionLimit">K: a week's spend s is within the per-channel limits when s ≤ K · response(A).</param>
public sealed record CarryOverChannel(
    string Name, double CurrentSpend, Func<double, double> Response, double Theta, double StartAdstock, double Worth, double SpendPerConversionLimit);

/// <summary>
/// A small advertiser with carry-over whose truth is known, for scoring week-by-week paths [channel][week]: adstock
/// A_t = s_t + θ·A_{t−1} from the true start adstock, week t worth Σ worth·response(A_t). What the adstock left at the end still
/// brings is counted as the path planner counts it: the last week's response 1/(1−θ) times
/// (<see cref="SpendOptimizer.Core.Planning.PathCurve.LastWeekWeight"/>), so a path is valued by one convention everywhere.
/// Rules: each week each channel keeps the previous week's spend or moves it by a share in [BandMin, BandMax]; each week's
/// total lies in [BudgetLow, BudgetHigh]; each cell keeps the per-channel limits.
/// </summary>
public sealed record CarryOverWorld(
    IReadOnlyList<CarryOverChannel> Channels, int HorizonWeeks, double BudgetLow, double BudgetHigh, double BandMin = 0.10, double BandMax = 0.20)
{
    /// <summary>Today's plan every week, [channel][week].</summary>
    public double[][] KeepToday() => Channels.Select(c => Enumerable.Repeat(c.CurrentSpend, HorizonWeeks).ToArray()).ToArray();

    /// <summary>A_t from the channel's true start adstock, exactly.</summary>
    public static double[] Adstock(CarryOverChannel c, IReadOnlyList<double> spend)
    {
        var a = new double[spend.Count];
        var previous = c.StartAdstock;
        for (var t = 0; t < spend.Count; t++) previous = a[t] = spend[t] + c.Theta * previous;
        return a;
    }

    /// <summary>A channel's true value of its spend path: Σ worth · w_t · response(A_t), w_t = 1 except 1/(1−θ) in the last week.</summary>
    public static double ChannelValue(CarryOverChannel c, IReadOnlyList<double> spend)
    {
        var a = Adstock(c, spend);
        var total = 0.0;
        for (var t = 0; t < a.Length; t++) total += c.Worth * (t == a.Length - 1 ? 1 / (1 - c.Theta) : 1) * c.Response(a[t]);
        return total;
    }

    /// <summary>The path's true value over the horizon, the spill past it included.</summary>
    public double Value(IReadOnlyList<IReadOnlyList<double>> spend) => Channels.Select((c, i) => ChannelValue(c, spend[i])).Sum();

    /// <summary>Whether a cell keeps the per-channel limits in truth (a week at no spend always does).</summary>
    public static bool WithinLimits(CarryOverChannel c, double spend, double adstock) =>
        spend <= 1e-9 || spend <= c.SpendPerConversionLimit * c.Response(adstock) * (1 + 1e-9);

    /// <summary>How a path [channel][week] does in truth, against the optimum's gain when it is known.</summary>
    public PathScore Score(IReadOnlyList<IReadOnlyList<double>> spend, double? optimumGain = null)
    {
        if (spend.Count != Channels.Count || spend.Any(s => s.Count != HorizonWeeks))
            throw new ArgumentException($"a path needs {HorizonWeeks} weeks for each of {Channels.Count} channels", nameof(spend));
        var (band, limits, budget) = (new List<string>(), new List<string>(), new List<int>());
        for (var i = 0; i < Channels.Count; i++)
        {
            var c = Channels[i];
            var a = Adstock(c, spend[i]);
            for (var t = 0; t < HorizonWeeks; t++)
            {
                var previous = t == 0 ? c.CurrentSpend : spend[i][t - 1];
                var share = previous > 0 ? Math.Abs(spend[i][t] / previous - 1) : spend[i][t] <= 1e-9 ? 0 : double.PositiveInfinity;
                if (share > 1e-6 && (share < BandMin - 1e-6 || share > BandMax + 1e-6)) band.Add($"{c.Name} week {t + 1}");
                if (!WithinLimits(c, spend[i][t], a[t])) limits.Add($"{c.Name} week {t + 1}");
            }
        }
        for (var t = 0; t < HorizonWeeks; t++)
        {
            var total = spend.Sum(s => s[t]);
            if (total < BudgetLow * (1 - 1e-9) - 1e-9 || total > BudgetHigh * (1 + 1e-9) + 1e-9) budget.Add(t + 1);
        }
        var gain = Value(spend) - Value(KeepToday());
        var share0 = optimumGain is not { } best ? double.NaN : best > 0 ? gain / best : gain >= best - 1e-9 * Math.Max(1, Math.Abs(best)) ? 1 : 0;
        return new PathScore(gain, share0, band, budget, limits);
    }
}

/// <summary>A path's true gain over keeping today's plan every week, and the rules it breaks in truth.</summary>
/// <param name="Share">Gain / the optimum's gain when that gains; otherwise 1 if the path does at least as well, else 0 (NaN: no optimum given).</param>
/// <param name="BandBreaks">Cells whose move from the previous week is neither 0 nor within the band.</param>
/// <param name="BudgetBreaks">Weeks (from 1) whose total is outside the weekly budget range.</param>
/// <param name="LimitBreaks">Cells that break a per-channel limit in truth.</param>
public sealed record PathScore(double Gain, double Share, IReadOnlyList<string> BandBreaks, IReadOnlyList<int> BudgetBreaks, IReadOnlyList<string> LimitBreaks)
{
    public bool BreaksNoRule => BandBreaks.Count == 0 && BudgetBreaks.Count == 0 && LimitBreaks.Count == 0;
}
