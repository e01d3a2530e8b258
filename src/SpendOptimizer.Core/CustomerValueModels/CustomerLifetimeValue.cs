using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Core.CustomerValueModels;

/// <summary>
/// CLV of a new transactional customer over <see cref="HorizonMonths"/>. TimeUnitsPerMonth converts months into the time
/// unit the BG/NBD model was fitted in (4.345 for weeks, 30.44 for days, 1 for months).
/// </summary>
/// <param name="IncludeAcquisitionOrder">
/// Whether the first purchase counts. It does by default: the acquisition order is revenue the customer brings, and a
/// budget decision on acquiring the customer must weigh it. It is valued at the Gamma–Gamma mean p·γ/(q−1) and not
/// discounted (it happens at month 0).
/// </param>
public sealed record TransactionalClvSettings(int HorizonMonths, double AnnualDiscountRate, double MarginShare, double TimeUnitsPerMonth,
    bool IncludeAcquisitionOrder = true);

/// <summary>CLV of a new subscriber paying MonthlyRevenue at the start of each month they are active; sBG periods are months.</summary>
public sealed record SubscriptionClvSettings(int HorizonMonths, double AnnualDiscountRate, double MarginShare, double MonthlyRevenue);

/// <summary>The CLV at the MLE, the 5/50/95% points of the CLV over parameter draws, and the draws themselves.</summary>
public sealed record ClvEstimate(double PointEstimate, double Lower90, double Median, double Upper90, IReadOnlyList<double> Draws);

/// <summary>Expected discounted margin of a new customer; months are discounted at (1 + d)^(m/12) for annual rate d.</summary>
public static class CustomerLifetimeValue
{
    public const int DefaultDraws = 1000;

    /// <summary>
    /// Σ_{m=1..H} (E[X(m·u)] − E[X((m−1)·u)]) · E[Z] · margin / (1+d)^(m/12), plus E[Z] · margin for the acquisition order
    /// when included; E[X(t)] is BG/NBD's expectation for a new customer and E[Z] = p·γ/(q−1). Repeat purchases of
    /// month m are discounted from the month's end. +∞ when q ≤ 1.
    /// </summary>
    public static double Transactional(BgNbdParameters transactions, GammaGammaParameters spend, TransactionalClvSettings settings)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(spend);
        Check(settings);
        var value = GammaGamma.ExpectedValue(spend) * settings.MarginShare;
        if (double.IsInfinity(value)) return value;
        var total = settings.IncludeAcquisitionOrder ? value : 0;
        var before = 0.0;
        for (var m = 1; m <= settings.HorizonMonths; m++)
        {
            var cumulative = BgNbd.ExpectedTransactions(m * settings.TimeUnitsPerMonth, transactions);
            total += (cumulative - before) * value / Math.Pow(1 + settings.AnnualDiscountRate, m / 12.0);
            before = cumulative;
        }
        return total;
    }

    /// <summary>
    /// The point CLV and its spread over <paramref name="draws"/> joint draws of both fits' parameters (each from its own
    /// log-scale normal approximation, see <see cref="ParameterDraws"/>), seeded by <paramref name="seed"/>.
    /// </summary>
    public static ClvEstimate Transactional(BgNbdFit transactions, GammaGammaFit spend, TransactionalClvSettings settings,
        int draws = DefaultDraws, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(spend);
        Check(settings);
        var random = new SeededRandom(seed);
        var t = ParameterDraws.Draw(transactions.Summary, draws, random);
        var s = ParameterDraws.Draw(spend.Summary, draws, random);
        var values = new double[draws];
        for (var i = 0; i < draws; i++)
            values[i] = Transactional(BgNbdParameters.From(t[i]), new GammaGammaParameters(s[i][0], s[i][1], s[i][2]), settings);
        return Summarise(Transactional(transactions.Parameters, spend.Parameters, settings), values);
    }

    /// <summary>Σ_{m=0..H−1} MonthlyRevenue · margin · S(m) / (1+d)^(m/12): the first month's payment is made on acquisition.</summary>
    public static double Subscription(SbgParameters retention, SubscriptionClvSettings settings)
    {
        ArgumentNullException.ThrowIfNull(retention);
        Check(settings);
        var total = 0.0;
        for (var m = 0; m < settings.HorizonMonths; m++)
            total += settings.MonthlyRevenue * settings.MarginShare * ShiftedBetaGeometric.Survival(m, retention)
                     / Math.Pow(1 + settings.AnnualDiscountRate, m / 12.0);
        return total;
    }

    public static ClvEstimate Subscription(SbgFit retention, SubscriptionClvSettings settings, int draws = DefaultDraws, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(retention);
        Check(settings);
        var d = ParameterDraws.Draw(retention.Summary, draws, new SeededRandom(seed));
        var values = d.Select(p => Subscription(new SbgParameters(p[0], p[1]), settings)).ToArray();
        return Summarise(Subscription(retention.Parameters, settings), values);
    }

    private static ClvEstimate Summarise(double point, double[] values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return new ClvEstimate(point, Quantile(sorted, 0.05), Quantile(sorted, 0.5), Quantile(sorted, 0.95), values);
    }

    /// <summary>Linear interpolation between order statistics (the "type 7" quantile of R and NumPy).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var h = (sorted.Length - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        if (double.IsInfinity(sorted[hi])) return sorted[hi];
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static void Check(TransactionalClvSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        CheckCommon(s.HorizonMonths, s.AnnualDiscountRate, s.MarginShare);
        if (!(s.TimeUnitsPerMonth > 0) || double.IsInfinity(s.TimeUnitsPerMonth))
            throw new ArgumentException("must be a finite number > 0", "settings.TimeUnitsPerMonth");
    }

    private static void Check(SubscriptionClvSettings s)
    {
        ArgumentNullException.ThrowIfNull(s);
        CheckCommon(s.HorizonMonths, s.AnnualDiscountRate, s.MarginShare);
        if (!(s.MonthlyRevenue >= 0) || double.IsInfinity(s.MonthlyRevenue))
            throw new ArgumentException("must be a finite number ≥ 0", "settings.MonthlyRevenue");
    }

    private static void CheckCommon(int horizonMonths, double discount, double margin)
    {
        if (horizonMonths < 1 || horizonMonths > 1200) throw new ArgumentException("must be between 1 and 1200", "settings.HorizonMonths");
        if (!(discount > -1) || double.IsInfinity(discount)) throw new ArgumentException("must be a finite number > −1", "settings.AnnualDiscountRate");
        if (!(margin >= 0 && margin <= 1)) throw new ArgumentException("must lie between 0 and 1", "settings.MarginShare");
    }
}
