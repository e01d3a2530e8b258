namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// Whether a line can meet its per-line limits at any level it is allowed, and if not, the level it is held at: the same
/// rules the allocator applies (<see cref="Presolve"/>, <see cref="UnreachableLimit"/>), for scoring plans on true curves.
/// </summary>
public static class LimitReach
{
    /// <summary>True when some allowed level meets the line's per-line limits (always, when they do not apply).</summary>
    public static bool Meetable(AllocationLine l, AllocationProblem p) =>
        Presolve.Line(l, p with { UnreachableLimits = UnreachableLimits.Refuse }).Runs.Count > 0;

    /// <summary>The allowed level with the lowest spend per incremental conversion s / g(s) (today's spend when nothing else is allowed).</summary>
    public static double ClosestLevel(AllocationLine l, AllocationProblem p) =>
        UnreachableLimit.Closest(l, p, Presolve.AllowedByBandAndBounds(l, p))?.Level ?? l.CurrentSpend;
}
