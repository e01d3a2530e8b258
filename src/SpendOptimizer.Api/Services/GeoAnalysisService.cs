using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Storage;
using static SpendOptimizer.Api.Json.JsonNumber;

namespace SpendOptimizer.Api.Services;

/// <summary>Raw geo-test series turned into a lift estimate, optionally stored as a lift test.</summary>
public sealed class GeoAnalysisService(LiftTestStore store)
{
    /// <summary>The test's effect by time-based regression on the control geos; stored as a lift test when asked and it passes an upload's checks.</summary>
    public async Task<Outcome<GeoTestResponse>> AnalyzeAsync(string ws, AnalyzeGeoTestRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (Core.Inputs.ChannelName.Validate(request.Channel ?? "") is { } bad) errors["channel"] = [bad];
        if (request.Rows is null || request.Rows.Count == 0) errors["rows"] = ["give the geo-day rows of the test and of the weeks before it"];
        else
        {
            const double max = InputRow.MaxMagnitude;
            var wrong = request.Rows.ToList().FindIndex(r => r is null || string.IsNullOrWhiteSpace(r.Geo) || !(Math.Abs(r.Kpi) <= max) || !(r.Spend is >= 0 and <= max));
            if (wrong >= 0) errors[$"rows[{wrong}]"] = ["needs a geo, a KPI between -1e12 and 1e12 and a spend from 0 to 1e12"];
            var twice = request.Rows.Where(r => r is not null).GroupBy(r => (r.Geo, r.Date)).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null) errors["rows"] = [$"geo '{twice.Key.Geo}' has two rows on {twice.Key.Date:yyyy-MM-dd}"];
        }
        if (errors.Count > 0) return new Outcome<GeoTestResponse>.Invalid(errors);

        Core.Incrementality.GeoLiftResult result;
        try
        {
            result = Core.Incrementality.GeoLiftAnalysis.Analyze(
                request.Rows!.Select(r => new Core.Incrementality.GeoObservation(r.Geo, r.Date, r.Treated, r.Kpi, r.Spend)).ToList(), request.Start, request.End);
        }
        catch (ArgumentException e)
        {
            return new Outcome<GeoTestResponse>.Invalid(new Dictionary<string, string[]> { ["rows"] = [e.Message] });
        }
        string? storedId = null;
        if (request.StoreAsLiftTest)
        {
            // Stored only if it passes the checks of an uploaded lift test.
            static string? Number(double? v) => v?.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            var (test, invalid) = LiftTestUpload.FromValues(new Dictionary<string, string?>
            {
                ["id"] = request.Id ?? $"geo-{request.Channel}-{request.Start:yyyyMMdd}-{request.End:yyyyMMdd}",
                ["channel"] = request.Channel,
                ["kind"] = "geo",
                ["start"] = request.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["end"] = request.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["incremental_conversions"] = Number(result.Incremental),
                ["stderr"] = Number(result.StandardError),
                ["attributed_conversions"] = Number(request.AttributedConversions),
                ["spend"] = Number(result.TreatedSpend),
            });
            if (invalid.Count > 0)
                return new Outcome<GeoTestResponse>.Invalid(invalid.GroupBy(e => StoredField(e.Column)).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()));
            storedId = test.Id;
            await store.UpsertAsync(ws, [test], ct);
        }
        return new GeoTestResponse(result.Incremental, result.StandardError, result.Lower90, result.Upper90, Finite(result.RelativeLift),
            result.IncrementalSpend, result.Iroas, result.PreDays, result.TestDays, Finite(result.PreRSquared), result.Warnings, storedId);
    }

    /// <summary>A stored lift test's column as the analysis request names it: its own fields by name, the computed ones as results.</summary>
    private static string StoredField(string? column) => column switch
    {
        "id" or "channel" or "start" or "end" or "attributed_conversions" => column,
        null => "store_as_lift_test",
        _ => $"store_as_lift_test.{column}",
    };
}
