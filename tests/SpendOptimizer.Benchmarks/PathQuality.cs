using System.Diagnostics;
using System.Globalization;
using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Incrementality;
using SpendOptimizer.Core.Inputs;
using SpendOptimizer.Core.Planning;
using SpendOptimizer.Core.Response;
using SpendOptimizer.Worlds;
using SpendOptimizer.Worlds.Search;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// Decision quality over time in <see cref="MarketWorld"/>s with carry-over. Curves are fitted the way the service fits them
/// (weekly history, lift-test calibration with the flat prior for untested channels, shared demand index), and two ways of
/// moving spend week by week are scored on the truth (<see cref="CarryOverWorld"/>): the path planner over the horizon, and
/// re-planning one week at a time on the steady-state curves from last week's spend. On a small world (the 3 channels with
/// most carry-over whose kept plan meets the limits, a few weeks) both are held against the true optimal path found by
/// exhaustive search on the grid of moves; on the full world (8 channels, a quarter) against each other.
/// </summary>
public static class PathQuality
{
    /// <summary>The grid of moves: keep, or ±10%, ±15%, ±20% of the previous week's spend.</summary>
    public static readonly double[] Shares = [0.10, 0.15, 0.20];

    /// <summary>The full world's path MIP gets more than the service's 10 s: on a shared, loaded machine 10 s of wall time is a few of CPU.</summary>
    public const double FullTimeLimitSeconds = 30;

    /// <summary>What the service would plan a channel on: its fitted curve, the adstock its loaded spend leaves, its economics.</summary>
    public sealed record FittedChannel(string Channel, HillAdstock Curve, double StartAdstock, double CustomersPerConversion, double RevenuePerConversion,
        double Clv, double MonthlyMargin);

    /// <summary>One world's scores (gains in truth, over keeping today's plan every week).</summary>
    public sealed record Row(int Seed, string SmallChannels, string Thetas, double OptimumGain, double PathGridGain, double PathBandGain, double WeekGain,
        double FullKeep, double FullPathGain, double FullWeekGain, int FullPathLimitBreaks, int FullWeekLimitBreaks, double ThetaError, string Notes, double Seconds,
        double SmallPathBelieved, double SmallWeekBelieved, double FullPathBelieved, double FullWeekBelieved)
    {
        public double PathGridShare => Share(PathGridGain);
        public double PathBandShare => Share(PathBandGain);
        public double WeekShare => Share(WeekGain);
        private double Share(double gain) => OptimumGain > 0 ? gain / OptimumGain : gain >= OptimumGain - 1e-9 ? 1 : 0;
    }

    /// <summary>
    /// The world's curves as the service fits them from its loaded performance and lift tests: weekly history, each channel's
    /// lift-test factor (flat prior where untested, no journeys), the catalogue's priors and the shared demand index; and each
    /// channel's start adstock by the service's rule (the recursion over its loaded weekly spend, fitted θ).
    /// </summary>
    public static IReadOnlyDictionary<string, FittedChannel> Fit(MarketWorld world)
    {
        var weekly = world.Performance.Select(r => new WeeklyPerformance(r.Date, r.Channel, r.Spend, r.Conversions, r.Revenue, r.NewCustomers, 7)).ToList();
        var history = ChannelHistory.Build(weekly);
        var byChannel = history.ToDictionary(h => h.Channel);
        var asOf = history[0].Weeks[^1].AddDays(6);
        var factors = LiftCalibration.Calibrate(history.Select(h => h.Channel), world.LiftTests, asOf, new CalibrationRule(UntestedPrior: UntestedPrior.Flat),
            history.ToDictionary(h => h.Channel, h => h.CurrentSpend),
            (channel, from, to) => byChannel.TryGetValue(channel, out var h) ? h.AttributedBetween(from, to) : null).ToDictionary(f => f.Channel);
        var series = history.Select(h => (h.Spend, Response: h.Attributed.Select(a => a * factors[h.Channel].Mean).ToArray())).ToList();
        var fits = DemandIndex.FitTogether(series, new CurvePriors(), DemandIndex.Rounds).Fits;
        var firstPlanned = asOf.AddDays(1);
        return history.Zip(fits).ToDictionary(x => x.First.Channel, x =>
        {
            var (h, curve) = (x.First, x.Second.Curve);
            var rows = weekly.Where(w => w.Channel == h.Channel).OrderBy(w => w.Week).ToList();
            var adstock = HillAdstock.Adstock(rows.Select(r => r.Spend).ToList(), curve.Theta)[^1];
            // weeks between the channel's last row and the first planned week run at today's plan, as the service takes them
            var today = world.Channel(h.Channel).CurrentWeeklySpend;
            for (var k = 0; k < (firstPlanned.DayNumber - rows[^1].Week.DayNumber) / 7 - 1; k++) adstock = today + curve.Theta * adstock;
            var e = CustomerValue.For(h.Channel, world.Economics)!;
            return new FittedChannel(h.Channel, curve, adstock, h.NewCustomersPerConversion, h.RevenuePerConversion, CustomerValue.Clv(e), e.ArpaMonthly * e.GrossMargin);
        });
    }

    /// <summary>A week's allocation rules on the fitted steady-state curves, each line at <paramref name="spend"/>, the truth's budget range and band.</summary>
    public static AllocationProblem Rules(CarryOverWorld truth, IReadOnlyDictionary<string, FittedChannel> fitted, IReadOnlyList<double> spend, ScoreRules rules)
    {
        var lines = truth.Channels.Select((c, i) =>
        {
            var f = fitted[c.Name];
            return new AllocationLine(c.Name, spend[i], f.Curve.SteadyState, f.CustomersPerConversion, f.RevenuePerConversion, f.Clv, f.MonthlyMargin);
        }).ToList();
        var budget = (truth.BudgetLow + truth.BudgetHigh) / 2;
        return new AllocationProblem(lines, budget, BudgetMode.Within, (truth.BudgetHigh - budget) / budget, truth.BandMin, truth.BandMax,
            rules.MaxPaybackMonths, rules.MinClvCac, LimitScope.PerChannel, Objective.Clv);
    }

    /// <summary>
    /// The path planner's path [channel][week] on the fitted curves (grid moves when <paramref name="shares"/> is given), and what
    /// it took. The planner refuses a path when some line can meet its per-line limits at no move (the single-week allocator holds
    /// such a line at its closest level instead); then, as a user would, the request is sent again with the lines that cannot meet
    /// them in the first week locked at today's spend. Null when that is refused too.
    /// </summary>
    public static (double[][]? Spend, string Status) Path(CarryOverWorld truth, IReadOnlyDictionary<string, FittedChannel> fitted, IReadOnlyList<double>? shares,
        ScoreRules rules, double timeLimitSeconds = 10)
    {
        var today = truth.Channels.Select(c => c.CurrentSpend).ToList();
        var problem = new PathProblem(Rules(truth, fitted, today, rules) with { TimeLimitSeconds = timeLimitSeconds },
            truth.Channels.Select(c => new PathCurve(fitted[c.Name].Curve, fitted[c.Name].StartAdstock)).ToList(), truth.HorizonWeeks, MoveShares: shares);
        var result = PathPlanner.Solve(problem);
        var status = new List<string>();
        if (!result.HasPlan)
        {
            var stuck = problem.Lines.Select((l, i) => (l, c: problem.Curves[i])).Where(x =>
            {
                var k = problem.Rules.SpendPerConversionLimit(x.l);
                return !Enumerable.Range(0, 41).Select(j => x.l.CurrentSpend * (0.8 + 0.01 * j)).Any(s => s <= k * x.c.Response(s + x.c.Curve.Theta * x.c.StartAdstock));
            }).Select(x => x.l.Name).ToHashSet();
            status.Add($"{result.Status}; locked {(stuck.Count == 0 ? "none" : string.Join(" ", stuck))}");
            problem = problem with { Rules = problem.Rules with { Lines = problem.Lines.Select(l => l with { Locked = stuck.Contains(l.Name) }).ToList() } };
            result = PathPlanner.Solve(problem);
            if (!result.HasPlan) return (null, string.Join(", ", status.Append($"then {result.Status}")));
        }
        if (result.Status != AllocationStatus.Optimal) status.Add($"{result.Status} gap {result.RelativeGap:G2}");
        var spend = truth.Channels.Select(_ => new double[truth.HorizonWeeks]).ToArray();
        var index = truth.Channels.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i);
        foreach (var cell in result.Cells) spend[index[cell.Channel]][cell.Week] = cell.Spend;
        return (spend, string.Join(", ", status));
    }

    /// <summary>A path's gain over keeping today's plan as the planner sees it: on the fitted curves from the fitted start adstock.</summary>
    public static double Believed(CarryOverWorld truth, IReadOnlyDictionary<string, FittedChannel> fitted, double[][]? spend, ScoreRules rules)
    {
        if (spend is null) return 0;
        var problem = new PathProblem(Rules(truth, fitted, truth.Channels.Select(c => c.CurrentSpend).ToList(), rules),
            truth.Channels.Select(c => new PathCurve(fitted[c.Name].Curve, fitted[c.Name].StartAdstock)).ToList(), truth.HorizonWeeks);
        return PathPlanner.Value(problem, spend) - PathPlanner.Value(problem, PathPlanner.KeepToday(problem));
    }

    /// <summary>
    /// Re-planning one week at a time: each week the single-week allocator on the fitted steady-state curves, band and budget from
    /// last week's spend; applied, and the next week planned from it. A week with no plan keeps last week's spend.
    /// </summary>
    public static (double[][] Spend, int Refused) WeekAtATime(CarryOverWorld truth, IReadOnlyDictionary<string, FittedChannel> fitted, ScoreRules rules)
    {
        var (n, h) = (truth.Channels.Count, truth.HorizonWeeks);
        var spend = Enumerable.Range(0, n).Select(_ => new double[h]).ToArray();
        var previous = truth.Channels.Select(c => c.CurrentSpend).ToArray();
        var refused = 0;
        for (var t = 0; t < h; t++)
        {
            var plan = Allocator.Solve(Rules(truth, fitted, previous, rules));
            if (!plan.HasPlan) refused++;
            for (var i = 0; i < n; i++) spend[i][t] = previous[i] = plan.HasPlan ? plan.Lines[i].Recommended : previous[i];
        }
        return (spend, refused);
    }

    /// <summary>
    /// One world: the small world (<paramref name="smallChannels"/> × <paramref name="smallWeeks"/>, weekly budget within
    /// ±<paramref name="smallTolerance"/>) against its exhaustive optimum, and the full world (8 × <paramref name="fullWeeks"/>, within ±0.5%).
    /// </summary>
    public static Row Score(int seed, int smallChannels = 3, int smallWeeks = 4, double smallTolerance = 0.05, int fullWeeks = 13)
    {
        var clock = Stopwatch.StartNew();
        var rules = new ScoreRules();
        var world = MarketWorld.Generate(seed);
        var fitted = Fit(world);
        var notes = new List<string>();

        var small = CarryOverMarket.Small(world, smallChannels, smallWeeks, smallTolerance, rules);
        var optimum = PathGridSearch.Best(small, Shares) ?? throw new InvalidOperationException($"seed {seed}: the small world has no path (keeping today's plan should be one)");
        var keep = small.Value(small.KeepToday());
        double Gain(CarryOverWorld w, double[][]? spend, string label)
        {
            if (spend is null) return 0;
            var score = w.Score(spend);
            if (score.BandBreaks.Count > 0 || score.BudgetBreaks.Count > 0) notes.Add($"{label} breaks {string.Join(", ", score.BandBreaks.Concat(score.BudgetBreaks.Select(b => $"budget week {b}")))}");
            return score.Gain;
        }
        var (grid, gridStatus) = Path(small, fitted, Shares, rules);
        var (band, bandStatus) = Path(small, fitted, null, rules);
        var (week, weekRefused) = WeekAtATime(small, fitted, rules);
        if (gridStatus != "") notes.Add($"path (grid): {gridStatus}");
        if (bandStatus != "") notes.Add($"path (band): {bandStatus}");
        if (weekRefused > 0) notes.Add($"week-at-a-time refused {weekRefused} weeks");

        var full = CarryOverMarket.Of(world, fullWeeks, rules.BudgetTolerance, null, rules);
        var (fullPath, fullStatus) = Path(full, fitted, null, rules, FullTimeLimitSeconds);
        var (fullWeek, fullRefused) = WeekAtATime(full, fitted, rules);
        if (fullStatus != "") notes.Add($"full path: {fullStatus}");
        if (fullRefused > 0) notes.Add($"full week-at-a-time refused {fullRefused} weeks");
        var fullPathScore = fullPath is null ? null : full.Score(fullPath);
        var fullWeekScore = full.Score(fullWeek);

        return new Row(seed, string.Join(' ', small.Channels.Select(c => c.Name)), string.Join(' ', small.Channels.Select(c => c.Theta.ToString("0.00", CultureInfo.InvariantCulture))),
            optimum.Value - keep, Gain(small, grid, "path (grid)"), Gain(small, band, "path (band)"), Gain(small, week, "week-at-a-time"),
            full.Value(full.KeepToday()), fullPathScore?.Gain ?? 0, fullWeekScore.Gain, fullPathScore?.LimitBreaks.Count ?? 0, fullWeekScore.LimitBreaks.Count,
            world.Channels.Average(c => Math.Abs(fitted[c.Name].Curve.Theta - c.Theta)), string.Join("; ", notes), clock.Elapsed.TotalSeconds,
            Believed(small, fitted, band, rules), Believed(small, fitted, week, rules), Believed(full, fitted, fullPath, rules), Believed(full, fitted, fullWeek, rules));
    }

    /// <summary>The per-world table, markdown. "Fitted" columns: the same difference as the planner sees it, on the fitted curves.</summary>
    public static IEnumerable<string> Table(IReadOnlyList<Row> rows)
    {
        yield return "| seed | small world (θ) | optimal path's gain | path (grid) | path (band) | week at a time | path (band) − week | same, fitted | full: path gain | full: week-at-a-time gain | full: path − week | same, fitted | full: limit breaks path / week | mean \\|θ̂ − θ\\| | notes |";
        yield return "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";
        static string P(double x) => x.ToString("+0.0%;-0.0%;0.0%", CultureInfo.InvariantCulture);
        static string P2(double x) => x.ToString("+0.00%;-0.00%;0.00%", CultureInfo.InvariantCulture);
        foreach (var r in rows)
            yield return $"| {r.Seed} | {r.SmallChannels} ({r.Thetas}) | {r.OptimumGain:N0} | {r.PathGridShare:P1} | {r.PathBandShare:P1} | {r.WeekShare:P1} | {P(r.PathBandShare - r.WeekShare)} | " +
                         $"{P(r.OptimumGain > 0 ? (r.SmallPathBelieved - r.SmallWeekBelieved) / r.OptimumGain : 0)} | " +
                         $"{P2(r.FullPathGain / r.FullKeep)} | {P2(r.FullWeekGain / r.FullKeep)} | {P2((r.FullPathGain - r.FullWeekGain) / r.FullKeep)} | {P2((r.FullPathBelieved - r.FullWeekBelieved) / r.FullKeep)} | " +
                         $"{r.FullPathLimitBreaks} / {r.FullWeekLimitBreaks} | {r.ThetaError:0.00} | {(r.Notes == "" ? "–" : r.Notes)} |";
    }

    /// <summary>Median and 10th percentile shares, how often the path beats week-at-a-time, as markdown.</summary>
    public static IEnumerable<string> Summary(IReadOnlyList<Row> rows)
    {
        static double Q(IEnumerable<double> xs, double q) { var s = xs.Order().ToArray(); return Quantiles.OfSorted(s, q); }
        static bool Beats(double a, double b, double scale) => a > b + 1e-9 * Math.Max(1, Math.Abs(scale));
        var n = rows.Count;
        yield return "| measure | path (grid moves) | path (any move in the band) | week at a time |";
        yield return "|---|---|---|---|";
        yield return $"| small worlds: median share of the optimal path's gain | {Q(rows.Select(r => r.PathGridShare), 0.5):P1} | {Q(rows.Select(r => r.PathBandShare), 0.5):P1} | {Q(rows.Select(r => r.WeekShare), 0.5):P1} |";
        yield return $"| small worlds: 10th percentile share | {Q(rows.Select(r => r.PathGridShare), 0.1):P1} | {Q(rows.Select(r => r.PathBandShare), 0.1):P1} | {Q(rows.Select(r => r.WeekShare), 0.1):P1} |";
        yield return $"| small worlds: ≥ 90% of the optimal gain | {rows.Count(r => r.PathGridShare >= 0.9)} of {n} | {rows.Count(r => r.PathBandShare >= 0.9)} of {n} | {rows.Count(r => r.WeekShare >= 0.9)} of {n} |";
        yield return $"| small worlds: beats week at a time (ties) | {rows.Count(r => Beats(r.PathGridGain, r.WeekGain, r.OptimumGain))} of {n} ({rows.Count(r => !Beats(r.PathGridGain, r.WeekGain, r.OptimumGain) && !Beats(r.WeekGain, r.PathGridGain, r.OptimumGain))}) | {rows.Count(r => Beats(r.PathBandGain, r.WeekGain, r.OptimumGain))} of {n} ({rows.Count(r => !Beats(r.PathBandGain, r.WeekGain, r.OptimumGain) && !Beats(r.WeekGain, r.PathBandGain, r.OptimumGain))}) | – |";
        yield return $"| full worlds (8 × 13): median gain, % of keeping today's plan | – | {Q(rows.Select(r => r.FullPathGain / r.FullKeep), 0.5):+0.00%;-0.00%} | {Q(rows.Select(r => r.FullWeekGain / r.FullKeep), 0.5):+0.00%;-0.00%} |";
        yield return $"| full worlds: beats week at a time (ties) | – | {rows.Count(r => Beats(r.FullPathGain, r.FullWeekGain, r.FullKeep))} of {n} ({rows.Count(r => !Beats(r.FullPathGain, r.FullWeekGain, r.FullKeep) && !Beats(r.FullWeekGain, r.FullPathGain, r.FullKeep))}) | – |";
        yield return $"| full worlds: median path − week at a time, % of keeping today's plan | – | {Q(rows.Select(r => (r.FullPathGain - r.FullWeekGain) / r.FullKeep), 0.5):+0.00%;-0.00%} | – |";
        yield return $"| small worlds: beats week at a time on the fitted curves, as the planner sees it | – | {rows.Count(r => Beats(r.SmallPathBelieved, r.SmallWeekBelieved, r.OptimumGain))} of {n} | – |";
        yield return $"| full worlds: beats week at a time on the fitted curves, as the planner sees it | – | {rows.Count(r => Beats(r.FullPathBelieved, r.FullWeekBelieved, r.FullKeep))} of {n} | – |";
        yield return $"| full worlds: cells breaking a limit in truth (all worlds) | – | {rows.Sum(r => r.FullPathLimitBreaks)} | {rows.Sum(r => r.FullWeekLimitBreaks)} |";
    }

    public static string Tsv(Row r) => string.Join('\t', r.Seed, r.SmallChannels, r.Thetas, I(r.OptimumGain), I(r.PathGridGain), I(r.PathBandGain), I(r.WeekGain),
        I(r.FullKeep), I(r.FullPathGain), I(r.FullWeekGain), r.FullPathLimitBreaks, r.FullWeekLimitBreaks, I(r.ThetaError), r.Notes, I(r.Seconds),
        I(r.SmallPathBelieved), I(r.SmallWeekBelieved), I(r.FullPathBelieved), I(r.FullWeekBelieved));

    public static Row FromTsv(string line)
    {
        var f = line.Split('\t');
        double D(int k) => double.Parse(f[k], CultureInfo.InvariantCulture);
        return new Row(int.Parse(f[0]), f[1], f[2], D(3), D(4), D(5), D(6), D(7), D(8), D(9), int.Parse(f[10]), int.Parse(f[11]), D(12), f[13], D(14), D(15), D(16), D(17), D(18));
    }

    private static string I(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
