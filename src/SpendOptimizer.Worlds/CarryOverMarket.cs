namespace SpendOptimizer.Worlds;

/// <summary>
/// <see cref="CarryOverWorld"/>s over a <see cref="MarketWorld"/>: its true curves (over adstock), carry-over θ, economics and
/// per-channel limits (<see cref="ScoreRules"/>), today's plan as the first week's start, and the true adstock its two years of
/// spend leave behind. Demand in the planned weeks is an average week's (no season, no noise): the path is judged on the
/// curves, not on next quarter's weather.
/// </summary>
public static class CarryOverMarket
{
    /// <summary>
    /// The world over <paramref name="channels"/> (null: all of them), each week's budget today's total of those channels
    /// ± <paramref name="budgetTolerance"/>.
    /// </summary>
    public static CarryOverWorld Of(MarketWorld world, int horizonWeeks, double budgetTolerance, IReadOnlyList<string>? channels = null, ScoreRules? rules = null)
    {
        rules ??= new ScoreRules();
        var problem = rules.Problem(world.TrueLines());
        var names = channels ?? world.Channels.Select(c => c.Name).ToList();
        var spend = TrueSpend(world);
        var list = names.Select(name =>
        {
            var (truth, line) = (world.Channel(name), problem.Lines.Single(l => l.Name == name));
            var history = spend[name];
            var adstock = history[0] / (1 - truth.Theta);
            foreach (var s in history) adstock = s + truth.Theta * adstock;
            return new CarryOverChannel(name, truth.CurrentWeeklySpend, truth.Curve.At, truth.Theta, adstock, problem.Worth(line),
                problem.SpendPerConversionLimit(line));
        }).ToList();
        var today = list.Sum(c => c.CurrentSpend);
        return new CarryOverWorld(list, horizonWeeks, today * (1 - budgetTolerance), today * (1 + budgetTolerance), rules.BandMin, rules.BandMax);
    }

    /// <summary>
    /// A small world of at most <paramref name="count"/> channels: those whose today's plan, kept, meets the per-channel limits
    /// in truth every week of the horizon (so keeping today's plan is a feasible path), the ones with the most carry-over first.
    /// </summary>
    public static CarryOverWorld Small(MarketWorld world, int count, int horizonWeeks, double budgetTolerance, ScoreRules? rules = null)
    {
        var all = Of(world, horizonWeeks, budgetTolerance, null, rules);
        var keep = all.KeepToday();
        var chosen = all.Channels
            .Where((c, i) => CarryOverWorld.Adstock(c, keep[i]).All(a => CarryOverWorld.WithinLimits(c, c.CurrentSpend, a)))
            .OrderByDescending(c => c.Theta).Take(count).Select(c => c.Name).ToHashSet();
        return Of(world, horizonWeeks, budgetTolerance, all.Channels.Select(c => c.Name).Where(chosen.Contains).ToList(), rules);
    }

    /// <summary>
    /// Each channel's weekly spend over the history, week 0 the world's first. A paused week is a row at 0; a week with no row
    /// (the advertiser ran but did not report it) is taken at the mean of its nearest reported weeks either side.
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> TrueSpend(MarketWorld world)
    {
        var weeks = world.Performance.Max(r => (r.Date.DayNumber - world.FirstWeek.DayNumber) / 7) + 1;
        return world.Channels.ToDictionary(c => c.Name, c =>
        {
            var known = new double?[weeks];
            foreach (var r in world.Performance.Where(r => r.Channel == c.Name)) known[(r.Date.DayNumber - world.FirstWeek.DayNumber) / 7] = r.Spend;
            return Enumerable.Range(0, weeks).Select(t =>
            {
                if (known[t] is { } s) return s;
                var before = Enumerable.Range(0, t).Reverse().Select(u => known[u]).FirstOrDefault(x => x is not null);
                var after = Enumerable.Range(t + 1, weeks - t - 1).Select(u => known[u]).FirstOrDefault(x => x is not null);
                return ((before ?? after ?? c.CurrentWeeklySpend) + (after ?? before ?? c.CurrentWeeklySpend)) / 2;
            }).ToArray();
        });
    }
}
