using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Worlds;

/// <summary>
/// A generated advertiser whose truth is known: the data a workspace loads, the plan it runs today, and the
/// allocation lines as they truly are, so a recommendation can be scored against the truth.
/// </summary>
public interface IScoredWorld
{
    IReadOnlyList<PerformanceRow> Performance { get; }
    IReadOnlyList<LiftTest> LiftTests { get; }
    IReadOnlyList<UnitEconomics> Economics { get; }

    /// <summary>Customer paths; empty when the advertiser has no journeys.</summary>
    IReadOnlyList<PathRecord> Paths { get; }

    /// <summary>The advertiser's weekly spend per channel today: what next week's plan moves from.</summary>
    IReadOnlyDictionary<string, double> CurrentPlan { get; }

    /// <summary>The allocation lines on the true steady-state curves and true economics, each at <paramref name="current"/>'s
    /// spend for it (null: <see cref="CurrentPlan"/>).</summary>
    IReadOnlyList<AllocationLine> TrueLines(IReadOnlyDictionary<string, double>? current = null);
}
