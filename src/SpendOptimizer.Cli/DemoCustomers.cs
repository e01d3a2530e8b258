using MathNet.Numerics.Distributions;
using SpendOptimizer.Core.CustomerValueModels;

namespace SpendOptimizer.Cli;

/// <summary>One demo customer: acquired through a channel, with its order days and values.</summary>
public sealed record DemoCustomer(string Id, string Channel, DateOnly Acquired, IReadOnlyList<(DateOnly Day, double Revenue)> Orders);

/// <summary>
/// Customers drawn from known BG/NBD (in weeks) and Gamma–Gamma parameters per channel, so a fit on them can be held to
/// the truth: acquired uniformly over the first <see cref="AcquisitionDays"/> days, each buys at Poisson rate
/// λ ~ Gamma(r, alpha) per week and drops out after a purchase with probability p ~ Beta(a, b); each order's value is
/// Gamma(p, ν) with ν ~ Gamma(q, gamma).
/// </summary>
public static class DemoCustomers
{
    public const int AcquisitionDays = 540;

    /// <summary>The truth per channel, taken in turn by the world's channels.</summary>
    public static readonly (BgNbdParameters Purchases, GammaGammaParameters Spend)[] Truths =
    [
        (new(0.6, 8, 0.8, 3), new(6, 4, 15)),
        (new(0.4, 10, 1.0, 2.5), new(5, 5, 30)),
        (new(0.3, 12, 1.2, 2), new(4, 4, 20)),
        (new(0.5, 12, 0.9, 3), new(5, 4, 25)),
        (new(0.7, 9, 0.7, 3.5), new(6, 5, 25)),
        (new(0.5, 6, 0.8, 4), new(6, 4, 30)),
    ];

    public static List<DemoCustomer> Generate(int seed, IReadOnlyList<string> channels, DateOnly start, DateOnly end, int perChannel)
    {
        var rng = new Random(seed);
        var customers = new List<DemoCustomer>(channels.Count * perChannel);
        for (var c = 0; c < channels.Count; c++)
        {
            var (purchases, spend) = Truths[c % Truths.Length];
            for (var i = 0; i < perChannel; i++)
            {
                var acquired = start.AddDays(rng.Next(Math.Min(AcquisitionDays, end.DayNumber - start.DayNumber)));
                var weeks = (end.DayNumber - acquired.DayNumber) / 7.0;
                var lambda = Gamma.Sample(rng, purchases.R, purchases.Alpha);
                var dropout = Beta.Sample(rng, purchases.A, purchases.B);
                var nu = Gamma.Sample(rng, spend.Q, spend.Gamma);
                double Value() => Math.Round(Math.Max(0.01, Gamma.Sample(rng, spend.P, nu)), 2);
                var orders = new List<(DateOnly, double)> { (acquired, Value()) };
                var at = 0.0;
                while (true)
                {
                    at += -Math.Log(1 - rng.NextDouble()) / lambda;
                    if (at > weeks) break;
                    orders.Add((acquired.AddDays((int)(at * 7)), Value()));
                    if (rng.NextDouble() < dropout) break;
                }
                customers.Add(new DemoCustomer($"{channels[c]}-{i:D4}", channels[c], acquired, orders));
            }
        }
        return customers;
    }
}
