using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Core.Planning;

/// <summary>One line in one week of the path, on the true curve at the week's exact adstock.</summary>
/// <param name="Week">0 for the first planned week.</param>
/// <param name="Change">Spend / the previous week's spend − 1 (0 when that was 0).</param>
/// <param name="Value">The cell's part in the objective: worth · conversions (− spend for profit); the carry-over past the horizon is apart.</param>
public sealed record PathCell(
    string Channel, int Week, double Spend, double PreviousSpend, double Change, double Adstock,
    double Conversions, double Customers, double Revenue, double Value, double Cac, double PaybackMonths, double ClvCac, StopReason Reason)
{
    /// <summary>Set when the line meets its per-line limits at no move that week and is held at the closest level (reason limit_unreachable).</summary>
    public UnreachableLimit? Unreachable { get; init; }
}

/// <summary>What a line's adstock at the end still brings after the horizon: θ/(1−θ) × its last week's response.</summary>
public sealed record CarryOver(string Channel, double Conversions, double Value);

/// <param name="CurrentValue">The objective of keeping today's spend every week, by the same rule (carry-over included).</param>
/// <param name="PlanValue">The path's objective over the horizon, carry-over past it included.</param>
/// <param name="ApproximationError">|the MIP's objective − <paramref name="PlanValue"/>|: what the chords of the curves cost here.</param>
/// <param name="ApproximationBound">How far the MIP's objective can be from the true one at any path: the path is within
/// 2 × this bound plus the gap of the best path on the true curves.</param>
public sealed record PathResult(
    AllocationStatus Status,
    IReadOnlyList<PathCell> Cells,
    IReadOnlyList<CarryOver> AfterHorizon,
    double CurrentValue,
    double PlanValue,
    double RelativeGap,
    double ApproximationError,
    double ApproximationBound,
    string SolverStatus,
    double SolveSeconds,
    IReadOnlyList<Clash> Clashes,
    int Binaries,
    int Constraints)
{
    public double Gain => PlanValue - CurrentValue;

    /// <summary>The path's spends [line][week], in <paramref name="problem"/>'s line order.</summary>
    public double[][] Spend(PathProblem problem) =>
        [.. problem.Lines.Select(l => Cells.Where(c => c.Channel == l.Name).OrderBy(c => c.Week).Select(c => c.Spend).ToArray())];

    /// <summary>The path's objective and gain across draws of the curves (<see cref="PathUncertainty"/>), when the caller has draws.</summary>
    public PathSpread? Uncertainty { get; init; }
    public bool HasPlan => Status is AllocationStatus.Optimal or AllocationStatus.Feasible;
}
