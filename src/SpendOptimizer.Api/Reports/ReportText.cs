using System.Globalization;
using System.Net;

namespace SpendOptimizer.Api.Reports;

/// <summary>Text a report page prints: data HTML-encoded, numbers in invariant digits, a dash for a figure there is none of.</summary>
public static class ReportText
{
    public static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Fixed(double? v, string format = "0.00") =>
        v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
}
