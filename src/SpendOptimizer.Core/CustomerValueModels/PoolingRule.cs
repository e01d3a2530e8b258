namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>
/// How a thin group borrows strength from the pooled fit. A group whose summed customer weight is below
/// <see cref="MinCustomers"/> is fitted by penalised likelihood: each log-parameter gets an independent normal prior
/// centred on the pooled fit's log-estimate with standard deviation <see cref="PriorScale"/> (0.5 on the log scale lets a
/// parameter move by a factor of about e^±1 at two sds). A group at or above the threshold is fitted on its own.
/// </summary>
public sealed record PoolingRule(double MinCustomers = PoolingRule.DefaultMinCustomers, double PriorScale = PoolingRule.DefaultPriorScale)
{
    public const double DefaultMinCustomers = 500;
    public const double DefaultPriorScale = 0.5;

    public static PoolingRule Default { get; } = new();

    internal LogPrior? PriorFor(double customers, FitSummary pooled)
    {
        if (!(MinCustomers >= 0) || double.IsInfinity(MinCustomers))
            throw new ArgumentException("must be a finite number ≥ 0", "pooling.MinCustomers");
        if (!(PriorScale > 0) || double.IsInfinity(PriorScale))
            throw new ArgumentException("must be a finite number > 0", "pooling.PriorScale");
        return customers < MinCustomers ? new LogPrior([.. pooled.LogEstimate], PriorScale) : null;
    }
}

internal sealed record LogPrior(double[] Mean, double Scale);
