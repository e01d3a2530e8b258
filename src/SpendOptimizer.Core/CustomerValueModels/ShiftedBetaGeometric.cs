using MathNet.Numerics;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>
/// A cohort of subscribers by period: Survivors[0] is the number acquired, Survivors[t] the number still active after
/// t renewal opportunities (t = 1 … n). Those lost in period t are Survivors[t−1] − Survivors[t]; the Survivors[n]
/// still active at the end are right-censored.
/// </summary>
public sealed record SubscriptionCohort(IReadOnlyList<double> Survivors);

/// <summary>sBG parameters: each subscriber's churn probability θ per period is Beta(alpha, beta).</summary>
public sealed record SbgParameters(double Alpha, double Beta)
{
    internal void Check()
    {
        if (!(Alpha > 0 && Beta > 0) || !double.IsFinite(Alpha + Beta))
            throw new ArgumentException("alpha and beta must be finite and > 0", "parameters");
    }
}

public sealed record SbgFit(SbgParameters Parameters, FitSummary Summary);

/// <summary>
/// The shifted-beta-geometric model of contractual retention (Fader &amp; Hardie 2007, "How to project customer retention"):
/// P(T = t) = B(α+1, β+t−1)/B(α, β), S(t) = B(α, β+t)/B(α, β), r(t) = (β+t−1)/(α+β+t−1).
/// </summary>
public static class ShiftedBetaGeometric
{
    public static IReadOnlyList<string> ParameterNames { get; } = ["alpha", "beta"];

    /// <summary>Σ over cohorts and periods of lost_t · ln P(T = t), plus survivors_n · ln S(n) for the censored.</summary>
    public static double LogLikelihood(IReadOnlyList<SubscriptionCohort> cohorts, SbgParameters parameters)
    {
        Check(cohorts);
        parameters.Check();
        return LogLikelihood(cohorts, [parameters.Alpha, parameters.Beta], new double[2]);
    }

    public static SbgFit Fit(IReadOnlyList<SubscriptionCohort> cohorts) => Fit(cohorts, null);

    /// <summary>A thin group's fit (by subscribers acquired) pulled toward <paramref name="pooled"/>, see <see cref="PoolingRule"/>.</summary>
    public static SbgFit Fit(IReadOnlyList<SubscriptionCohort> cohorts, SbgFit pooled, PoolingRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        Check(cohorts);
        return Fit(cohorts, (rule ?? PoolingRule.Default).PriorFor(cohorts.Sum(c => c.Survivors[0]), pooled.Summary));
    }

    /// <summary>S(t): the share of a new cohort still active after t periods.</summary>
    public static double Survival(double t, SbgParameters parameters)
    {
        parameters.Check();
        if (!(t >= 0) || double.IsInfinity(t)) throw new ArgumentException("must be a finite number ≥ 0", nameof(t));
        return Math.Exp(SpecialFunctions.BetaLn(parameters.Alpha, parameters.Beta + t) - SpecialFunctions.BetaLn(parameters.Alpha, parameters.Beta));
    }

    /// <summary>
    /// Of <paramref name="alive"/> subscribers of one cohort still active after <paramref name="n"/> periods, those expected
    /// still active after <paramref name="m"/> ≥ n: alive · S(m) / S(n), the survivors' churn rates being the posterior ones.
    /// </summary>
    public static double ExpectedSurvivors(double alive, int n, int m, SbgParameters parameters)
    {
        if (n < 0 || m < n) throw new ArgumentException($"needs 0 ≤ n ≤ m, not n = {n}, m = {m}");
        parameters.Check();
        return alive * Math.Exp(SpecialFunctions.BetaLn(parameters.Alpha, parameters.Beta + m) - SpecialFunctions.BetaLn(parameters.Alpha, parameters.Beta + n));
    }

    /// <summary>r(t) = S(t)/S(t−1) = (β+t−1)/(α+β+t−1) for t ≥ 1: retention rises with tenure as churn-prone subscribers leave.</summary>
    public static double Retention(double t, SbgParameters parameters)
    {
        parameters.Check();
        if (!(t >= 1) || double.IsInfinity(t)) throw new ArgumentException("must be a finite number ≥ 1", nameof(t));
        return (parameters.Beta + t - 1) / (parameters.Alpha + parameters.Beta + t - 1);
    }

    private static SbgFit Fit(IReadOnlyList<SubscriptionCohort> cohorts, LogPrior? prior)
    {
        Check(cohorts);
        if (prior is null && cohorts.All(c => c.Survivors[^1] == c.Survivors[0]))
            throw new ArgumentException("no subscriber has churned, so the model cannot be fitted", nameof(cohorts));
        var weight = cohorts.Sum(c => c.Survivors[0]);
        double[] start = prior is null ? [1, 1] : [.. prior.Mean.Select(v => Math.Exp(v))];
        var summary = LogScaleFitter.Fit([.. ParameterNames], (p, g) => LogLikelihood(cohorts, p, g), start, weight, prior);
        return new SbgFit(new SbgParameters(Math.Exp(summary.LogEstimate[0]), Math.Exp(summary.LogEstimate[1])), summary);
    }

    private static double LogLikelihood(IReadOnlyList<SubscriptionCohort> cohorts, double[] p, double[] gradient)
    {
        double alpha = p[0], beta = p[1];
        var lbAb = SpecialFunctions.BetaLn(alpha, beta);
        var psiA = SpecialFunctions.DiGamma(alpha);
        var psiA1 = SpecialFunctions.DiGamma(alpha + 1);
        var psiB = SpecialFunctions.DiGamma(beta);
        var psiAb = SpecialFunctions.DiGamma(alpha + beta);
        double ll = 0, ga = 0, gb = 0;
        foreach (var cohort in cohorts)
        {
            var s = cohort.Survivors;
            for (var t = 1; t < s.Count; t++)
            {
                var lost = s[t - 1] - s[t];
                if (lost == 0) continue;
                var psiAbt = SpecialFunctions.DiGamma(alpha + beta + t);
                ll += lost * (SpecialFunctions.BetaLn(alpha + 1, beta + t - 1) - lbAb);
                ga += lost * (psiA1 - psiAbt - psiA + psiAb);
                gb += lost * (SpecialFunctions.DiGamma(beta + t - 1) - psiAbt - psiB + psiAb);
            }
            var n = s.Count - 1;
            var censored = s[n];
            if (censored == 0) continue;
            var psiAbn = SpecialFunctions.DiGamma(alpha + beta + n);
            ll += censored * (SpecialFunctions.BetaLn(alpha, beta + n) - lbAb);
            ga += censored * (psiAb - psiAbn);
            gb += censored * (SpecialFunctions.DiGamma(beta + n) - psiAbn - psiB + psiAb);
        }
        gradient[0] = ga;
        gradient[1] = gb;
        return ll;
    }

    private static void Check(IReadOnlyList<SubscriptionCohort> cohorts)
    {
        ArgumentNullException.ThrowIfNull(cohorts);
        if (cohorts.Count == 0) throw new ArgumentException("at least one cohort is needed", nameof(cohorts));
        for (var i = 0; i < cohorts.Count; i++)
        {
            var s = cohorts[i]?.Survivors ?? throw new ArgumentException("a cohort is missing", $"cohorts[{i}].Survivors");
            if (s.Count < 2) throw new ArgumentException("needs the acquired count and at least one later period", $"cohorts[{i}].Survivors");
            if (!(s[0] > 0) || double.IsInfinity(s[0])) throw new ArgumentException("must be a finite number > 0", $"cohorts[{i}].Survivors[0]");
            for (var t = 1; t < s.Count; t++)
                if (!(s[t] >= 0) || s[t] > s[t - 1])
                    throw new ArgumentException("must be ≥ 0 and no more than the period before", $"cohorts[{i}].Survivors[{t}]");
        }
    }
}
