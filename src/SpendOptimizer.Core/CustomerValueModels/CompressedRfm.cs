using MathNet.Numerics;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>
/// Customers collapsed to unique (x, t_x, T) triples with summed weights, and the terms that depend on x alone
/// (the gamma functions and digammas) computed once per distinct x, so an evaluation costs a few logs per triple.
/// </summary>
internal sealed class CompressedRfm
{
    private readonly double[] _x, _tx, _t, _w;
    private readonly double[] _distinctX, _distinctW;

    public CompressedRfm(IReadOnlyList<RfmCustomer> customers)
    {
        var triples = new Dictionary<(double, double, double), double>();
        var byX = new SortedDictionary<double, double>();
        foreach (var c in customers)
        {
            var key = (c.Frequency, c.Frequency == 0 ? 0 : c.Recency, c.Age);
            triples[key] = triples.GetValueOrDefault(key) + c.Weight;
            byX[c.Frequency] = byX.GetValueOrDefault(c.Frequency) + c.Weight;
        }
        _x = [.. triples.Keys.Select(k => k.Item1)];
        _tx = [.. triples.Keys.Select(k => k.Item2)];
        _t = [.. triples.Keys.Select(k => k.Item3)];
        _w = [.. triples.Values];
        _distinctX = [.. byX.Keys];
        _distinctW = [.. byX.Values];
        TotalWeight = _w.Sum();
    }

    public double TotalWeight { get; }

    public int Triples => _x.Length;

    /// <summary>r = 1 and a = 1, b = 3; alpha so that the mean purchase rate 1/alpha matches the observed repeat rate.</summary>
    public double[] StartValues()
    {
        double sx = 0, st = 0;
        for (var i = 0; i < _x.Length; i++)
        {
            sx += _w[i] * _x[i];
            st += _w[i] * _t[i];
        }
        return [1, Math.Max(st / Math.Max(sx, 1e-3 * TotalWeight), 1e-6), 1, 3];
    }

    public double LogLikelihood(double[] p, double[] gradient)
    {
        double r = p[0], alpha = p[1], a = p[2], b = p[3];
        double gr = 0, gAlpha = 0, ga = 0, gb = 0, ll = 0;

        var lnAlpha = Math.Log(alpha);
        var lgR = SpecialFunctions.GammaLn(r);
        var psiR = SpecialFunctions.DiGamma(r);
        var lgAb = SpecialFunctions.GammaLn(a + b);
        var psiAb = SpecialFunctions.DiGamma(a + b);
        var lgB = SpecialFunctions.GammaLn(b);
        var psiB = SpecialFunctions.DiGamma(b);
        for (var j = 0; j < _distinctX.Length; j++)
        {
            var x = _distinctX[j];
            var w = _distinctW[j];
            ll += w * (SpecialFunctions.GammaLn(r + x) - lgR + r * lnAlpha
                       + lgAb + SpecialFunctions.GammaLn(b + x) - lgB - SpecialFunctions.GammaLn(a + b + x));
            var psiAbx = SpecialFunctions.DiGamma(a + b + x);
            gr += w * (SpecialFunctions.DiGamma(r + x) - psiR + lnAlpha);
            gAlpha += w * r / alpha;
            ga += w * (psiAb - psiAbx);
            gb += w * (psiAb + SpecialFunctions.DiGamma(b + x) - psiB - psiAbx);
        }

        var lnA = Math.Log(a);
        for (var i = 0; i < _x.Length; i++)
        {
            var x = _x[i];
            var w = _w[i];
            var lnT = Math.Log(alpha + _t[i]);
            var a3 = -(r + x) * lnT;
            if (x == 0)
            {
                ll += w * a3;
                gr -= w * lnT;
                gAlpha -= w * r / (alpha + _t[i]);
                continue;
            }
            var lnTx = Math.Log(alpha + _tx[i]);
            var a4 = lnA - Math.Log(b + x - 1) - (r + x) * lnTx;
            var m = Math.Max(a3, a4);
            var log = m + Math.Log(Math.Exp(a3 - m) + Math.Exp(a4 - m));
            var w3 = Math.Exp(a3 - log);
            var w4 = Math.Exp(a4 - log);
            ll += w * log;
            gr -= w * (w3 * lnT + w4 * lnTx);
            gAlpha -= w * (r + x) * (w3 / (alpha + _t[i]) + w4 / (alpha + _tx[i]));
            ga += w * w4 / a;
            gb -= w * w4 / (b + x - 1);
        }

        gradient[0] = gr;
        gradient[1] = gAlpha;
        gradient[2] = ga;
        gradient[3] = gb;
        return ll;
    }
}
