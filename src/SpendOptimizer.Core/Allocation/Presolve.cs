namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// Turns each line into its allowed spend set before any solver runs: keep, or a move down or up by a share in
/// [band_min, band_max], cut by hard bounds and by the per-line limits. Per-line payback and CLV:CAC limits both
/// read s ≤ K·g(s), a 1-D condition, so they are applied here exactly (with the true curve) instead of in the MIP.
/// Each allowed interval gets breakpoints until the chords are within tolerance of g, and is split where the chords
/// stop being concave.
/// </summary>
public static class Presolve
{
    private const int LimitScan = 200;

    public static LineOptions Line(AllocationLine line, AllocationProblem problem)
    {
        var s0 = line.CurrentSpend;
        var g = line.Response;
        var k = problem.PerChannelLimits && !line.Locked ? problem.SpendPerConversionLimit(line) : double.PositiveInfinity;
        var limitEdge = LimitEdge(line, problem);
        var limitCurve = line.LimitCurve;
        bool WithinLimit(double s) => s <= 0 || s <= k * limitCurve(s) * (1 + 1e-12);
        var lo = line.Min ?? 0;
        var hi = line.Max ?? double.PositiveInfinity;
        var runs = new List<Run>();
        var excluded = new List<Edge>();
        var maxError = 0.0;

        if (s0 >= lo && s0 <= hi && WithinLimit(s0)) runs.Add(new Run(s0, g(s0), [], [], Edge.None, Edge.None, IsKeep: true));
        else if (s0 < lo || s0 > hi) excluded.Add(Edge.HardBound);
        else excluded.Add(limitEdge);

        var stretches = Stretches(line, problem);
        if (!line.Locked)
        {
            foreach (var (a, b, bounded) in stretches)
            {
                if (b - a <= 1e-9 * Math.Max(1, s0))
                {
                    // band_min = band_max: a single point, handled as a zero-length stretch below; bounds min = max: that point.
                    if (bounded && a > 0 && a >= lo && a <= hi && WithinLimit(a)) runs.Add(new Run(a, g(a), [], [], Edge.HardBound, Edge.HardBound, IsKeep: false));
                    continue;
                }
                var from = Math.Max(a, lo);
                var to = Math.Min(b, hi);
                var fromEdge = from > a || bounded ? Edge.HardBound : Edge.BandEdge;
                var toEdge = to < b || bounded ? Edge.HardBound : Edge.BandEdge;
                if (from > to) { excluded.Add(Edge.HardBound); continue; }
                var pieces = Feasible(from, to, WithinLimit);
                if (pieces.Count == 0) excluded.Add(limitEdge);
                foreach (var (x, y) in pieces)
                {
                    var e1 = x > from ? limitEdge : fromEdge;
                    var e2 = y < to ? limitEdge : toEdge;
                    var (made, error) = Runs(g, x, y, e1, e2, problem.RelativeApproximationError);
                    runs.AddRange(made);
                    maxError = Math.Max(maxError, error);
                }
            }
            if (problem.BandMax == problem.BandMin && problem.BandMin > 0 && s0 > 0)
                foreach (var s in new[] { s0 * (1 - problem.BandMin), s0 * (1 + problem.BandMin) })
                    if (s >= lo && s <= hi && WithinLimit(s)) runs.Add(new Run(s, g(s), [], [], Edge.BandEdge, Edge.BandEdge, IsKeep: false));
        }
        if (runs.Count == 0 && problem.UnreachableLimits == UnreachableLimits.Closest && excluded.Any(e => e is Edge.Payback or Edge.ClvCac)
            && UnreachableLimit.Closest(line, problem, AllowedByBandAndBounds(line, problem)) is { } closest)
            return new LineOptions(line, [new Run(closest.Level, g(closest.Level), [], [], Edge.None, Edge.None, IsKeep: closest.Level == s0)],
                0, excluded, closest);
        return new LineOptions(line, runs, maxError, excluded);
    }

    /// <summary>What the band, bounds and lock allow a line, limits aside: keep as a zero-length interval, and each move's interval.</summary>
    public static List<(double From, double To)> AllowedByBandAndBounds(AllocationLine line, AllocationProblem problem)
    {
        var s0 = line.CurrentSpend;
        var lo = line.Min ?? 0;
        var hi = line.Max ?? double.PositiveInfinity;
        var allowed = new List<(double, double)>();
        if (s0 >= lo && s0 <= hi) allowed.Add((s0, s0));
        if (!line.Locked)
            allowed.AddRange(Stretches(line, problem).Select(x => (Math.Max(x.From, lo), Math.Min(x.To, hi))).Where(x => x.Item1 <= x.Item2));
        return allowed;
    }

    /// <summary>
    /// The intervals a line may move to: a share in [band_min, band_max] of today's spend down or up. A line at 0 today
    /// has no share to move by; it may start only where its bounds give it a range ([min, max], marked bounded).
    /// </summary>
    private static List<(double From, double To, bool Bounded)> Stretches(AllocationLine line, AllocationProblem problem)
    {
        var s0 = line.CurrentSpend;
        if (s0 > 0)
            return [(s0 * (1 - problem.BandMax), s0 * (1 - problem.BandMin), false), (s0 * (1 + problem.BandMin), s0 * (1 + problem.BandMax), false)];
        var top = line.Max ?? line.Min ?? 0;
        return top > 0 ? [(line.Min ?? 0, top, true)] : [];
    }

    /// <summary>Which per-line limit is the tighter one, for naming what cut a line's range.</summary>
    public static Edge LimitEdge(AllocationLine line, AllocationProblem problem)
    {
        var payback = problem.MaxPaybackMonths is { } p ? p * line.MonthlyMarginPerCustomer * line.CustomersPerConversion : double.PositiveInfinity;
        var clv = problem.MinClvCac is { } r && r > 0 ? line.Clv * line.CustomersPerConversion / r : double.PositiveInfinity;
        return payback <= clv ? Edge.Payback : Edge.ClvCac;
    }

    /// <summary>Sub-intervals of [a, b] where the limit holds: a fine scan, then bisection on each boundary.</summary>
    private static List<(double, double)> Feasible(double a, double b, Func<double, bool> ok)
    {
        var result = new List<(double, double)>();
        double? start = ok(a) ? a : null;
        var previous = a;
        for (var i = 1; i <= LimitScan; i++)
        {
            var x = a + (b - a) * i / LimitScan;
            var inside = ok(x);
            if (inside && start is null) start = Boundary(previous, x, ok, enteringFeasible: true);
            else if (!inside && start is { } s)
            {
                result.Add((s, Boundary(previous, x, ok, enteringFeasible: false)));
                start = null;
            }
            previous = x;
        }
        if (start is { } open) result.Add((open, b));
        return result;
    }

    private static double Boundary(double outside, double inside, Func<double, bool> ok, bool enteringFeasible)
    {
        // Keep the feasible end on the feasible side, so the true curve satisfies the limit at every returned point.
        double lo = outside, hi = inside;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            if (ok(mid) == enteringFeasible) hi = mid; else lo = mid;
        }
        return hi;
    }

    /// <summary>Adaptive breakpoints on [a, b], then maximal concave runs of the chords (also the path planner's response over adstock).</summary>
    public static (List<Run> Runs, double Error) Runs(Func<double, double> g, double a, double b, Edge low, Edge high, double relativeError)
    {
        var tolerance = relativeError * Math.Max(Math.Abs(g(b)), Math.Abs(g(a))) + 1e-12;
        var points = new List<double> { a };
        var maxError = 0.0;
        void Split(double x, double y, int depth)
        {
            var gx = g(x);
            var gy = g(y);
            var worst = 0.0;
            for (var i = 1; i <= 3; i++)
            {
                var t = x + (y - x) * i / 4;
                worst = Math.Max(worst, Math.Abs(g(t) - (gx + (gy - gx) * (t - x) / (y - x))));
            }
            if (worst > tolerance && depth < 12)
            {
                var mid = (x + y) / 2;
                Split(x, mid, depth + 1);
                Split(mid, y, depth + 1);
            }
            else
            {
                maxError = Math.Max(maxError, worst);
                points.Add(y);
            }
        }
        if (b > a) Split(a, b, 0);

        var runs = new List<Run>();
        var start = 0;
        for (var i = 1; i <= points.Count - 1; i++)
        {
            var endOfRun = i == points.Count - 1 || Slope(g, points, i + 1) > Slope(g, points, i) + 1e-12 * Math.Abs(Slope(g, points, i));
            if (!endOfRun) continue;
            var lengths = new double[i - start];
            var slopes = new double[i - start];
            for (var j = start; j < i; j++)
            {
                lengths[j - start] = points[j + 1] - points[j];
                slopes[j - start] = Slope(g, points, j + 1);
            }
            runs.Add(new Run(points[start], g(points[start]), lengths, slopes, start == 0 ? low : Edge.None, i == points.Count - 1 ? high : Edge.None, IsKeep: false));
            start = i;
        }
        if (points.Count == 1) runs.Add(new Run(a, g(a), [], [], low, high, IsKeep: false));
        return (runs, maxError);
    }

    private static double Slope(Func<double, double> g, List<double> p, int i) => (g(p[i]) - g(p[i - 1])) / (p[i] - p[i - 1]);
}
