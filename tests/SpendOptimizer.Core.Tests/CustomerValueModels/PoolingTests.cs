using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.Tests.CustomerValueModels;

public class PoolingTests
{
    private static readonly BgNbdFit Pooled =
        BgNbd.Fit([.. CustomerSimulation.BgNbdBase(11, new BgNbdParameters(0.25, 4, 0.8, 2.5), 4000, 0).Select(s => s.Calibration)]);

    private static readonly RfmCustomer[] Thin =
        [.. CustomerSimulation.BgNbdBase(12, new BgNbdParameters(0.6, 3, 1.2, 3), 150, 0).Select(s => s.Calibration)];

    private static double LogDistance(BgNbdParameters a, BgNbdParameters b) =>
        Math.Abs(Math.Log(a.R / b.R)) + Math.Abs(Math.Log(a.Alpha / b.Alpha)) + Math.Abs(Math.Log(a.A / b.A)) + Math.Abs(Math.Log(a.B / b.B));

    [Fact]
    public void A_thin_group_is_pulled_toward_the_pooled_fit_and_says_how_much()
    {
        var own = BgNbd.Fit(Thin);
        var pooled = BgNbd.Fit(Thin, Pooled);
        Assert.InRange(pooled.Summary.PooledWeight, 0.01, 0.99);
        Assert.True(LogDistance(pooled.Parameters, Pooled.Parameters) < LogDistance(own.Parameters, Pooled.Parameters));
        // The likelihood reported is the group's own, which the unpenalised fit maximises.
        Assert.Equal(BgNbd.LogLikelihood(Thin, pooled.Parameters), pooled.Summary.LogLikelihood, 9);
        Assert.True(pooled.Summary.LogLikelihood <= own.Summary.LogLikelihood);
    }

    [Fact]
    public void The_prior_scale_moves_the_estimate_from_the_pooled_fit_to_the_groups_own()
    {
        var own = BgNbd.Fit(Thin);
        var tight = BgNbd.Fit(Thin, Pooled, new PoolingRule(PriorScale: 0.001));
        var medium = BgNbd.Fit(Thin, Pooled, new PoolingRule(PriorScale: 0.5));
        var loose = BgNbd.Fit(Thin, Pooled, new PoolingRule(PriorScale: 1000));
        Assert.True(LogDistance(tight.Parameters, Pooled.Parameters) < 0.01);
        Assert.True(LogDistance(loose.Parameters, own.Parameters) < 0.01);
        Assert.True(tight.Summary.PooledWeight > medium.Summary.PooledWeight && medium.Summary.PooledWeight > loose.Summary.PooledWeight);
        Assert.True(tight.Summary.PooledWeight > 0.99 && loose.Summary.PooledWeight < 1e-3);
    }

    [Fact]
    public void A_group_at_the_threshold_is_fitted_on_its_own()
    {
        var own = BgNbd.Fit(Thin);
        var atThreshold = BgNbd.Fit(Thin, Pooled, new PoolingRule(MinCustomers: Thin.Length));
        Assert.Equal(own.Parameters, atThreshold.Parameters);
        Assert.Equal(0, atThreshold.Summary.PooledWeight);
        Assert.Equal("pooling.PriorScale", Assert.Throws<ArgumentException>(() => BgNbd.Fit(Thin, Pooled, new PoolingRule(PriorScale: 0))).ParamName);
    }

    [Fact]
    public void A_group_without_repeat_purchases_borrows_what_it_cannot_estimate()
    {
        RfmCustomer[] silent = [new(0, 0, 30, Weight: 20), new(0, 0, 50, Weight: 15)];
        Assert.Throws<ArgumentException>(() => BgNbd.Fit(silent));
        var fit = BgNbd.Fit(silent, Pooled);
        Assert.True(fit.Summary.PooledWeight > 0.5);
        Assert.True(fit.Summary.HasCovariance);
    }

    [Fact]
    public void Spend_and_subscription_groups_pool_the_same_way()
    {
        var spendPooled = GammaGamma.Fit([.. CustomerSimulation.SpendBase(21, new GammaGammaParameters(6, 4, 15), 3000, 1).Select(s => s.Customer)]);
        var spendThin = CustomerSimulation.SpendBase(22, new GammaGammaParameters(3, 5, 30), 60, 1).Select(s => s.Customer).ToArray();
        var spend = GammaGamma.Fit(spendThin, spendPooled);
        Assert.InRange(spend.Summary.PooledWeight, 0.01, 0.99);

        var rng = new SeededRandom(23);
        var subscriptionsPooled = ShiftedBetaGeometric.Fit([CustomerSimulation.Cohort(rng, new SbgParameters(0.7, 2.5), 3000, 12)]);
        var thinCohort = CustomerSimulation.Cohort(rng, new SbgParameters(1.5, 2), 80, 6);
        var subscriptions = ShiftedBetaGeometric.Fit([thinCohort], subscriptionsPooled);
        Assert.InRange(subscriptions.Summary.PooledWeight, 0.01, 0.99);
        Assert.Equal(0, ShiftedBetaGeometric.Fit([thinCohort], subscriptionsPooled, new PoolingRule(MinCustomers: 80)).Summary.PooledWeight);
    }
}
