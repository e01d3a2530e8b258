using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Planning;

/// <summary>A path's objective across draws of the curves (carry-over past the horizon included), and its gain over keeping today's spend.</summary>
public sealed record PathSpread(double ValueP10, double ValueP50, double ValueP90, GainDistribution Gain);

public static class PathUncertainty
{
    /// <summary>The chosen path [line][week] valued under each draw; a draw is one curve per line, each line keeping its start adstock.</summary>
    public static PathSpread Evaluate(PathProblem problem, IReadOnlyList<IReadOnlyList<double>> path, IReadOnlyList<IReadOnlyList<HillAdstock>> draws)
    {
        if (draws.Count == 0) return new PathSpread(double.NaN, double.NaN, double.NaN, new GainDistribution(double.NaN, double.NaN, double.NaN, double.NaN, 0));
        var today = PathPlanner.KeepToday(problem);
        var values = new double[draws.Count];
        var gains = new double[draws.Count];
        for (var d = 0; d < draws.Count; d++)
        {
            var drawn = problem with { Curves = problem.Curves.Select((c, i) => c with { Curve = draws[d][i] }).ToList() };
            values[d] = PathPlanner.Value(drawn, path);
            gains[d] = values[d] - PathPlanner.Value(drawn, today);
        }
        Array.Sort(values);
        Array.Sort(gains);
        return new PathSpread(Quantiles.OfSorted(values, 0.1), Quantiles.OfSorted(values, 0.5), Quantiles.OfSorted(values, 0.9),
            new GainDistribution(Quantiles.OfSorted(gains, 0.1), Quantiles.OfSorted(gains, 0.5), Quantiles.OfSorted(gains, 0.9), gains.Count(g => g > 0) / (double)gains.Length, gains.Length));
    }
}
