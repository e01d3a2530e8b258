namespace SpendOptimizer.Core.Allocation;

/// <summary>Why a line's allowed set ends where it does.</summary>
public enum Edge { None, BandEdge, HardBound, Payback, ClvCac }

/// <summary>
/// A stretch of allowed spend [Start, Start + Σ lengths] on which the piecewise-linear response is concave, so a
/// maximising LP fills its pieces in order and needs no binaries inside it. Keep is a run without pieces.
/// </summary>
public sealed record Run(double Start, double StartResponse, double[] Lengths, double[] Slopes, Edge LowEdge, Edge HighEdge, bool IsKeep)
{
    public double End => Start + Lengths.Sum();
}

/// <summary>A line's allowed spend after the band, locks, hard bounds and per-line limits, as concave runs.</summary>
/// <param name="MaxApproximationError">Largest |g − pwl| over the line's runs (response units).</param>
/// <param name="ExcludedBy">Non-empty when the band allowed moves that the limits or bounds removed.</param>
/// <param name="Unreachable">Set when no allowed level meets the per-line limits and the line is held at the closest one.</param>
public sealed record LineOptions(AllocationLine Line, IReadOnlyList<Run> Runs, double MaxApproximationError, IReadOnlyList<Edge> ExcludedBy,
    UnreachableLimit? Unreachable = null)
{
    public double MinSpend => Runs.Count == 0 ? double.NaN : Runs.Min(r => r.Start);
    public double MaxSpend => Runs.Count == 0 ? double.NaN : Runs.Max(r => r.End);
}
