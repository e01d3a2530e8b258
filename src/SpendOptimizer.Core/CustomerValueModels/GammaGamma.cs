using MathNet.Numerics;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>
/// Gamma–Gamma parameters (Fader &amp; Hardie 2013, "The Gamma-Gamma Model of Monetary Value"): a transaction's value is
/// Gamma(shape p, rate ν), and ν varies across customers as Gamma(shape q, rate gamma).
/// </summary>
public sealed record GammaGammaParameters(double P, double Q, double Gamma)
{
    internal double[] ToArray() => [P, Q, Gamma];

    internal void Check()
    {
        if (!(P > 0 && Q > 0 && Gamma > 0) || !double.IsFinite(P + Q + Gamma))
            throw new ArgumentException("p, q and gamma must be finite and > 0", "parameters");
    }
}

public sealed record GammaGammaFit(GammaGammaParameters Parameters, FitSummary Summary);

/// <summary>
/// The Gamma–Gamma spend model. Only customers with at least one repeat transaction carry information on it; customers
/// with Frequency 0 are skipped, so the same <see cref="RfmCustomer"/> list can feed both this model and BG/NBD.
/// </summary>
public static class GammaGamma
{
    public static IReadOnlyList<string> ParameterNames { get; } = ["p", "q", "gamma"];

    /// <summary>
    /// ln f(m_x | x) = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m_x + px ln x − (px+q) ln(γ + m_x x),
    /// the density of the mean of x repeat transaction values (Fader &amp; Hardie 2013, eq. 4).
    /// </summary>
    public static double LogLikelihood(IReadOnlyList<RfmCustomer> customers, GammaGammaParameters parameters)
    {
        parameters.Check();
        return new SpendData(Buyers(customers)).LogLikelihood(parameters.ToArray(), new double[3]);
    }

    public static GammaGammaFit Fit(IReadOnlyList<RfmCustomer> customers) => Fit(Buyers(customers), null);

    /// <summary>A group's fit, pulled toward <paramref name="pooled"/> when the group is thin (see <see cref="PoolingRule"/>).</summary>
    public static GammaGammaFit Fit(IReadOnlyList<RfmCustomer> customers, GammaGammaFit pooled, PoolingRule? rule = null)
    {
        ArgumentNullException.ThrowIfNull(pooled);
        var buyers = Buyers(customers);
        return Fit(buyers, (rule ?? PoolingRule.Default).PriorFor(buyers.Sum(c => c.Weight), pooled.Summary));
    }

    /// <summary>E[M | x, m_x] = (γ + m_x x) p / (p x + q − 1): a weighted average of the population mean and m_x.</summary>
    public static double ConditionalExpectedAverageValue(double frequency, double meanRepeatValue, GammaGammaParameters parameters)
    {
        parameters.Check();
        if (!(frequency >= 0) || double.IsInfinity(frequency)) throw new ArgumentException("must be a finite number ≥ 0", nameof(frequency));
        if (frequency > 0 && (!(meanRepeatValue > 0) || double.IsInfinity(meanRepeatValue)))
            throw new ArgumentException("must be a finite number > 0", nameof(meanRepeatValue));
        var (p, q, gamma) = parameters;
        if (frequency == 0) return ExpectedValue(parameters);
        return (gamma + meanRepeatValue * frequency) * p / (p * frequency + q - 1);
    }

    /// <summary>E[Z] = p·γ/(q − 1) for a new customer; +∞ when q ≤ 1 (the mixing leaves the mean undefined).</summary>
    public static double ExpectedValue(GammaGammaParameters parameters)
    {
        parameters.Check();
        return parameters.Q > 1 ? parameters.P * parameters.Gamma / (parameters.Q - 1) : double.PositiveInfinity;
    }

    private static GammaGammaFit Fit(List<RfmCustomer> buyers, LogPrior? prior)
    {
        var data = new SpendData(buyers);
        var start = prior is null ? data.StartValues() : [.. prior.Mean.Select(v => Math.Exp(v))];
        var summary = LogScaleFitter.Fit([.. ParameterNames], data.LogLikelihood, start, data.TotalWeight, prior);
        var e = summary.LogEstimate;
        return new GammaGammaFit(new GammaGammaParameters(Math.Exp(e[0]), Math.Exp(e[1]), Math.Exp(e[2])), summary);
    }

    private static List<RfmCustomer> Buyers(IReadOnlyList<RfmCustomer> customers)
    {
        RfmValidation.Check(customers);
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            if (c.Frequency > 0 && (!(c.MeanRepeatValue > 0) || double.IsInfinity(c.MeanRepeatValue)))
                throw new ArgumentException("must be a finite number > 0 when Frequency > 0", $"customers[{i}].MeanRepeatValue");
        }
        var buyers = customers.Where(c => c.Frequency > 0).ToList();
        if (buyers.Count == 0)
            throw new ArgumentException("no customer has a repeat transaction, so spend cannot be fitted", nameof(customers));
        return buyers;
    }

    /// <summary>Buyers with the gamma functions of px computed once per distinct x and each buyer's logs once.</summary>
    private sealed class SpendData
    {
        private readonly double[] _x, _m, _w, _lnM, _lnX;
        private readonly int[] _group;
        private readonly double[] _groupX, _groupW;
        private readonly double[] _lg, _psi, _psiQ;

        public SpendData(List<RfmCustomer> buyers)
        {
            _x = [.. buyers.Select(c => c.Frequency)];
            _m = [.. buyers.Select(c => c.MeanRepeatValue)];
            _w = [.. buyers.Select(c => c.Weight)];
            _lnM = [.. _m.Select(v => Math.Log(v))];
            _lnX = [.. _x.Select(v => Math.Log(v))];
            _groupX = [.. _x.Distinct().Order()];
            _group = [.. _x.Select(v => Array.BinarySearch(_groupX, v))];
            _groupW = new double[_groupX.Length];
            for (var i = 0; i < _x.Length; i++) _groupW[_group[i]] += _w[i];
            _lg = new double[_groupX.Length];
            _psi = new double[_groupX.Length];
            _psiQ = new double[_groupX.Length];
            TotalWeight = _w.Sum();
        }

        public double TotalWeight { get; }

        /// <summary>p = 1, q = 3 and gamma so that p·γ/(q−1) is the mean of the observed mean values.</summary>
        public double[] StartValues()
        {
            var mean = 0.0;
            for (var i = 0; i < _m.Length; i++) mean += _w[i] * _m[i];
            return [1, 3, 2 * mean / TotalWeight];
        }

        public double LogLikelihood(double[] parameters, double[] gradient)
        {
            double p = parameters[0], q = parameters[1], gamma = parameters[2];
            var lgQ = SpecialFunctions.GammaLn(q);
            var psiQ = SpecialFunctions.DiGamma(q);
            var lnGamma = Math.Log(gamma);
            double ll = 0, gp = 0, gq = 0, gg = 0;
            for (var j = 0; j < _groupX.Length; j++)
            {
                var px = p * _groupX[j];
                var psiPxq = SpecialFunctions.DiGamma(px + q);
                _lg[j] = SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px);
                _psi[j] = psiPxq - SpecialFunctions.DiGamma(px);
                _psiQ[j] = psiPxq - psiQ;
                ll += _groupW[j] * (_lg[j] - lgQ + q * lnGamma);
                gp += _groupW[j] * _groupX[j] * _psi[j];
                gq += _groupW[j] * (_psiQ[j] + lnGamma);
            }
            for (var i = 0; i < _x.Length; i++)
            {
                double x = _x[i], m = _m[i], w = _w[i];
                var px = p * x;
                var den = gamma + m * x;
                var lnDen = Math.Log(den);
                ll += w * ((px - 1) * _lnM[i] + px * _lnX[i] - (px + q) * lnDen);
                gp += w * x * (_lnM[i] + _lnX[i] - lnDen);
                gq -= w * lnDen;
                gg += w * (q / gamma - (px + q) / den);
            }
            gradient[0] = gp;
            gradient[1] = gq;
            gradient[2] = gg;
            return ll;
        }
    }
}
