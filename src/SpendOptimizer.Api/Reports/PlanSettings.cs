using System.Globalization;
using System.Text.Json;
using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Reports;

/// <summary>One setting a plan was made with, in words, and whether the request set it or the model's default applied.</summary>
public sealed record PlanSetting(string Key, string Label, string Value, bool? Default);

/// <summary>
/// The settings a recommendation was made with, read from what was stored with it: the request as sent and the
/// model parameters as resolved (the catalogue's defaults with the request's overrides), so the page needs no lookup.
/// </summary>
public static class PlanSettings
{
    private static string Num(double v, string format = "0.##") => v.ToString(format, CultureInfo.InvariantCulture);
    private static string Share(double v) => Num(v * 100, "0.#") + "%";

    public static IReadOnlyList<PlanSetting> Read(RecommendationResponse rec)
    {
        var stored = rec.Request.ValueKind == JsonValueKind.Object ? rec.Request : default;
        var request = Property(stored, "request");
        var resolved = Property(stored, "parameters");
        var overrides = Property(request, "parameters");
        double? Parameter(string name) => Property(resolved, name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
        bool? IsDefault(params string[] names) => resolved.ValueKind != JsonValueKind.Object ? null
            : !names.Any(n => overrides.ValueKind == JsonValueKind.Object && overrides.TryGetProperty(n, out _));
        const string unknown = "not stored with this recommendation";
        var c = rec.Currency;
        var settings = new List<PlanSetting>
        {
            new("objective", "Objective", Objectives.Describe(rec.Objective, c), IsDefault("objective")),
            new("currency", "Currency", $"{c}: every amount of money on this page", null),
        };

        var today = rec.Lines.Sum(l => l.CurrentSpend);
        var budget = Property(request, "budget");
        settings.Add(budget.ValueKind == JsonValueKind.Number
            ? new("budget", "Budget", $"{Num(budget.GetDouble(), "#,0")} {c} / week, as asked", false)
            : new("budget", "Budget", $"today's total, {Num(today, "#,0")} {c} / week", request.ValueKind == JsonValueKind.Object ? true : null));

        var mode = Property(request, "budget_mode") is { ValueKind: JsonValueKind.String } m ? m.GetString() : null;
        var tolerance = Property(request, "budget_tolerance") is { ValueKind: JsonValueKind.Number } t ? t.GetDouble() : 0;
        settings.Add(new("budget_mode", "Budget mode", mode switch
        {
            null when request.ValueKind != JsonValueKind.Object => unknown,
            null or "equal" => "equal: the plan spends the budget exactly",
            "within" => $"within: the plan may spend up to {Share(tolerance)} more or less than the budget",
            "cap" => "cap: the plan spends at most the budget",
            var other => other,
        }, request.ValueKind == JsonValueKind.Object ? mode is null or "equal" : null));

        settings.Add(Parameter("band_min") is { } lo && Parameter("band_max") is { } hi
            ? new("band", "Band of moves", $"{Share(lo)}–{Share(hi)}: a channel that moves goes up or down by at least {Share(lo)} and at most {Share(hi)} of today's spend",
                IsDefault("band_min", "band_max"))
            : new("band", "Band of moves", unknown, null));

        var scope = Property(request, "limit_scope") is { ValueKind: JsonValueKind.String } s ? s.GetString() : "per_channel";
        var applied = scope switch { "blended" => "on the plan as a whole", "both" => "on each channel and on the plan as a whole", _ => "on each channel" };
        settings.Add(scope == "none" ? new("limits", "Limits", "none: payback and CLV:CAC limits were switched off for this plan", false)
            : Parameter("max_payback_months") is { } payback && Parameter("min_clv_cac") is { } clvCac
                ? new("limits", "Limits", $"CAC paid back within {Num(payback)} months and CLV:CAC of at least {Num(clvCac)}, {applied}",
                    IsDefault("max_payback_months", "min_clv_cac"))
                : new("limits", "Limits", unknown, null));

        settings.Add(Parameter("caution_quantile") is { } q
            ? new("caution", "Caution", q >= 0.5 - 1e-9 ? "none: moves are judged on each channel's central curve"
                : $"a move counts for the gain that {Share(1 - q)} of the plausible curves reach, so channels with thin evidence move less", IsDefault("caution_quantile"))
            : new("caution", "Caution", unknown, null));
        settings.Add(Parameter("limit_confidence") is { } confidence
            ? new("limit_confidence", "Limit confidence", confidence <= 0.5 + 1e-9 ? "a limit counts as met when it holds on the central curve"
                : $"a limit counts as met when it holds in {Share(confidence)} of the plausible curves", IsDefault("limit_confidence"))
            : new("limit_confidence", "Limit confidence", unknown, null));

        var locks = Property(request, "locks") is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
        settings.Add(new("locks", "Locked channels", locks.Count == 0 ? "none" : string.Join(", ", locks), request.ValueKind == JsonValueKind.Object ? locks.Count == 0 : null));
        return settings;
    }

    private static JsonElement Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;
}

/// <summary>What each objective counts, in the words and units the page uses.</summary>
public static class Objectives
{
    /// <summary>What the objective is counted in: "CLV, EUR", "revenue, EUR", "profit, EUR" or "conversions".</summary>
    public static string Units(string objective, string currency) => objective switch
    {
        "conversions" => "conversions",
        "clv" => $"CLV, {currency}",
        var other => $"{other}, {currency}",
    };

    public static string Describe(string objective, string currency) => objective switch
    {
        "clv" => $"clv: the lifetime value of the new customers won, in {currency}",
        "revenue" => $"revenue: the revenue of the conversions won, in {currency}",
        "conversions" => "conversions: the number of conversions won",
        "profit" => $"profit: the lifetime value of the new customers won less the spend, in {currency}",
        var other => other,
    };
}
