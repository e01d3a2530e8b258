namespace SpendOptimizer.Core.Response;

/// <summary>
/// Weekly response y_t = β·Hill(A_t; κ, α) to adstocked spend A_t = s_t + θ·A_{t−1}, Hill(A) = A^α / (A^α + κ^α).
/// Sustained weekly spend s settles at A = s / (1 − θ), so the steady-state response is g(s) = β·Hill(s / (1 − θ)).
/// </summary>
public sealed record HillAdstock(double Theta, double Alpha, double Kappa, double Beta)
{
    public double Hill(double adstock) => adstock <= 0 ? 0 : 1 / (1 + Math.Pow(Kappa / adstock, Alpha));

    public double SteadyState(double weeklySpend) => Beta * Hill(weeklySpend / (1 - Theta));

    /// <summary>dg/ds: the extra weekly response of one more unit of sustained weekly spend.</summary>
    public double Marginal(double weeklySpend)
    {
        if (weeklySpend <= 0) return Alpha < 1 ? double.PositiveInfinity : Alpha == 1 ? Beta / (Kappa * (1 - Theta)) : 0;
        var a = weeklySpend / (1 - Theta);
        var h = Hill(a);
        return Beta * Alpha * h * (1 - h) / a / (1 - Theta);
    }

    /// <summary>The response each week to a spend series, the adstock starting at the first week's steady state.</summary>
    public double[] Predict(IReadOnlyList<double> spend)
    {
        var y = new double[spend.Count];
        if (spend.Count == 0) return y;
        var adstock = spend[0] / (1 - Theta);
        for (var t = 0; t < spend.Count; t++)
        {
            adstock = t == 0 ? adstock : spend[t] + Theta * adstock;
            y[t] = Beta * Hill(adstock);
        }
        return y;
    }

    /// <summary>Adstock series for given θ.</summary>
    public static double[] Adstock(IReadOnlyList<double> spend, double theta)
    {
        var a = new double[spend.Count];
        if (spend.Count == 0) return a;
        a[0] = spend[0] / (1 - theta);
        for (var t = 1; t < spend.Count; t++) a[t] = spend[t] + theta * a[t - 1];
        return a;
    }
}
