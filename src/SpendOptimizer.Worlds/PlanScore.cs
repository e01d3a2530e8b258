using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Worlds.Search;

namespace SpendOptimizer.Worlds;

/// <summary>
/// The rules a plan is scored under: each channel kept or moved by a share in [BandMin, BandMax] of today's spend, the
/// total within ±BudgetTolerance of today's, per-channel payback and CLV:CAC limits, objective CLV. A channel that no
/// allowed level lets meet the limits (in truth) may only take the allowed level closest to them
/// (<see cref="LimitReach.ClosestLevel"/>). The optimum is exact over keep, <see cref="GridPerSide"/> shares per side of the
/// band and the points where a limit cuts it.
/// </summary>
public sealed record ScoreRules(
    double BandMin = 0.10,
    double BandMax = 0.20,
    double BudgetTolerance = 0.005,
    double? MaxPaybackMonths = 12,
    double? MinClvCac = 3,
    int GridPerSide = 11)
{
    public AllocationProblem Problem(IReadOnlyList<AllocationLine> lines) =>
        new(lines, BudgetMode: BudgetMode.Within, BudgetTolerance: BudgetTolerance, BandMin: BandMin, BandMax: BandMax,
            MaxPaybackMonths: MaxPaybackMonths, MinClvCac: MinClvCac, LimitScope: LimitScope.PerChannel, Objective: Objective.Clv);
}

/// <summary>The best plan under <see cref="ScoreRules"/> on a world's true curves.</summary>
/// <param name="Exists">False when no combination of allowed levels meets the budget (then Gain is NaN and Plan empty).</param>
/// <param name="Gain">True CLV of the plan minus that of today's plan.</param>
/// <param name="Unmeetable">Channels no allowed level lets meet the per-channel limits in truth.</param>
/// <param name="Closest">Each unmeetable channel's only allowed level.</param>
public sealed record TrueOptimum(bool Exists, double Gain, IReadOnlyDictionary<string, double> Plan, IReadOnlyList<string> Unmeetable,
    IReadOnlyDictionary<string, double> Closest)
{
    /// <param name="current">Today's spend per channel (null: the world's <see cref="IScoredWorld.CurrentPlan"/>).</param>
    public static TrueOptimum Of(IScoredWorld world, IReadOnlyDictionary<string, double>? current = null, ScoreRules? rules = null)
    {
        rules ??= new ScoreRules();
        var problem = rules.Problem(world.TrueLines(current ?? world.CurrentPlan));
        var unmeetable = problem.Lines.Where(l => !LimitReach.Meetable(l, problem)).ToList();
        var closest = unmeetable.ToDictionary(l => l.Name, l => LimitReach.ClosestLevel(l, problem));
        // An unmeetable line's grid is its closest level alone, as the allocator holds it.
        var best = ExactGridSearch.Best(problem, rules.GridPerSide);
        var today = Allocator.Value(problem, problem.Lines.Select(l => l.CurrentSpend).ToArray());
        return best is null
            ? new TrueOptimum(false, double.NaN, new Dictionary<string, double>(), unmeetable.Select(l => l.Name).ToList(), closest)
            : new TrueOptimum(true, Allocator.Value(problem, best.Plan) - today,
                problem.Lines.Select((l, i) => (l.Name, best.Plan[i])).ToDictionary(x => x.Name, x => x.Item2),
                unmeetable.Select(l => l.Name).ToList(), closest);
    }
}

/// <summary>
/// How a plan does on a world's true curves under <see cref="ScoreRules"/>, against the <see cref="TrueOptimum"/>.
/// </summary>
/// <param name="PlanGain">True CLV of the plan minus that of today's plan.</param>
/// <param name="Share">PlanGain / OptimumGain when the optimum gains; otherwise 1 if the plan does at least as well as the optimum, else 0.</param>
/// <param name="BandBreaks">Channels whose change from today's spend is neither 0 nor within the band (1e-6 relative).</param>
/// <param name="BudgetBreak">The plan's total is outside ±tolerance of today's.</param>
/// <param name="LimitBreaksWhereMeetable">Channels whose planned level breaks a per-channel limit in truth, though an allowed level meets it.</param>
/// <param name="LimitBreaksWhereUnmeetable">Channels whose planned level breaks a limit that no allowed level meets in truth.</param>
/// <param name="UnmeetableNotClosest">Unmeetable channels the plan did not put at the level closest to the limits.</param>
public sealed record PlanScore(
    double PlanGain,
    double OptimumGain,
    double Share,
    IReadOnlyList<string> BandBreaks,
    bool BudgetBreak,
    double PlanTotal,
    double CurrentTotal,
    IReadOnlyList<string> LimitBreaksWhereMeetable,
    IReadOnlyList<string> LimitBreaksWhereUnmeetable,
    IReadOnlyList<string> UnmeetableNotClosest,
    TrueOptimum Optimum)
{
    public IReadOnlyDictionary<string, double> OptimumPlan => Optimum.Plan;
    /// <summary>No band or budget break and no limit broken that an allowed level meets. Breaks of unmeetable limits are not
    /// counted (no plan avoids them); whether the plan took the level closest to them is <see cref="UnmeetableNotClosest"/>.</summary>
    public bool BreaksNoRule => BandBreaks.Count == 0 && !BudgetBreak && LimitBreaksWhereMeetable.Count == 0;

    /// <param name="plan">Recommended weekly spend per channel (every channel of the world).</param>
    /// <param name="current">Today's spend per channel, as the plan saw it (null: the world's <see cref="IScoredWorld.CurrentPlan"/>).</param>
    /// <param name="optimum">The optimum for the same world, current spend and rules, when already computed.</param>
    public static PlanScore Of(IScoredWorld world, IReadOnlyDictionary<string, double> plan, IReadOnlyDictionary<string, double>? current = null,
        ScoreRules? rules = null, TrueOptimum? optimum = null)
    {
        rules ??= new ScoreRules();
        current ??= world.CurrentPlan;
        optimum ??= TrueOptimum.Of(world, current, rules);
        var problem = rules.Problem(world.TrueLines(current));
        var missing = problem.Lines.FirstOrDefault(l => !plan.ContainsKey(l.Name));
        if (missing is not null) throw new ArgumentException($"the plan has no spend for '{missing.Name}'", nameof(plan));
        var spend = problem.Lines.Select(l => plan[l.Name]).ToArray();
        var now = problem.Lines.Select(l => l.CurrentSpend).ToArray();

        var bandBreaks = new List<string>();
        var meetable = new List<string>();
        var unmeetable = new List<string>();
        var notClosest = new List<string>();
        for (var i = 0; i < spend.Length; i++)
        {
            var l = problem.Lines[i];
            var s = spend[i];
            var share = l.CurrentSpend > 0 ? Math.Abs(s / l.CurrentSpend - 1) : s <= 1e-6 ? 0 : double.PositiveInfinity;
            if (share > 1e-6 && (share < rules.BandMin - 1e-6 || share > rules.BandMax + 1e-6)) bandBreaks.Add(l.Name);
            var k = problem.SpendPerConversionLimit(l);
            var breaks = s > 1e-9 && s > k * l.Response(s) * (1 + 1e-9);
            var isUnmeetable = optimum.Closest.TryGetValue(l.Name, out var closest);
            if (breaks) (isUnmeetable ? unmeetable : meetable).Add(l.Name);
            if (isUnmeetable && Math.Abs(s - closest) > 1e-6 * Math.Max(1, l.CurrentSpend)) notClosest.Add(l.Name);
        }
        var total = spend.Sum();
        var today = now.Sum();
        var budgetBreak = Math.Abs(total - today) > rules.BudgetTolerance * today * (1 + 1e-9) + 1e-9;
        var planGain = Allocator.Value(problem, spend) - Allocator.Value(problem, now);
        var optimumGain = optimum.Gain;
        var shareOfOptimum = optimumGain > 0 ? planGain / optimumGain : planGain >= (double.IsNaN(optimumGain) ? 0 : optimumGain) ? 1 : 0;
        return new PlanScore(planGain, optimumGain, shareOfOptimum, bandBreaks, budgetBreak, total, today, meetable, unmeetable, notClosest, optimum);
    }
}
