namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>One fitted parameter on its natural scale.</summary>
/// <param name="StandardError">Delta method from the log scale: estimate × se(log estimate).</param>
/// <param name="Lower90">
/// exp(log estimate − 1.645 · se(log estimate)). The 90% interval is built on the log scale, where the fit is done and
/// the likelihood is closer to quadratic, and mapped back with exp: it is asymmetric and never reaches zero.
/// </param>
/// <param name="Upper90">exp(log estimate + 1.645 · se(log estimate)).</param>
public sealed record ParameterEstimate(string Name, double Estimate, double StandardError, double Lower90, double Upper90);

/// <summary>What every customer-value fit reports besides its typed parameters.</summary>
/// <param name="LogLikelihood">The model's log-likelihood at the estimate, without any pooling prior.</param>
/// <param name="Customers">The summed weight of the customers (or subscribers) that entered the fit.</param>
/// <param name="PooledWeight">
/// 0 when the group was fitted on its own. For a pooled fit, the prior's share of the precision averaged over the
/// parameters: mean over k of (1/τ²) / H_kk, with H the Hessian of the penalised negative log-likelihood on the log scale.
/// Near 1 the estimate is essentially the pooled one; near 0 the group's own data decide.
/// </param>
/// <param name="LogEstimate">The estimate of the log-parameters, in the order of <see cref="Parameters"/>.</param>
/// <param name="LogCovariance">Inverse observed information on the log scale; the basis of the SEs and of parameter draws.</param>
public sealed record FitSummary(
    IReadOnlyList<ParameterEstimate> Parameters,
    double LogLikelihood,
    double Customers,
    double PooledWeight,
    int Iterations,
    IReadOnlyList<double> LogEstimate,
    double[,] LogCovariance)
{
    public ParameterEstimate this[string name] => Parameters.First(p => p.Name == name);

    public bool HasCovariance => Parameters.All(p => double.IsFinite(p.StandardError));
}
