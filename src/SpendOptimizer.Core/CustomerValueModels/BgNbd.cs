using MathNet.Numerics;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>BG/NBD parameters (Fader, Hardie &amp; Lee 2005): λ ~ Gamma(shape r, rate alpha), p ~ Beta(a, b).</summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B)
{
    internal double[] ToArray() => [R, Alpha, A, B];

    internal static BgNbdParameters From(IReadOnlyList<double> v) => new(v[0], v[1], v[2], v[3]);

    internal void Check()
    {
        if (!(R > 0 && Alpha > 0 && A > 0 && B > 0) || !double.IsFinite(R + Alpha + A + B))
            throw new ArgumentException("r, alpha, a and b must be finite and > 0", "parameters");
    }
}

public sealed record BgNbdFit(BgNbdParameters Parameters, FitSummary Summary);

/// <summary>
/// The beta-geometric/negative-binomial model of repeat buying (Fader, Hardie &amp; Lee 2005, "Counting your customers
/// the easy way"): while alive a customer buys at Poisson rate λ; after each repeat purchase they drop out with
/// probability p; λ and p vary across customers as Gamma(r, alpha) and Beta(a, b).
/// </summary>
public static class BgNbd
{
    public static IReadOnlyList<string> ParameterNames { get; } = ["r", "alpha", "a", "b"];

    /// <summary>
    /// ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
    ///        + ln[ (α+T)^−(r+x) + δ_{x&gt;0} · a/(b+x−1) · (α+t_x)^−(r+x) ]   (FHL 2005, eq. 6).
    /// </summary>
    public static double IndividualLogLikelihood(double frequency, double recency, double age, BgNbdParameters parameters)
    {
        parameters.Check();
        var data = new CompressedRfm([new RfmCustomer(frequency, recency, age)]);
        return data.LogLikelihood(parameters.ToArray(), new double[4]);
    }

    public static double LogLikelihood(IReadOnlyList<RfmCustomer> customers, BgNbdParameters parameters)
    {
        RfmValidation.Check(customers);
        parameters.Check();
        return new CompressedRfm(customers).LogLikelihood(parameters.ToArray(), new double[4]);
    }

    /// <summary>Maximum likelihood for the whole base; identical (x, t_x, T) triples are fitted once with their summed weight.</summary>
    public static BgNbdFit Fit(IReadOnlyList<RfmCustomer> customers) => Fit(customers, null);

    /// <summary>
    /// Fits a group; when its summed weight is below <paramref name="rule"/>'s threshold, with a prior centred on
    /// <paramref name="pooled"/> (see <see cref="PoolingRule"/>).
    /// </summary>
    public static BgNbdFit Fit(IReadOnlyList<RfmCustomer> customers, BgNbdFit pooled, PoolingRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        RfmValidation.Check(customers);
        return Fit(customers, (rule ?? PoolingRule.Default).PriorFor(customers.Sum(c => c.Weight), pooled.Summary));
    }

    private static BgNbdFit Fit(IReadOnlyList<RfmCustomer> customers, LogPrior? prior)
    {
        RfmValidation.Check(customers);
        if (prior is null && customers.All(c => c.Frequency == 0))
            throw new ArgumentException("no customer has a repeat transaction, so the model cannot be fitted", nameof(customers));
        var data = new CompressedRfm(customers);
        var start = prior is null ? data.StartValues() : [.. prior.Mean.Select(v => Math.Exp(v))];
        var summary = LogScaleFitter.Fit([.. ParameterNames], data.LogLikelihood, start, data.TotalWeight, prior);
        return new BgNbdFit(BgNbdParameters.From(summary.LogEstimate.Select(v => Math.Exp(v)).ToArray()), summary);
    }

    /// <summary>P(alive | x, t_x, T) = 1 / (1 + δ_{x&gt;0} · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).</summary>
    public static double ProbabilityAlive(double frequency, double recency, double age, BgNbdParameters parameters)
    {
        CheckHistory(frequency, recency, age);
        parameters.Check();
        if (frequency == 0) return 1;
        var (r, alpha, a, b) = parameters;
        var logOdds = Math.Log(a / (b + frequency - 1)) + (r + frequency) * Math.Log((alpha + age) / (alpha + recency));
        return 1 / (1 + Math.Exp(logOdds));
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T]: expected repeat transactions in (T, T+t] for a customer with that history (FHL 2005, eq. 10):
    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))] · P(alive | x, t_x, T)
    /// (the denominator of eq. 10 is 1/P(alive)). Alive, the customer's λ is Gamma(r+x, α+T) and p is Beta(a, b+x), so where that
    /// form is unusable (a+b+x ≤ 2.01: ₂F₁'s third argument at or below 0 for a customer without repeats when a+b &lt; 1; or a within
    /// 0.01 of its removable pole at 1) the same expectation is integrated over p (<see cref="OverDropout"/>).
    /// </summary>
    public static double ConditionalExpectedTransactions(double t, double frequency, double recency, double age, BgNbdParameters parameters)
    {
        if (!(t >= 0) || double.IsInfinity(t)) throw new ArgumentException("must be a finite number ≥ 0", nameof(t));
        var alive = ProbabilityAlive(frequency, recency, age, parameters);
        if (t == 0) return 0;
        var (r, alpha, a, b) = parameters;
        var x = frequency;
        if (a + b + x <= 2.01 || Math.Abs(a - 1) < 0.01) return OverDropout(t, r + x, alpha + age, a, b + x) * alive;
        var z = t / (alpha + age + t);
        var lead = Math.Exp((r + x) * Math.Log((alpha + age) / (alpha + age + t)));
        var f = Hypergeometric.Gauss2F1(r + x, b + x, a + b + x - 1, z);
        return (a + b + x - 1) / (a - 1) * (1 - lead * f) * alive;
    }

    /// <summary>
    /// E[X(t)] for a customer just acquired (FHL 2005, eq. 9):
    /// (a+b−1)/(a−1) · [1 − (α/(α+t))^r · ₂F₁(r, b; a+b−1; t/(α+t))].
    /// Where that form is unusable (a+b ≤ 1.01, or a within 0.01 of 1) the same expectation is integrated over p (<see cref="OverDropout"/>).
    /// </summary>
    public static double ExpectedTransactions(double t, BgNbdParameters parameters)
    {
        if (!(t >= 0) || double.IsInfinity(t)) throw new ArgumentException("must be a finite number ≥ 0", nameof(t));
        parameters.Check();
        if (t == 0) return 0;
        var (r, alpha, a, b) = parameters;
        if (a + b <= 1.01 || Math.Abs(a - 1) < 0.01) return OverDropout(t, r, alpha, a, b);
        var z = t / (alpha + t);
        var lead = Math.Exp(r * Math.Log(alpha / (alpha + t)));
        return (a + b - 1) / (a - 1) * (1 - lead * Hypergeometric.Gauss2F1(r, b, a + b - 1, z));
    }

    /// <summary>
    /// Expected transactions in a window of length t for a customer alive with λ ~ Gamma(shape, scale) and p ~ Beta(a, b):
    /// ∫ (1 − (scale/(scale + p t))^shape) / p · Beta(p; a, b) dp, finite for every a, b &gt; 0.
    /// </summary>
    private static double OverDropout(double t, double shape, double scale, double a, double b)
    {
        var logBeta = SpecialFunctions.BetaLn(a, b);
        // 1 − (1 + p t/scale)^(−shape), over p: near p = 0 it is shape·t/scale·p, so no digits are lost to cancellation.
        double Window(double p)
        {
            var x = p * t / scale;
            var log1p = x < 1e-5 ? x * (1 - x * (0.5 - x / 3)) : Math.Log(1 + x);
            return -SpecialFunctions.Expm1(-shape * log1p) / p;
        }
        // Beta(a, b) is singular at p = 0 when a < 1 and at p = 1 when b < 1: p = w^(1/a) on [0, ½] and 1 − p = v^(1/b) on [½, 1]
        // take p^(a−1) dp = dw/a and (1−p)^(b−1) dp = dv/b, leaving smooth integrands.
        var low = MathNet.Numerics.Integrate.DoubleExponential(w =>
        {
            var p = Math.Pow(w, 1 / a);
            return p <= 0 ? 0 : Window(p) * Math.Exp((b - 1) * Math.Log(1 - p) - logBeta) / a;
        }, 0, Math.Pow(0.5, a), 1e-13);
        var high = MathNet.Numerics.Integrate.DoubleExponential(v =>
        {
            var q = Math.Pow(v, 1 / b);
            return q >= 1 ? 0 : Window(1 - q) * Math.Exp((a - 1) * Math.Log(1 - q) - logBeta) / b;
        }, 0, Math.Pow(0.5, b), 1e-13);
        return low + high;
    }

    private static void CheckHistory(double frequency, double recency, double age) =>
        RfmValidation.Check([new RfmCustomer(frequency, recency, age)]);
}
