using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Observability;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.CustomerValueModels;
using SpendOptimizer.Core.Economics;
using SpendOptimizer.Core.Inputs;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// Fits the customer-value models on sufficient statistics PostgreSQL aggregates: the pooled fit over every customer
/// first, then each acquisition channel pulled toward it when thin (<see cref="PoolingRule.Default"/>); then the CLV of a
/// new customer, the holdout check and the frequency histogram per group. The answer is stored as sent.
/// </summary>
public sealed class CustomerValueService(CustomerValueStore store, TimeProvider clock)
{
    public const int ClvDraws = 1000;
    public const int FrequencyBins = 8;
    private const double DaysPerMonth = 365.25 / 12;

    /// <summary>The fit as stored, or errors by field; no data for the model is a 422 problem.</summary>
    public async Task<Outcome<CustomerValueFitResponse>> FitAsync(string ws, CustomerValueFitRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var model = Choice(request.Model, "model", errors, "bg_nbd", "bg_nbd", "sbg");
        var unit = Choice(request.TimeUnit, "time_unit", errors, model == "sbg" ? "month" : "week", "day", "week", "month", "year");
        if (model == "sbg" && unit != "month") errors["time_unit"] = ["sbg counts renewals in months: omit time_unit or send month"];
        var by = Choice(request.By, "by", errors, "acquisition_channel", "acquisition_channel", "none");
        var horizon = request.HorizonMonths ?? 36;
        if (horizon is < 1 or > 600) errors["horizon_months"] = ["must be a whole number of months from 1 to 600"];
        var discount = request.AnnualDiscountRate ?? 0.1;
        if (!(discount >= 0 && discount <= 1)) errors["annual_discount_rate"] = ["must lie between 0 and 1 (0.1 is 10% a year)"];
        if (request.Margin is { } m && !(m > 0 && m <= 1)) errors["margin"] = ["must be a share of revenue above 0 and at most 1"];
        if (errors.Count > 0) return new Outcome<CustomerValueFitResponse>.Invalid(errors);

        var orders = model == "bg_nbd";
        var dataEnd = await store.LastDayAsync(ws, orders, ct)
            ?? throw NoData(orders ? "The workspace has no orders: POST …/orders first." : "The workspace has no subscriptions: POST …/subscriptions first.");
        var end = request.CalibrationEnd ?? dataEnd;
        var byChannel = by == "acquisition_channel";
        var warnings = new List<string>();
        var (margin, marginSource) = await MarginAsync(ws, orders, end, request.Margin, warnings, ct);
        var draws = new List<(string? Group, IReadOnlyList<double> Draws)>();
        WorkProgress.Report(orders ? "summing each customer's orders" : "counting survivors", 0, null, "groups");
        var (pooled, groups) = orders
            ? Transactional(await store.RfmAsync(ws, end, byChannel, ct), end, dataEnd, unit,
                new TransactionalClvSettings(horizon, discount, margin, DaysPerMonth / DaysPer(unit)), draws)
            : Subscription(await store.SurvivorsAsync(ws, end, byChannel, ct),
                dataEnd > end ? new SubscriptionHoldout(end, dataEnd, await store.SurvivorsAsync(ws, dataEnd, byChannel, ct, acquiredBy: end)) : null,
                end, horizon, discount, margin, draws);
        // PostgreSQL keeps microseconds: the stored time must be the one list cursors carry.
        var now = clock.GetUtcNow();
        var fit = new CustomerValueFitResponse(Guid.CreateVersion7(), now.AddTicks(-(now.Ticks % 10)), model, unit, end, dataEnd, by, horizon, discount,
            margin, marginSource, warnings, pooled, groups);
        await store.SaveAsync(ws, request, fit, draws, ct);
        return fit;
    }

    /// <summary>
    /// The economics with each planned channel whose row says clv_source fitted given its own row, its CLV (as the override)
    /// the point CLV of its group in the fit the row names, else the newest fit; a channel with no group there (no customers)
    /// takes the pooled fit's. A missing fit, or a CLV the fit could not bound, goes into <paramref name="errors"/> by channel.
    /// </summary>
    public async Task<IReadOnlyList<UnitEconomics>> ResolveAsync(string ws, IReadOnlyList<UnitEconomics> rows, IEnumerable<string> channels,
        Dictionary<string, string[]> errors, CancellationToken ct) =>
        (await ResolveWithDrawsAsync(ws, rows, channels, errors, ct)).Rows;

    /// <summary>What <see cref="ResolveWithDrawsAsync"/> gives: the rows plans take, the fitted channels' CLV draws, and with
    /// withFitted each channel's CLV as the fit gives it, whatever its clv_source, to show beside the typed figure.</summary>
    public sealed record ResolvedEconomics(IReadOnlyList<UnitEconomics> Rows, IReadOnlyDictionary<string, double[]> Draws,
        IReadOnlyDictionary<string, CustomerValueClv> Fitted);

    /// <summary>
    /// As <see cref="ResolveAsync"/>, with each fitted channel's CLV draws from the group whose point CLV it took (none
    /// when the fit kept no draws for it: its CLV is then taken as known), and with <paramref name="withFitted"/> every
    /// channel's fitted CLV: from the fit its row names, else the newest; its own group's, else the pooled one (none without a fit).
    /// </summary>
    public async Task<ResolvedEconomics> ResolveWithDrawsAsync(string ws, IReadOnlyList<UnitEconomics> rows, IEnumerable<string> channels,
        Dictionary<string, string[]> errors, CancellationToken ct, bool withFitted = false)
    {
        var draws = new Dictionary<string, double[]>();
        var fitted = new Dictionary<string, CustomerValueClv>();
        if (!withFitted && rows.All(r => r.ClvSource != ClvSource.Fitted)) return new(rows, draws, fitted);
        var fitOf = Fits(ws, ct);
        var resolved = new List<UnitEconomics>(rows);
        foreach (var channel in channels)
        {
            var row = CustomerValue.For(channel, rows);
            var e = row is { ClvSource: ClvSource.Fitted } ? row : null;
            if (e is null && !withFitted) continue;
            var fit = await fitOf(e?.ClvFitId);
            if (withFitted && fit is not null) fitted[channel] = GroupOf(fit, channel).Clv;
            if (e is null) continue;
            if (fit is null)
            {
                errors[$"economics.{channel}"] = [e.ClvFitId is { } missing
                    ? $"clv_source fitted names customer-value fit {missing}, which the workspace does not have"
                    : "clv_source fitted, but there is no customer-value fit yet: POST …/customer-value/fit first"];
                continue;
            }
            var group = GroupOf(fit, channel);
            if (group.Clv.Point is not { } clv)
            {
                errors[$"economics.{channel}"] = [$"customer-value fit {fit.Id} has no finite CLV for '{group.Group ?? "pooled"}'; fit again or type the CLV"];
                continue;
            }
            resolved.RemoveAll(r => r.Channel == channel);
            resolved.Add(e with { Channel = channel, ClvOverride = clv, ClvFitId = fit.Id });
            if (await store.DrawsAsync(fit.Id, group.Group, ct) is { Length: > 0 } d) draws[channel] = d;
        }
        return new(resolved, draws, fitted);
    }

    private static CustomerValueGroup GroupOf(CustomerValueFitResponse fit, string channel) => fit.Groups.FirstOrDefault(g => g.Group == channel) ?? fit.Pooled;

    /// <summary>A fit by id, or the newest for null, each read once.</summary>
    private Func<Guid?, Task<CustomerValueFitResponse?>> Fits(string ws, CancellationToken ct)
    {
        var read = new Dictionary<Guid, CustomerValueFitResponse?>();
        CustomerValueFitResponse? latest = null;
        var latestRead = false;
        return async id =>
        {
            if (id is { } named) return read.TryGetValue(named, out var f) ? f : read[named] = await store.GetAsync(ws, named, ct);
            if (!latestRead) (latest, latestRead) = (await store.GetAsync(ws, null, ct), true);
            return latest;
        };
    }

    private async Task<(double Margin, string Source)> MarginAsync(string ws, bool orders, DateOnly end, double? requested, List<string> warnings, CancellationToken ct)
    {
        if (requested is { } r) return (r, "request");
        var stated = orders ? await store.MarginAsync(ws, end, ct) : null;
        if (stated is { } s)
        {
            if (s is >= 0 and <= 1) return (s, "orders");
            warnings.Add($"the orders' margin over revenue is {s:G4}, outside 0–1; it is clamped to {Math.Clamp(s, 0, 1):G4}: send margin to set it");
            return (Math.Clamp(s, 0, 1), "orders");
        }
        warnings.Add(orders
            ? "no calibration order states gross_margin or cost, so CLV is revenue (margin 1): send margin to set it"
            : "subscriptions carry no margin, so CLV is revenue (margin 1): send margin to set it");
        return (1, "default");
    }

    /// <summary>Days in one time unit; a month is 365.25/12 days.</summary>
    public static double DaysPer(string unit) => unit switch
    {
        "day" => 1,
        "week" => 7,
        "month" => DaysPerMonth,
        "year" => 365.25,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "unknown time unit"),
    };

    private static (CustomerValueGroup Pooled, IReadOnlyList<CustomerValueGroup> Groups) Transactional(IReadOnlyList<RfmTuple> tuples,
        DateOnly end, DateOnly dataEnd, string unit, TransactionalClvSettings settings, List<(string?, IReadOnlyList<double>)> draws)
    {
        if (tuples.Count == 0) throw NoData($"No customer's first order falls before calibration_end {end:yyyy-MM-dd}: move calibration_end later.");
        var days = DaysPer(unit);
        var holdout = dataEnd > end ? (end.AddDays(1), dataEnd, (dataEnd.DayNumber - end.DayNumber) / days) : ((DateOnly, DateOnly, double)?)null;
        RfmCustomer Rfm(RfmTuple t) => new(t.Frequency, t.RecencyDays / days, t.AgeDays / days, t.MeanRepeatValue ?? 0, t.Customers);
        static bool Buyer(RfmTuple t) => t.Frequency > 0 && t.MeanRepeatValue > 0;

        BgNbdFit bgPooled;
        GammaGammaFit ggPooled;
        try
        {
            bgPooled = BgNbd.Fit([.. tuples.Select(Rfm)]);
            var buyers = tuples.Where(Buyer).Select(Rfm).ToList();
            if (buyers.Count == 0) throw new ArgumentException("no customer has a repeat transaction of positive value, so spend cannot be fitted");
            ggPooled = GammaGamma.Fit(buyers);
        }
        catch (ArgumentException e)
        {
            throw NoData($"The orders up to {end:yyyy-MM-dd} cannot be fitted: {e.Message.Split(" (Parameter")[0]}.");
        }
        if (!bgPooled.Summary.HasCovariance || !ggPooled.Summary.HasCovariance)
            throw NoData($"The orders up to {end:yyyy-MM-dd} are too few to fit: the pooled estimate runs off to a bound (its information matrix is singular). "
                         + "Load more customers, or move calibration_end later.");
        var pooled = TransactionalGroup(null, tuples, bgPooled, ggPooled, true, holdout, settings, Rfm, [], draws);
        var groups = new List<CustomerValueGroup>();
        var byGroup = tuples.Where(t => t.Group is not null).GroupBy(t => t.Group!).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var g in byGroup)
        {
            WorkProgress.Report("fitting groups", groups.Count, byGroup.Count, "groups");
            var rows = g.ToList();
            var warnings = new List<string>();
            var buyers = rows.Where(Buyer).Select(Rfm).ToList();
            if (buyers.Count == 0) warnings.Add("no customer of this group has a repeat transaction of positive value: its spend is the pooled fit");
            try
            {
                var bg = BgNbd.Fit([.. rows.Select(Rfm)], bgPooled);
                var gg = buyers.Count > 0 ? GammaGamma.Fit(buyers, ggPooled) : ggPooled;
                groups.Add(TransactionalGroup(g.Key, rows, bg, gg, buyers.Count > 0, holdout, settings, Rfm, warnings, draws));
            }
            catch (ArgumentException)
            {
                // An estimate off to a bound fails the models' own checks; the group is then read as the pooled fit.
                warnings.Add("this group's fit ran off to a bound: it is shown with the pooled parameters");
                groups.Add(TransactionalGroup(g.Key, rows, bgPooled, ggPooled, false, holdout, settings, Rfm, warnings, draws));
            }
        }
        return (pooled, groups);
    }

    private static CustomerValueGroup TransactionalGroup(string? name, IReadOnlyList<RfmTuple> tuples, BgNbdFit bg, GammaGammaFit gg, bool ownSpend,
        (DateOnly From, DateOnly To, double Length)? holdout, TransactionalClvSettings settings, Func<RfmTuple, RfmCustomer> rfm, List<string> warnings,
        List<(string?, IReadOnlyList<double>)> draws)
    {
        ClvEstimate? clv = null;
        try
        {
            clv = CustomerLifetimeValue.Transactional(bg, gg, settings, ClvDraws);
        }
        catch (ArgumentException)
        {
            warnings.Add("a fit's information matrix is singular, so the CLV has no interval");
        }
        var point = clv?.PointEstimate ?? CustomerLifetimeValue.Transactional(bg.Parameters, gg.Parameters, settings);
        if (double.IsPositiveInfinity(point)) warnings.Add("Gamma–Gamma q ≤ 1: the mean order value, and so the CLV, is unbounded");
        Keep(name, clv, draws);

        CustomerValueHoldout? check = null;
        if (holdout is { } h)
        {
            var predicted = tuples.Sum(t => t.Customers * BgNbd.ConditionalExpectedTransactions(h.Length, rfm(t).Frequency, rfm(t).Recency, rfm(t).Age, bg.Parameters));
            check = new CustomerValueHoldout(h.From, h.To, h.Length, predicted, tuples.Sum(t => (double)t.HoldoutTransactions));
        }
        // The expected counts depend on a customer's age alone: a few hundred distinct ages stand for up to a million tuples.
        var ages = tuples.GroupBy(t => rfm(t).Age).Select(g => (Age: g.Key, Customers: g.Sum(t => (double)t.Customers))).ToList();
        var frequency = new List<CustomerValueFrequency>(FrequencyBins);
        for (var x = 0; x < FrequencyBins; x++)
        {
            var last = x == FrequencyBins - 1;
            var observed = tuples.Where(t => last ? t.Frequency >= x : t.Frequency == x).Sum(t => (double)t.Customers);
            var expected = ages.Sum(a =>
                a.Customers * (last ? BgNbdFrequency.AtLeast(x, a.Age, bg.Parameters) : BgNbdFrequency.Probability(x, a.Age, bg.Parameters)));
            frequency.Add(new CustomerValueFrequency(x, observed, expected));
        }
        var spend = ownSpend ? Fit("gamma_gamma", gg.Summary) : Fit("gamma_gamma", gg.Summary) with { Customers = 0, PooledWeight = 1 };
        return new CustomerValueGroup(name, tuples.Sum(t => (double)t.Customers), [Fit("bg_nbd", bg.Summary), spend],
            Clv(point, clv), check, frequency, warnings);
    }

    /// <summary>The calibration's subscribers followed from <paramref name="End"/> to <paramref name="DataEnd"/>, in the same cohorts.</summary>
    private sealed record SubscriptionHoldout(DateOnly End, DateOnly DataEnd, IReadOnlyList<SurvivorCohort> Cohorts);

    private static (CustomerValueGroup Pooled, IReadOnlyList<CustomerValueGroup> Groups) Subscription(IReadOnlyList<SurvivorCohort> cohorts,
        SubscriptionHoldout? holdout, DateOnly end, int horizon, double discount, double margin, List<(string?, IReadOnlyList<double>)> draws)
    {
        if (cohorts.Count == 0)
            throw NoData($"No subscriber started a whole month or more before calibration_end {end:yyyy-MM-dd}: move calibration_end later.");
        static SubscriptionCohort Cohort(SurvivorCohort c) => new(c.Survivors);
        SbgFit sbgPooled;
        try
        {
            sbgPooled = ShiftedBetaGeometric.Fit([.. cohorts.Select(Cohort)]);
        }
        catch (ArgumentException e)
        {
            throw NoData($"The subscriptions up to {end:yyyy-MM-dd} cannot be fitted: {e.Message.Split(" (Parameter")[0]}.");
        }
        if (!sbgPooled.Summary.HasCovariance)
            throw NoData($"The subscriptions up to {end:yyyy-MM-dd} are too few to fit: the pooled estimate runs off to a bound (its information matrix is singular).");
        var pooled = SubscriptionGroup(null, cohorts, sbgPooled, horizon, discount, margin, draws, Check(holdout, null, sbgPooled, cohorts));
        var groups = cohorts.Where(c => c.Group is not null).GroupBy(c => c.Group!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var fit = ShiftedBetaGeometric.Fit([.. g.Select(Cohort)], sbgPooled);
                return SubscriptionGroup(g.Key, [.. g], fit, horizon, discount, margin, draws, Check(holdout, g.Key, fit, cohorts));
            })
            .ToList();
        return (pooled, groups);
    }

    /// <summary>
    /// Subscribers still active at the data's end, predicted and seen, over the holdout cohorts of a group (null: every
    /// cohort, for the pooled fit). A cohort seen n whole months in calibration and m by the data's end keeps
    /// survivors_n · S(m) / S(n) of its members; one too young for calibration (n = 0) starts from all it acquired.
    /// </summary>
    private static CustomerValueHoldout? Check(SubscriptionHoldout? holdout, string? group, SbgFit fit, IReadOnlyList<SurvivorCohort> calibration)
    {
        if (holdout is null) return null;
        var known = calibration.ToDictionary(c => (c.Group, c.Cohort));
        double predicted = 0, actual = 0;
        foreach (var h in holdout.Cohorts.Where(h => group is null || h.Group == group))
        {
            var m = h.Survivors.Count - 1;
            var (n, alive) = known.TryGetValue((h.Group, h.Cohort), out var c) ? (c.Survivors.Count - 1, c.Survivors[^1]) : (0, h.Survivors[0]);
            predicted += ShiftedBetaGeometric.ExpectedSurvivors(alive, n, m, fit.Parameters);
            actual += h.Survivors[m];
        }
        return new CustomerValueHoldout(holdout.End.AddDays(1), holdout.DataEnd, (holdout.DataEnd.DayNumber - holdout.End.DayNumber) / DaysPerMonth, predicted, actual);
    }

    /// <summary>The monthly revenue of a new subscriber is the group's mean first MRR.</summary>
    private static CustomerValueGroup SubscriptionGroup(string? name, IReadOnlyList<SurvivorCohort> cohorts, SbgFit fit, int horizon, double discount, double margin,
        List<(string?, IReadOnlyList<double>)> draws, CustomerValueHoldout? check)
    {
        var acquired = cohorts.Sum(c => c.Survivors[0]);
        var settings = new SubscriptionClvSettings(horizon, discount, margin, cohorts.Sum(c => c.FirstMrr) / acquired);
        var warnings = new List<string>();
        ClvEstimate? clv = null;
        try
        {
            clv = CustomerLifetimeValue.Subscription(fit, settings, ClvDraws);
        }
        catch (ArgumentException)
        {
            warnings.Add("the fit's information matrix is singular, so the CLV has no interval");
        }
        var point = clv?.PointEstimate ?? CustomerLifetimeValue.Subscription(fit.Parameters, settings);
        Keep(name, clv, draws);
        return new CustomerValueGroup(name, acquired, [Fit("sbg", fit.Summary)], Clv(point, clv), check, [], warnings);
    }

    /// <summary>
    /// A group's CLV draws, kept for plans to carry its doubt; none when there is no interval, or when some draw is
    /// unbounded (Gamma–Gamma q ≤ 1), as a plan cannot average over an infinite value: it then takes the point CLV.
    /// </summary>
    private static void Keep(string? group, ClvEstimate? clv, List<(string?, IReadOnlyList<double>)> draws)
    {
        if (clv is { Draws.Count: > 0 } e && e.Draws.All(double.IsFinite)) draws.Add((group, e.Draws));
    }

    private static CustomerValueModelFit Fit(string model, FitSummary s) =>
        new(model, s.Parameters.ToDictionary(p => p.Name, p => new CustomerValueParameter(p.Estimate, Finite(p.StandardError), Finite(p.Lower90), Finite(p.Upper90))),
            Finite(s.LogLikelihood), s.Customers, s.PooledWeight);

    private static CustomerValueClv Clv(double point, ClvEstimate? e) =>
        new(Finite(point), Finite(e?.Lower90), Finite(e?.Median), Finite(e?.Upper90));

    private static ProblemException NoData(string detail) => new(StatusCodes.Status422UnprocessableEntity, "No data to fit", detail);

    /// <summary>The value lower case; blank gives <paramref name="fallback"/>.</summary>
    private static string Choice(string? value, string name, Dictionary<string, string[]> errors, string fallback, params string[] choices)
    {
        if (string.IsNullOrWhiteSpace(value)) return fallback;
        var v = value.Trim().ToLowerInvariant();
        if (choices.Contains(v)) return v;
        errors[name] = ["must be one of " + string.Join(", ", choices)];
        return fallback;
    }
}
