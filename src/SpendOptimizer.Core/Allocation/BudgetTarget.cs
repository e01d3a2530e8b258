namespace SpendOptimizer.Core.Allocation;

/// <summary>
/// What sets the budget instead of a figure: a blended CLV:CAC floor, a blended CAC payback ceiling, or a floor on what the
/// last unit of budget returns (objective value per unit of spend). Exactly one is given.
/// </summary>
public sealed record BudgetTarget(double? MinClvCac = null, double? MaxPaybackMonths = null, double? MinMarginalValue = null)
{
    /// <summary>The target's name as the API spells it.</summary>
    public string Name => MinClvCac is not null ? "clv_cac_min" : MaxPaybackMonths is not null ? "payback_max_months" : "marginal_value_min";

    /// <summary>The target's value.</summary>
    public double Value => MinClvCac ?? MaxPaybackMonths ?? MinMarginalValue ?? double.NaN;

    /// <summary>Why the target cannot be posed, or null.</summary>
    public string? Validate()
    {
        var given = new[] { MinClvCac, MaxPaybackMonths, MinMarginalValue }.Count(v => v is not null);
        if (given != 1) return "a budget target needs exactly one of clv_cac_min, payback_max_months and marginal_value_min";
        if (MinClvCac is <= 0) return "clv_cac_min must be positive";
        if (MaxPaybackMonths is <= 0) return "payback_max_months must be positive";
        return MinMarginalValue is < 0 ? "marginal_value_min must not be negative" : null;
    }
}
