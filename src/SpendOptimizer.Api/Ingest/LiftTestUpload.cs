using System.Security.Cryptography;
using System.Text;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Ingest;

/// <summary>
/// Lift-test results. Without an id, the id is derived from channel, kind and window, so sending the
/// same test twice updates it instead of counting it twice.
/// </summary>
public static class LiftTestUpload
{
    public static readonly TableSchema Schema = new(
        ["id", "channel", "kind", "start", "end", "incremental_conversions", "incremental_revenue",
         "stderr", "ci_lower", "ci_upper", "ci_level", "attributed_conversions", "spend"],
        ["channel", "kind", "start", "end"]);

    public static LiftTest Parse(InputRow r)
    {
        var channel = r.Channel();
        var kind = r.Choice<LiftTestKind>("kind");
        var start = r.Date("start");
        var end = r.Date("end");
        if (!r.Failed && end < start) r.Fail("end", "is before start", r.Text("end"));
        var conversions = r.OptionalNumber("incremental_conversions");
        var revenue = r.OptionalNumber("incremental_revenue");
        if (conversions is null && revenue is null && !r.Failed)
            r.Fail("incremental_conversions", "give incremental_conversions, incremental_revenue or both");
        var se = r.OptionalNumber("stderr", min: 0);
        if (se == 0) r.Fail("stderr", "must be greater than 0", "0");
        var lower = r.OptionalNumber("ci_lower");
        var upper = r.OptionalNumber("ci_upper");
        var level = r.Number("ci_level", LiftUncertainty.DefaultCiLevel, min: 0.5, max: 0.999);
        LiftUncertainty uncertainty;
        if (se is { } s) uncertainty = new LiftUncertainty(s, lower, upper, level);
        else if (lower is { } lo && upper is { } hi)
        {
            if (hi <= lo) r.Fail("ci_upper", "must be greater than ci_lower", r.Text("ci_upper"));
            uncertainty = LiftUncertainty.FromInterval(lo, hi, level);
        }
        else
        {
            if (!r.Failed) r.Fail("stderr", "give stderr, or ci_lower and ci_upper (a test without uncertainty cannot be weighed)");
            uncertainty = LiftUncertainty.FromStandardError(1);
        }
        var attributed = r.OptionalNumber("attributed_conversions", min: 0);
        var spend = r.OptionalNumber("spend", min: 0);
        var id = r.Text("id") ?? DerivedId(channel, kind, start, end);
        if (id.Length > 100) r.Fail("id", "is longer than 100 characters");
        return new LiftTest(id, channel, kind, start, end, conversions, revenue, uncertainty, attributed, spend);
    }

    /// <summary>
    /// A lift test from named values (as an upload row would carry them), checked exactly as an uploaded row is: for
    /// lift tests that reach the store another way, e.g. from a geo-test analysis.
    /// </summary>
    public static (LiftTest Test, IReadOnlyList<RowError> Errors) FromValues(IReadOnlyDictionary<string, string?> values)
    {
        var errors = new RowErrors(int.MaxValue);
        var row = new InputRow(Schema, errors);
        row.Reset(1, null);
        foreach (var (column, value) in values) row.Values[Schema.IndexOf(column)!.Value] = value;
        row.CheckValues();
        var test = Parse(row);
        return (test, errors.Listed);
    }

    private static string DerivedId(string channel, LiftTestKind kind, DateOnly start, DateOnly end)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{channel}\u001f{kind}\u001f{start:yyyy-MM-dd}\u001f{end:yyyy-MM-dd}"));
        return "lt-" + Convert.ToHexStringLower(hash)[..16];
    }

    public static readonly IReadOnlyList<CsvColumn<LiftTestResponse>> Columns =
    [
        CsvColumn<LiftTestResponse>.Text("id", t => t.Id),
        CsvColumn<LiftTestResponse>.Text("channel", t => t.Channel),
        CsvColumn<LiftTestResponse>.Text("kind", t => t.Kind.ToString().ToLowerInvariant()),
        CsvColumn<LiftTestResponse>.Date("start", t => t.Start),
        CsvColumn<LiftTestResponse>.Date("end", t => t.End),
        CsvColumn<LiftTestResponse>.Count("incremental_conversions", t => t.IncrementalConversions),
        CsvColumn<LiftTestResponse>.Money("incremental_revenue", t => t.IncrementalRevenue),
        CsvColumn<LiftTestResponse>.Count("stderr", t => t.Stderr),
        CsvColumn<LiftTestResponse>.Count("ci_lower", t => t.CiLower),
        CsvColumn<LiftTestResponse>.Count("ci_upper", t => t.CiUpper),
        CsvColumn<LiftTestResponse>.Share("ci_level", t => t.CiLevel),
        CsvColumn<LiftTestResponse>.Count("attributed_conversions", t => t.AttributedConversions),
        CsvColumn<LiftTestResponse>.Money("spend", t => t.Spend),
    ];
}
