using SpendOptimizer.Core.Allocation;
using SpendOptimizer.Core.Numerics;
using SpendOptimizer.Core.Planning;
using SpendOptimizer.Core.Response;

namespace SpendOptimizer.Core.Tests.Planning;

/// <summary>Seeded path problems: Hill curves over adstock, bounds and locks, weekly or total budgets, limits, any objective.</summary>
internal static class PathFixtures
{
    public static PathProblem Random(int seed, int channels, int weeks, bool carryOver, IReadOnlyList<double>? shares)
    {
        var rng = new SeededRandom(seed, 0x9a7e);
        var lines = new List<AllocationLine>();
        var curves = new List<PathCurve>();
        for (var i = 0; i < channels; i++)
        {
            var s0 = Math.Round(rng.Uniform(1_000, 50_000));
            var theta = carryOver ? rng.Uniform(0, 0.7) : 0;
            var alpha = rng.Uniform(0.6, 2.5);
            var a0 = s0 / (1 - theta);
            var kappa = a0 * rng.Uniform(0.3, 3);
            var beta = s0 / rng.Uniform(20, 200) * (1 + Math.Pow(kappa / a0, alpha));
            var curve = new HillAdstock(theta, alpha, kappa, beta);
            var locked = rng.Uniform() < 0.1;
            double? min = rng.Uniform() < 0.15 ? s0 * rng.Uniform(0.7, 1.0) : null;
            double? max = rng.Uniform() < 0.15 ? s0 * rng.Uniform(1.0, 1.4) : null;
            lines.Add(new AllocationLine($"c{i}", s0, curve.SteadyState, rng.Uniform(0.4, 1), rng.Uniform(50, 300), rng.Uniform(100, 2000),
                rng.Uniform(10, 80), locked, min, max));
            curves.Add(new PathCurve(curve, a0 * (carryOver ? rng.Uniform(0.7, 1.3) : 1)));
        }
        var total = lines.Sum(l => l.CurrentSpend);
        var budget = rng.Integer(0, 4);
        var mode = rng.Uniform() < 0.5 ? BudgetMode.Cap : BudgetMode.Within;
        var rules = new AllocationProblem(lines, Budget: total * rng.Uniform(0.9, 1.1), BudgetMode: mode, BudgetTolerance: 0.05,
            MaxPaybackMonths: rng.Uniform() < 0.4 ? rng.Uniform(4, 30) : null,
            MinClvCac: rng.Uniform() < 0.4 ? rng.Uniform(0.5, 4) : null,
            LimitScope: (LimitScope)rng.Integer(0, 4),
            Objective: (Objective)rng.Integer(0, 4),
            RelativeApproximationError: 1e-5,
            // These problems prove optimality in seconds on a quiet machine; the limit only keeps a loaded one from cutting them short.
            TimeLimitSeconds: 600);
        return budget switch
        {
            // per-week budgets, one each
            1 => new PathProblem(rules, curves, weeks, WeeklyBudgets: Enumerable.Range(0, weeks).Select(_ => total * rng.Uniform(0.85, 1.15)).ToArray(), MoveShares: shares, RelativeGap: 1e-7),
            // a total over the horizon, paced
            2 => new PathProblem(rules, curves, weeks, TotalBudget: total * weeks * rng.Uniform(0.9, 1.05), WeeklyMin: total * 0.8, WeeklyMax: total * 1.15,
                BlendedOver: BlendedOver.Horizon, MoveShares: shares, RelativeGap: 1e-7),
            _ => new PathProblem(rules, curves, weeks, MoveShares: shares, RelativeGap: 1e-7),
        };
    }
}
