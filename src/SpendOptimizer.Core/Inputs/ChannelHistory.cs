namespace SpendOptimizer.Core.Inputs;

/// <summary>
/// A channel's weekly series as the later stages read them: spend, attributed conversions (from the performance
/// table, or re-split by an attribution run's channel shares), revenue and new customers.
/// </summary>
public sealed record ChannelHistory(
    string Channel, DateOnly[] Weeks, double[] Spend, double[] Attributed, double[] Revenue, double[] NewCustomers)
{
    /// <summary>
    /// Mean weekly spend over the last four weeks: the recent level a lift test's spend is compared with, and where a fitted
    /// curve marks "today". Plans are measured from today's plan instead (the request's current, else the last complete week).
    /// </summary>
    public double CurrentSpend => Spend.Length == 0 ? 0 : Spend[^Math.Min(4, Spend.Length)..].Average();

    public double RevenuePerConversion => Attributed.Sum() is > 0 and var c ? Revenue.Sum() / c : 0;

    public double NewCustomersPerConversion => Attributed.Sum() is > 0 and var c ? NewCustomers.Sum() / c : 0;

    /// <summary>Attributed conversions over [from, to] (weeks starting in it).</summary>
    public double AttributedBetween(DateOnly from, DateOnly to) =>
        Weeks.Select((w, i) => (w, i)).Where(x => x.w >= from.AddDays(-6) && x.w <= to).Sum(x => Attributed[x.i]);

    /// <param name="shares">Channel shares of an attribution run; when given, each week's total conversions are split by them.</param>
    public static IReadOnlyList<ChannelHistory> Build(IReadOnlyList<WeeklyPerformance> rows, IReadOnlyDictionary<string, double>? shares = null)
    {
        var weeks = rows.Select(r => r.Week).Distinct().Order().ToArray();
        var totals = rows.GroupBy(r => r.Week).ToDictionary(g => g.Key, g => g.Sum(r => r.Conversions));
        return rows.GroupBy(r => r.Channel).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var byWeek = g.ToDictionary(r => r.Week);
            double Of(DateOnly w, Func<WeeklyPerformance, double> f) => byWeek.TryGetValue(w, out var r) ? f(r) : 0;
            var attributed = shares is null
                ? weeks.Select(w => Of(w, r => r.Conversions)).ToArray()
                : weeks.Select(w => totals[w] * shares.GetValueOrDefault(g.Key)).ToArray();
            return new ChannelHistory(g.Key, weeks, weeks.Select(w => Of(w, r => r.Spend)).ToArray(), attributed,
                weeks.Select(w => Of(w, r => r.Revenue)).ToArray(), weeks.Select(w => Of(w, r => r.NewCustomers)).ToArray());
        }).ToList();
    }
}
