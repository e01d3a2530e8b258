using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class CustomerLifetimeValueTests
{
    private static readonly BgNbdParameters Buying = new(0.9, 5, 1.6, 4);
    private static readonly GammaGammaParameters Spending = new(6, 4, 15);
    private static readonly TransactionalClvSettings Settings = new(24, 0.10, 0.3, 52.0 / 12);

    /// <summary>
    /// 100,000 new customers simulated for 24 months of weeks: every purchase (the acquisition order at time 0 included)
    /// has a Gamma(p, ν) value and is discounted from the end of its month; the mean must hold the model's CLV within 4 SE.
    /// </summary>
    [Fact]
    public void Transactional_clv_matches_simulated_customers()
    {
        var rng = new SeededRandom(99);
        var weeksPerMonth = Settings.TimeUnitsPerMonth;
        var horizon = Settings.HorizonMonths * weeksPerMonth;
        const int n = 100_000;
        double sum = 0, sumSq = 0;
        for (var i = 0; i < n; i++)
        {
            var lambda = CustomerSimulation.Gamma(rng, Buying.R, Buying.Alpha);
            var dropout = CustomerSimulation.Beta(rng, Buying.A, Buying.B);
            var nu = CustomerSimulation.Gamma(rng, Spending.Q, Spending.Gamma);
            var value = CustomerSimulation.Gamma(rng, Spending.P, nu) * Settings.MarginShare;
            var t = 0.0;
            while (true)
            {
                t += CustomerSimulation.Exponential(rng, lambda);
                if (t > horizon) break;
                var month = Math.Ceiling(t / weeksPerMonth);
                value += CustomerSimulation.Gamma(rng, Spending.P, nu) * Settings.MarginShare / Math.Pow(1.10, month / 12);
                if (rng.NextDouble() < dropout) break;
            }
            sum += value;
            sumSq += value * value;
        }
        var mean = sum / n;
        var se = Math.Sqrt((sumSq / n - mean * mean) / n);
        Assert.InRange(CustomerLifetimeValue.Transactional(Buying, Spending, Settings), mean - 4 * se, mean + 4 * se);
    }

    [Fact]
    public void The_acquisition_order_adds_one_undiscounted_order_of_margin()
    {
        var with = CustomerLifetimeValue.Transactional(Buying, Spending, Settings);
        var without = CustomerLifetimeValue.Transactional(Buying, Spending, Settings with { IncludeAcquisitionOrder = false });
        Assert.Equal(6 * 15 / 3.0 * 0.3, with - without, 9);
        var longer = CustomerLifetimeValue.Transactional(Buying, Spending, Settings with { HorizonMonths = 36 });
        Assert.True(longer > with);
    }

    [Fact]
    public void Subscription_clv_is_the_discounted_sum_of_surviving_payments()
    {
        var p = new SbgParameters(0.7, 2.5);
        var settings = new SubscriptionClvSettings(36, 0.12, 0.8, 50);
        var expected = 0.0;
        var survival = 1.0;
        for (var m = 0; m < 36; m++)
        {
            // S(m) = S(m−1)·r(m), r(m) = (β+m−1)/(α+β+m−1).
            if (m > 0) survival *= (2.5 + m - 1) / (0.7 + 2.5 + m - 1);
            expected += 50 * 0.8 * survival / Math.Pow(1.12, m / 12.0);
        }
        Assert.Equal(expected, CustomerLifetimeValue.Subscription(p, settings), 9);
    }

    [Fact]
    public void Draws_are_seeded_and_bracket_the_point_estimate()
    {
        var buying = BgNbd.Fit([.. CustomerSimulation.BgNbdBase(31, Buying, 3000, 0).Select(s => s.Calibration)]);
        var spending = GammaGamma.Fit([.. CustomerSimulation.SpendBase(32, Spending, 2000, 1).Select(s => s.Customer)]);
        var a = CustomerLifetimeValue.Transactional(buying, spending, Settings, draws: 300, seed: 5);
        var b = CustomerLifetimeValue.Transactional(buying, spending, Settings, draws: 300, seed: 5);
        var c = CustomerLifetimeValue.Transactional(buying, spending, Settings, draws: 300, seed: 6);
        Assert.Equal(a.Draws, b.Draws);
        Assert.NotEqual(a.Draws, c.Draws);
        Assert.Equal(300, a.Draws.Count);
        Assert.True(a.Lower90 < a.Median && a.Median < a.Upper90);
        Assert.InRange(a.PointEstimate, a.Lower90, a.Upper90);
        Assert.Equal(CustomerLifetimeValue.Transactional(buying.Parameters, spending.Parameters, Settings), a.PointEstimate, 12);
        Assert.Equal(15, a.Draws.Count(d => d < a.Lower90));

        var rng = new SeededRandom(33);
        var retention = ShiftedBetaGeometric.Fit([CustomerSimulation.Cohort(rng, new SbgParameters(0.7, 2.5), 2000, 12)]);
        var s = CustomerLifetimeValue.Subscription(retention, new SubscriptionClvSettings(36, 0.1, 0.8, 50), draws: 200, seed: 1);
        Assert.InRange(s.PointEstimate, s.Lower90, s.Upper90);
    }

    /// <summary>Log-parameter draws have the fit's mean and covariance (4,000 draws; tolerances of about 4 sampling sds).</summary>
    [Fact]
    public void Parameter_draws_follow_the_fits_log_scale_normal()
    {
        var fit = BgNbd.Fit([.. CustomerSimulation.BgNbdBase(41, Buying, 3000, 0).Select(s => s.Calibration)]).Summary;
        const int n = 4000;
        var draws = ParameterDraws.Draw(fit, n, new SeededRandom(7)).Select(d => d.Select(v => Math.Log(v)).ToArray()).ToArray();
        for (var i = 0; i < 4; i++)
        {
            var mean = draws.Average(d => d[i]);
            var sd = Math.Sqrt(fit.LogCovariance[i, i]);
            Assert.InRange(mean - fit.LogEstimate[i], -4 * sd / Math.Sqrt(n), 4 * sd / Math.Sqrt(n));
            for (var j = 0; j <= i; j++)
            {
                var cov = draws.Average(d => (d[i] - fit.LogEstimate[i]) * (d[j] - fit.LogEstimate[j]));
                var scale = Math.Sqrt(fit.LogCovariance[i, i] * fit.LogCovariance[j, j]);
                Assert.InRange(cov - fit.LogCovariance[i, j], -0.1 * scale, 0.1 * scale);
            }
        }
    }

    [Fact]
    public void Bad_settings_are_refused_naming_the_field()
    {
        Assert.Equal("settings.HorizonMonths", Assert.Throws<ArgumentException>(() => CustomerLifetimeValue.Transactional(Buying, Spending, Settings with { HorizonMonths = 0 })).ParamName);
        Assert.Equal("settings.MarginShare", Assert.Throws<ArgumentException>(() => CustomerLifetimeValue.Transactional(Buying, Spending, Settings with { MarginShare = 1.5 })).ParamName);
        Assert.Equal("settings.TimeUnitsPerMonth", Assert.Throws<ArgumentException>(() => CustomerLifetimeValue.Transactional(Buying, Spending, Settings with { TimeUnitsPerMonth = double.NaN })).ParamName);
        Assert.Equal("settings.AnnualDiscountRate", Assert.Throws<ArgumentException>(() => CustomerLifetimeValue.Subscription(new SbgParameters(1, 1), new SubscriptionClvSettings(12, -1, 0.5, 10))).ParamName);
        Assert.Equal("settings.MonthlyRevenue", Assert.Throws<ArgumentException>(() => CustomerLifetimeValue.Subscription(new SbgParameters(1, 1), new SubscriptionClvSettings(12, 0.1, 0.5, -10))).ParamName);
    }
}
