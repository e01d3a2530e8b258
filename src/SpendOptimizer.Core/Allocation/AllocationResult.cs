namespace SpendOptimizer.Core.Allocation;

public enum AllocationStatus { Optimal, Feasible, Infeasible, Invalid, TimedOut }

/// <summary>What stopped a line where it is.</summary>
public enum StopReason { BandEdge, Payback, ClvCac, Budget, Lock, HardBound, NoGainWorthAMove, LimitUnreachable, ZeroToday }

/// <summary>A line of the plan, evaluated on the true curve (not its piecewise-linear stand-in).</summary>
/// <param name="MarginalReturn">Objective value of one more unit of weekly spend at the recommended level.</param>
/// <param name="MarginalCac">Spend per extra new customer at the recommended level: one over the slope of customers in spend.</param>
/// <param name="Unreachable">Set when the line meets its per-line limits at no allowed level and is held at the closest one.</param>
public sealed record LinePlan(
    string Name, double Current, double Recommended, double ChangeShare,
    double CurrentConversions, double Conversions, double Customers, double Revenue,
    double Cac, double PaybackMonths, double ClvCac, double MarginalReturn, double MarginalCac, StopReason Reason, UnreachableLimit? Unreachable = null);

/// <summary>A limit that cannot be met, and what it would take.</summary>
/// <param name="Subject">A line's name, "budget" or "blended".</param>
/// <param name="Limit">budget, payback, clv_cac, band or hard_bound.</param>
/// <param name="Required">The limit as asked.</param>
/// <param name="Achievable">The best value reachable within the other rules (for the budget: the nearest feasible budget).</param>
public sealed record Clash(string Subject, string Limit, double Required, double Achievable, string Explanation);

/// <param name="Options">Keep, or a stretch of a move, summed over lines: what a plain MIP would branch on.</param>
/// <param name="Binaries">What the solver branched on after <see cref="OptionFixing"/>.</param>
public sealed record AllocationResult(
    AllocationStatus Status,
    IReadOnlyList<LinePlan> Lines,
    double CurrentObjective,
    double RecommendedObjective,
    double RelativeGap,
    double SolveSeconds,
    double ApproximationError,
    string SolverStatus,
    IReadOnlyList<Clash> Clashes,
    int Options,
    int Binaries,
    int Constraints)
{
    public double Gain => RecommendedObjective - CurrentObjective;
    public bool HasPlan => Status is AllocationStatus.Optimal or AllocationStatus.Feasible;
}
