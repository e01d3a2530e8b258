namespace SpendOptimizer.Core.Allocation;

public enum Objective { Clv, Revenue, Conversions, Profit }

/// <summary>Equal, within ± a tolerance, at most the budget, or as much as a <see cref="BudgetTarget"/> allows (<see cref="BudgetFromTarget"/>).</summary>
public enum BudgetMode { Equal, Within, Cap, Target }

/// <summary>One line to allocate (a channel, or channel × campaign).</summary>
/// <param name="Response">Expected weekly incremental conversions at sustained weekly spend s: the steady-state curve g(s).</param>
/// <param name="CustomersPerConversion">New customers per incremental conversion.</param>
/// <param name="RevenuePerConversion">Revenue per incremental conversion.</param>
/// <param name="Clv">Lifetime value of one new customer.</param>
/// <param name="MonthlyMarginPerCustomer">ARPA · gross margin: what repays the CAC each month.</param>
/// <param name="Locked">Keep spend exactly as it is.</param>
/// <param name="Min">Hard lower bound on recommended spend.</param>
/// <param name="Max">Hard upper bound on recommended spend.</param>
/// <param name="RiseWeight">How much of a predicted rise in response the plan counts on when spend goes up (1: all of it).</param>
/// <param name="FallWeight">How much of a predicted fall it counts on when spend goes down (above 1: fears more than predicted).</param>
/// <param name="LimitResponse">The curve the per-line limits are judged on (null: <paramref name="Response"/>): a lower quantile of the
/// curve's draws when a limit must hold with a probability above one half.</param>
public sealed record AllocationLine(
    string Name,
    double CurrentSpend,
    Func<double, double> Response,
    double CustomersPerConversion,
    double RevenuePerConversion,
    double Clv,
    double MonthlyMarginPerCustomer,
    bool Locked = false,
    double? Min = null,
    double? Max = null,
    double RiseWeight = 1,
    double FallWeight = 1,
    Func<double, double>? LimitResponse = null)
{
    /// <summary>The curve per-line limits are judged on.</summary>
    public Func<double, double> LimitCurve => LimitResponse ?? Response;

    /// <summary>The weight on a predicted change of response when spend moves from today's level to s.</summary>
    public double CautionWeight(double s) => s > CurrentSpend ? RiseWeight : s < CurrentSpend ? FallWeight : 1;

    /// <summary>
    /// The response the plan is ranked by: today's, plus the predicted change weighted by <see cref="CautionWeight"/>.
    /// Limits and every reported figure use <see cref="Response"/> itself.
    /// </summary>
    public double PlanningResponse(double s)
    {
        var today = Response(CurrentSpend);
        return today + CautionWeight(s) * (Response(s) - today);
    }
}

/// <summary>Which limits apply to each line, and which to the plan as a whole.</summary>
public enum LimitScope { PerChannel, Blended, Both, None }

/// <summary>
/// What to do with a line that meets a per-line limit at no allowed level: hold it at the allowed level that comes
/// closest (the rest of the plan is optimised around it), or refuse the whole request.
/// </summary>
public enum UnreachableLimits { Closest, Refuse }

/// <summary>
/// A weekly reallocation request. Each line stays where it is or moves up or down by a share in [BandMin, BandMax].
/// Budget: Equal keeps Σ spend = Budget; Within allows ±BudgetTolerance; Cap allows anything up to Budget.
/// Limits: CAC payback ≤ MaxPaybackMonths and CLV:CAC ≥ MinClvCac, per line and/or blended.
/// </summary>
public sealed record AllocationProblem(
    IReadOnlyList<AllocationLine> Lines,
    double? Budget = null,
    BudgetMode BudgetMode = BudgetMode.Equal,
    double BudgetTolerance = 0.0,
    double BandMin = 0.10,
    double BandMax = 0.20,
    double? MaxPaybackMonths = 12,
    double? MinClvCac = 3,
    LimitScope LimitScope = LimitScope.PerChannel,
    Objective Objective = Objective.Clv,
    double RelativeApproximationError = 1e-4,
    double TimeLimitSeconds = 10,
    UnreachableLimits UnreachableLimits = UnreachableLimits.Closest,
    BudgetTarget? Target = null)
{
    public double TotalCurrent => Lines.Sum(l => l.CurrentSpend);
    public double TargetBudget => Budget ?? TotalCurrent;
    public bool PerChannelLimits => LimitScope is LimitScope.PerChannel or LimitScope.Both;
    public bool BlendedLimits => LimitScope is LimitScope.Blended or LimitScope.Both;

    /// <summary>The range total spend must fall in: [B, B] (equal), B ± tolerance (within), [0, B] (cap), or any (target).</summary>
    public (double Low, double High) BudgetRange => BudgetMode switch
    {
        BudgetMode.Equal => (TargetBudget, TargetBudget),
        BudgetMode.Within => (TargetBudget * (1 - BudgetTolerance), TargetBudget * (1 + BudgetTolerance)),
        BudgetMode.Target => (0.0, double.PositiveInfinity),
        _ => (0.0, TargetBudget),
    };

    /// <summary>The blended payback limit the whole plan is held to: the limit under a blended scope and the target's, the tighter.</summary>
    public double? BlendedMaxPaybackMonths => Tighter(BlendedLimits ? MaxPaybackMonths : null, Target?.MaxPaybackMonths, Math.Min);

    /// <summary>The blended CLV:CAC floor the whole plan is held to, likewise (0 holds nothing).</summary>
    public double? BlendedMinClvCac => Tighter(BlendedLimits && MinClvCac > 0 ? MinClvCac : null, Target?.MinClvCac, Math.Max);

    private static double? Tighter(double? a, double? b, Func<double, double, double> pick) => a is { } x && b is { } y ? pick(x, y) : a ?? b;

    /// <summary>What one incremental conversion of a line is worth under the objective (profit subtracts spend separately).</summary>
    public double Worth(AllocationLine l) => Objective switch
    {
        Objective.Clv => l.Clv * l.CustomersPerConversion,
        Objective.Revenue => l.RevenuePerConversion,
        Objective.Conversions => 1,
        _ => l.Clv * l.CustomersPerConversion,
    };

    /// <summary>A line's part in the objective the plan is ranked by (<see cref="AllocationLine.PlanningResponse"/>).</summary>
    public double PlanningValue(AllocationLine l, double s) => Worth(l) * l.PlanningResponse(s) - (Objective == Objective.Profit ? s : 0);

    /// <summary>A line's part in the objective as predicted by its central curve: what is reported.</summary>
    public double CentralValue(AllocationLine l, double s) => Worth(l) * l.Response(s) - (Objective == Objective.Profit ? s : 0);

    /// <summary>
    /// The per-line limits as one ratio: spend s is allowed when s ≤ K · g(s), because
    /// payback s / (cust · g) / margin ≤ P ⇔ s ≤ P · margin · cust · g, and CLV · cust · g / s ≥ R ⇔ s ≤ (CLV · cust / R) · g.
    /// </summary>
    public double SpendPerConversionLimit(AllocationLine l)
    {
        var k = double.PositiveInfinity;
        if (MaxPaybackMonths is { } p) k = Math.Min(k, p * l.MonthlyMarginPerCustomer * l.CustomersPerConversion);
        if (MinClvCac is { } r && r > 0) k = Math.Min(k, l.Clv * l.CustomersPerConversion / r);
        return k;
    }

    /// <summary>Why the request cannot be posed, or null.</summary>
    public string? Validate()
    {
        if (Lines.Count == 0) return "there are no lines to allocate";
        if (!(BandMin >= 0 && BandMin <= BandMax && BandMax <= 0.5)) return "band needs 0 ≤ band_min ≤ band_max ≤ 0.5";
        if (Budget is < 0) return "budget must not be negative";
        if (BudgetTolerance is < 0 or > 0.5) return "budget tolerance must be between 0 and 0.5";
        if (MaxPaybackMonths is <= 0) return "payback limit must be positive";
        if (MinClvCac is < 0) return "CLV:CAC limit must not be negative";
        if (Target?.Validate() is { } target) return target;
        if (BudgetMode == BudgetMode.Target && Target is null) return "budget mode target needs a target";
        var duplicate = Lines.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) return $"line '{duplicate.Key}' appears twice";
        foreach (var l in Lines)
            if (l.CurrentSpend < 0 || l.Min > l.Max) return $"line '{l.Name}': spend must not be negative and min ≤ max";
        return null;
    }
}
