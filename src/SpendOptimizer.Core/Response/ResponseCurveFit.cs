using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace SpendOptimizer.Core.Response;

/// <summary>Bounds and weak priors of the curve's parameters; priors enter as penalties, like normal priors in MAP.</summary>
/// <param name="KappaRatio">Prior on κ / median adstock, lognormal (mean and sd of its log).</param>
public sealed record CurvePriors(
    double ThetaMin = 0, double ThetaMax = 0.9, double ThetaMean = 0.3, double ThetaSd = 0.2,
    double AlphaMin = 0.5, double AlphaMax = 3, double AlphaMean = 1.2, double AlphaSd = 0.6,
    double KappaRatioLogMean = 0, double KappaRatioLogSd = 1,
    int MinWeeks = 26, double MinSpendCv = 0.1);

/// <summary>A parameter's estimate with its sd and 90% interval (normal approximation at the optimum).</summary>
public sealed record ParameterEstimate(double Value, double Sd, double Lower90, double Upper90);

/// <summary>A fitted curve: the MAP parameters, how well they fit, how sure they are, and why not to trust them if so.</summary>
public sealed record CurveFit(
    HillAdstock Curve,
    ParameterEstimate Theta, ParameterEstimate Alpha, ParameterEstimate Kappa, ParameterEstimate Beta,
    double RSquared, double Mape, double ResidualSd, int Weeks, double MeanSpend, double SpendCv,
    int Evaluations, bool Converged, IReadOnlyList<string> Warnings,
    double[] Covariance)
{
    /// <summary>Curves drawn from the approximate posterior at the optimum; see <see cref="CurvePosterior"/>.</summary>
    public IReadOnlyList<HillAdstock> Draws(int count, int seed, CurvePriors? priors = null) =>
        CurvePosterior.Draw(Curve, Covariance, count, seed, priors);
}

/// <summary>
/// Fits θ, α, κ, β to weekly (spend, incremental response) by bounded nonlinear least squares with weak priors.
/// For fixed (θ, α, κ) the response is linear in β, so β is solved in closed form; a coarse grid over (θ, α, κ)
/// finds the basin and Nelder–Mead on transformed, bounded parameters polishes it. Uncertainty comes from the
/// Gauss–Newton curvature (JᵀJ/σ² plus prior precision) at the optimum. A demand index shared by all channels
/// (<see cref="DemandIndex"/>) multiplies the curve week by week when given.
/// </summary>
public static class ResponseCurveFit
{
    /// <summary>The fewest weeks a curve is fitted to.</summary>
    public const int MinWeeks = 3;

    /// <param name="demand">Each week's demand relative to an average week (null: 1 throughout): y_t ≈ d_t · β·Hill(A_t), so a
    /// season or a holiday moves the response without reading as a response to spend.</param>
    public static CurveFit Fit(IReadOnlyList<double> spend, IReadOnlyList<double> response, CurvePriors? priors = null,
        IReadOnlyList<double>? demand = null)
    {
        if (spend.Count != response.Count) throw new ArgumentException("spend and response need the same number of weeks");
        if (demand is not null && demand.Count != spend.Count) throw new ArgumentException("demand, when given, needs one value per week");
        if (spend.Any(s => s < 0 || !double.IsFinite(s)) || response.Any(y => !double.IsFinite(y)) || demand is not null && demand.Any(d => !(d > 0 && double.IsFinite(d))))
            throw new ArgumentException("spend must be finite and non-negative, response finite, demand finite and positive");
        var n = spend.Count;
        if (n < MinWeeks) throw new ArgumentException($"at least {MinWeeks} weeks are needed");
        var d = demand?.ToArray() ?? Enumerable.Repeat(1.0, spend.Count).ToArray();
        var p = priors ?? new CurvePriors();
        var y = response.ToArray();
        var medianSpend = Median(spend.Where(s => s > 0).DefaultIfEmpty(1).ToArray());
        var meanY = y.Average();
        var sst = y.Sum(v => (v - meanY) * (v - meanY));
        // Prior penalties are in units of the residual variance; start from a noise guess of 10% of mean response.
        var sigma2 = Math.Max(1e-12, Math.Pow(0.1 * Math.Abs(meanY), 2));
        var evaluations = 0;

        (double Objective, double Beta) Evaluate(double theta, double alpha, double kappa)
        {
            evaluations++;
            var a = HillAdstock.Adstock(spend, theta);
            double hy = 0, hh = 0;
            var h = new double[n];
            for (var t = 0; t < n; t++)
            {
                h[t] = a[t] <= 0 ? 0 : d[t] / (1 + Math.Pow(kappa / a[t], alpha));
                hy += h[t] * y[t];
                hh += h[t] * h[t];
            }
            var beta = hh > 0 ? Math.Max(1e-12, hy / hh) : 1e-12;
            double ssr = 0;
            for (var t = 0; t < n; t++) ssr += Math.Pow(y[t] - beta * h[t], 2);
            var medianAdstock = medianSpend / (1 - theta);
            var zt = (theta - p.ThetaMean) / p.ThetaSd;
            var za = (alpha - p.AlphaMean) / p.AlphaSd;
            var zk = (Math.Log(kappa / medianAdstock) - p.KappaRatioLogMean) / p.KappaRatioLogSd;
            return (ssr + sigma2 * (zt * zt + za * za + zk * zk), beta);
        }

        // Coarse grid for the basin.
        var best = (Objective: double.PositiveInfinity, Theta: 0.0, Alpha: 0.0, Kappa: 0.0);
        for (var ti = 0; ti <= 9; ti++)
        for (var ai = 0; ai <= 10; ai++)
        for (var ki = 0; ki <= 24; ki++)
        {
            var theta = p.ThetaMin + (p.ThetaMax - p.ThetaMin) * ti / 9;
            var alpha = p.AlphaMin + (p.AlphaMax - p.AlphaMin) * ai / 10;
            var kappa = medianSpend / (1 - theta) * Math.Exp(-3 + 6.0 * ki / 24);
            var (objective, _) = Evaluate(theta, alpha, kappa);
            if (objective < best.Objective) best = (objective, theta, alpha, kappa);
        }

        // Polish: unconstrained coordinates u map into the bounds through a logistic, κ through exp.
        double ToBound(double u, double lo, double hi) => lo + (hi - lo) / (1 + Math.Exp(-u));
        double FromBound(double v, double lo, double hi)
        {
            var x = Math.Clamp((v - lo) / (hi - lo), 1e-6, 1 - 1e-6);
            return Math.Log(x / (1 - x));
        }
        var start = Vector<double>.Build.DenseOfArray([FromBound(best.Theta, p.ThetaMin, p.ThetaMax), FromBound(best.Alpha, p.AlphaMin, p.AlphaMax), Math.Log(best.Kappa)]);
        var objectiveFunction = ObjectiveFunction.Value(u => Evaluate(ToBound(u[0], p.ThetaMin, p.ThetaMax), ToBound(u[1], p.AlphaMin, p.AlphaMax), Math.Exp(u[2])).Objective);
        var converged = true;
        Vector<double> u;
        try
        {
            var result = new NelderMeadSimplex(1e-10, 4000).FindMinimum(objectiveFunction, start, Vector<double>.Build.Dense(3, 0.3));
            u = result.MinimizingPoint;
        }
        catch (MaximumIterationsException)
        {
            converged = false;
            u = start;
        }
        var thetaHat = ToBound(u[0], p.ThetaMin, p.ThetaMax);
        var alphaHat = ToBound(u[1], p.AlphaMin, p.AlphaMax);
        var kappaHat = Math.Exp(u[2]);
        var betaHat = Evaluate(thetaHat, alphaHat, kappaHat).Beta;
        var curve = new HillAdstock(thetaHat, alphaHat, kappaHat, betaHat);

        var fitted = curve.Predict(spend).Select((v, t) => v * d[t]).ToArray();
        var ssr = y.Zip(fitted, (a, b) => (a - b) * (a - b)).Sum();
        var residualSd = Math.Sqrt(ssr / Math.Max(1, n - 4));
        var rSquared = sst > 0 ? 1 - ssr / sst : double.NaN;
        var positive = y.Select((v, t) => (v, t)).Where(x => x.v > 0).ToList();
        var mape = positive.Count > 0 ? positive.Average(x => Math.Abs(x.v - fitted[x.t]) / x.v) : double.NaN;

        var covariance = Covariance(spend, curve, residualSd, p, d);
        ParameterEstimate Estimate(double value, int i, bool log)
        {
            var sd = Math.Sqrt(Math.Max(0, covariance[i * 4 + i]));
            return log
                ? new ParameterEstimate(value, value * sd, value * Math.Exp(-1.645 * sd), value * Math.Exp(1.645 * sd))
                : new ParameterEstimate(value, sd, value - 1.645 * sd, value + 1.645 * sd);
        }

        var spendMean = spend.Average();
        var spendCv = spendMean > 0 ? Math.Sqrt(spend.Sum(s => (s - spendMean) * (s - spendMean)) / n) / spendMean : 0;
        var warnings = new List<string>();
        if (n < p.MinWeeks) warnings.Add($"only {n} weeks of data; at least {p.MinWeeks} are needed to identify a curve");
        if (spendCv < p.MinSpendCv) warnings.Add($"spend hardly varies (coefficient of variation {spendCv:F2} < {p.MinSpendCv}); the curve's shape comes mostly from the priors");
        if (thetaHat > p.ThetaMax - 0.01 || thetaHat < p.ThetaMin + 0.01) warnings.Add($"adstock θ = {thetaHat:F2} is at its bound");
        if (alphaHat > p.AlphaMax - 0.02 || alphaHat < p.AlphaMin + 0.02) warnings.Add($"shape α = {alphaHat:F2} is at its bound");
        if (!converged) warnings.Add("the optimiser stopped at its iteration limit");

        return new CurveFit(curve, Estimate(thetaHat, 0, false), Estimate(alphaHat, 1, false), Estimate(kappaHat, 2, true), Estimate(betaHat, 3, true),
            rSquared, mape, residualSd, n, spendMean, spendCv, evaluations, converged, warnings, covariance);
    }

    /// <summary>Covariance of (θ, α, ln κ, ln β): inverse of JᵀJ/σ² plus the priors' precision, J by central differences.</summary>
    private static double[] Covariance(IReadOnlyList<double> spend, HillAdstock c, double sd, CurvePriors p, double[] demand)
    {
        var x = new[] { c.Theta, c.Alpha, Math.Log(c.Kappa), Math.Log(c.Beta) };
        HillAdstock At(double[] v) => new(Math.Clamp(v[0], 0, 0.99), v[1], Math.Exp(v[2]), Math.Exp(v[3]));
        var n = spend.Count;
        var j = Matrix<double>.Build.Dense(n, 4);
        for (var k = 0; k < 4; k++)
        {
            var h = 1e-5 * Math.Max(1, Math.Abs(x[k]));
            var up = (double[])x.Clone();
            var down = (double[])x.Clone();
            up[k] += h;
            down[k] -= h;
            var yu = At(up).Predict(spend);
            var yd = At(down).Predict(spend);
            for (var t = 0; t < n; t++) j[t, k] = demand[t] * (yu[t] - yd[t]) / (2 * h);
        }
        var s2 = Math.Max(sd * sd, 1e-12);
        var info = j.TransposeThisAndMultiply(j) / s2;
        info[0, 0] += 1 / (p.ThetaSd * p.ThetaSd);
        info[1, 1] += 1 / (p.AlphaSd * p.AlphaSd);
        info[2, 2] += 1 / (p.KappaRatioLogSd * p.KappaRatioLogSd);
        info[3, 3] += 1e-6; // β is otherwise free; a tiny ridge keeps the matrix invertible
        var cov = info.Inverse();
        // Symmetrise against round-off before anyone takes a Cholesky factor.
        cov = (cov + cov.Transpose()) / 2;
        return cov.ToColumnMajorArray();
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }
}
