using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

/// <summary>The generative processes of the three models, simulated draw by draw.</summary>
internal static class CustomerSimulation
{
    /// <summary>Marsaglia–Tsang; shapes below 1 are boosted by U^(1/shape).</summary>
    public static double Gamma(SeededRandom rng, double shape, double rate)
    {
        if (shape < 1) return Gamma(rng, shape + 1, rate) * Math.Pow(1 - rng.NextDouble(), 1 / shape);
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z, v;
            do
            {
                z = rng.Normal();
                v = 1 + c * z;
            } while (v <= 0);
            v = v * v * v;
            var u = 1 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v)) return d * v / rate;
        }
    }

    public static double Beta(SeededRandom rng, double a, double b)
    {
        var x = Gamma(rng, a, 1);
        return x / (x + Gamma(rng, b, 1));
    }

    public static double Exponential(SeededRandom rng, double rate) => -Math.Log(1 - rng.NextDouble()) / rate;

    /// <summary>
    /// One BG/NBD customer observed for <paramref name="age"/> time units after the first purchase, and the number of
    /// repeat purchases it makes in the following <paramref name="holdout"/> units.
    /// </summary>
    public static (RfmCustomer Calibration, int Holdout) BgNbdCustomer(SeededRandom rng, BgNbdParameters p, double age, double holdout)
    {
        var lambda = Gamma(rng, p.R, p.Alpha);
        var dropout = Beta(rng, p.A, p.B);
        double t = 0, recency = 0;
        int x = 0, later = 0;
        while (true)
        {
            t += Exponential(rng, lambda);
            if (t > age + holdout) break;
            if (t <= age)
            {
                x++;
                recency = t;
            }
            else
            {
                later++;
            }
            if (rng.NextDouble() < dropout) break;
        }
        return (new RfmCustomer(x, recency, age), later);
    }

    public static List<(RfmCustomer Calibration, int Holdout)> BgNbdBase(int seed, BgNbdParameters p, int customers, double holdout)
    {
        var rng = new SeededRandom(seed);
        var list = new List<(RfmCustomer, int)>(customers);
        for (var i = 0; i < customers; i++) list.Add(BgNbdCustomer(rng, p, rng.Integer(30, 79), holdout));
        return list;
    }

    /// <summary>
    /// Gamma–Gamma buyers with 1 + Poisson(2) repeat purchases; each customer's next <paramref name="future"/> purchases'
    /// mean value comes with it, for holdout checks.
    /// </summary>
    public static List<(RfmCustomer Customer, double FutureMean)> SpendBase(int seed, GammaGammaParameters p, int customers, int future)
    {
        var rng = new SeededRandom(seed);
        var list = new List<(RfmCustomer, double)>(customers);
        for (var i = 0; i < customers; i++)
        {
            var x = 1 + rng.Poisson(2);
            var nu = Gamma(rng, p.Q, p.Gamma);
            // The sum of x Gamma(p, ν) values is Gamma(p·x, ν).
            var mean = Gamma(rng, p.P * x, nu) / x;
            var futureMean = Gamma(rng, p.P * future, nu) / future;
            list.Add((new RfmCustomer(x, 1, 2, mean), futureMean));
        }
        return list;
    }

    /// <summary>A cohort of subscribers, each with churn probability θ ~ Beta(α, β), followed for <paramref name="periods"/> periods.</summary>
    public static SubscriptionCohort Cohort(SeededRandom rng, SbgParameters p, int size, int periods)
    {
        var survivors = new double[periods + 1];
        for (var i = 0; i < size; i++)
        {
            var theta = Beta(rng, p.Alpha, p.Beta);
            survivors[0]++;
            for (var t = 1; t <= periods; t++)
            {
                if (rng.NextDouble() < theta) break;
                survivors[t]++;
            }
        }
        return new SubscriptionCohort(survivors);
    }
}
