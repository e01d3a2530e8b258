namespace SpendOptimizer.Api.Reports;

/// <summary>What every report page looks like underneath its own rules: type, headings and tables.</summary>
public static class ReportStyle
{
    public const string Base = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;max-width:1180px;margin:24px auto;padding:0 16px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}.muted{color:#5b6472}
        table{border-collapse:collapse;width:100%}th,td{padding:6px 8px;border-bottom:1px solid #e3e6ea;text-align:right}
        th:first-child,td:first-child{text-align:left}th{background:#f4f6f8;font-weight:600}
        svg text{font:11px system-ui,sans-serif;fill:#5b6472}.grid{stroke:#e3e6ea;stroke-width:1}
        """;

    /// <summary>Distinct on white and to most colour-blind readers (Okabe–Ito).</summary>
    public static readonly string[] Palette = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000"];
}
