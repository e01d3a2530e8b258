using BenchmarkDotNet.Attributes;
using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Benchmarks;

/// <summary>
/// One BG/NBD fit, one Gamma–Gamma fit and one transactional CLV with 1,000 parameter draws on a seeded base of
/// <see cref="Customers"/> customers. Rates vary log-normally and dropout uniformly: timing needs a realistic spread of
/// (x, t_x, T), not the models' exact mixing laws.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CustomerValueMicro
{
    [Params(2_000, 10_000)]
    public int Customers { get; set; }

    private RfmCustomer[] customers = null!;
    private BgNbdFit buying = null!;
    private GammaGammaFit spending = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new SeededRandom(17);
        customers = new RfmCustomer[Customers];
        for (var i = 0; i < Customers; i++)
        {
            var rate = 0.08 * rng.LogNormalFactor(1.5);
            var dropout = rng.Uniform(0.05, 0.6);
            var age = (double)rng.Integer(30, 79);
            double t = 0, recency = 0, x = 0, spend = 0;
            while (true)
            {
                t += -Math.Log(1 - rng.NextDouble()) / rate;
                if (t > age) break;
                x++;
                recency = t;
                spend += 30 * rng.LogNormalFactor(0.5);
                if (rng.NextDouble() < dropout) break;
            }
            customers[i] = new RfmCustomer(x, recency, age, x > 0 ? spend / x : 0);
        }
        buying = BgNbd.Fit(customers);
        spending = GammaGamma.Fit(customers);
    }

    [Benchmark]
    public double FitBgNbd() => BgNbd.Fit(customers).Parameters.R;

    [Benchmark]
    public double FitGammaGamma() => GammaGamma.Fit(customers).Parameters.P;

    [Benchmark]
    public double ClvWithDraws() =>
        CustomerLifetimeValue.Transactional(buying, spending, new TransactionalClvSettings(24, 0.1, 0.3, 52.0 / 12), draws: 1000).Upper90;
}
