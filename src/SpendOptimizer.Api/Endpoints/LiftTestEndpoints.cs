namespace SpendOptimizer.Api.Endpoints;

public static class LiftTestEndpoints
{
    public static RouteGroupBuilder MapLiftTestEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Lift tests");
        group.MapPost("/lift-tests", Upsert)
            .RequireRole(Role.Ingest)
            .Accepts<LiftTestResponse[]>("application/json", "text/csv")
            .IngestProblems()
            .WithName("UpsertLiftTests")
            .WithSummary("Load lift-test results (geo, holdout, time) with their standard error or confidence interval; upsert on id.");
        group.MapGet("/lift-tests", List)
            .RequireRole(Role.Read)
            .WithName("ListLiftTests")
            .WithSummary("Stored lift tests overlapping from/to, ordered by start date.");
        group.MapPost("/lift-tests/analyze", Analyze)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithName("AnalyzeGeoTest")
            .WithSummary("Raw geo-test series (geo, date, treated, KPI, spend) → incremental KPI, relative lift, iROAS and a 90% interval by time-based regression; optionally stored as a lift test.");
        return group;
    }

    private static async Task<Results<Ok<GeoTestResponse>, ValidationProblem>> Analyze(string ws, AnalyzeGeoTestRequest request, LiftTestStore store, CancellationToken ct)
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
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        Core.Incrementality.GeoLiftResult result;
        try
        {
            result = Core.Incrementality.GeoLiftAnalysis.Analyze(
                request.Rows!.Select(r => new Core.Incrementality.GeoObservation(r.Geo, r.Date, r.Treated, r.Kpi, r.Spend)).ToList(), request.Start, request.End);
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["rows"] = [e.Message] });
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
                return TypedResults.ValidationProblem(invalid.GroupBy(e => StoredField(e.Column)).ToDictionary(g => g.Key, g => g.Select(e => e.Reason).ToArray()));
            storedId = test.Id;
            await store.UpsertAsync(ws, [test], ct);
        }
        static double? Finite(double v) => double.IsFinite(v) ? v : null;
        return TypedResults.Ok(new GeoTestResponse(result.Incremental, result.StandardError, result.Lower90, result.Upper90, Finite(result.RelativeLift),
            result.IncrementalSpend, result.Iroas, result.PreDays, result.TestDays, Finite(result.PreRSquared), result.Warnings, storedId));
    }

    /// <summary>A stored lift test's column as the analysis request names it: its own fields by name, the computed ones as results.</summary>
    private static string StoredField(string? column) => column switch
    {
        "id" or "channel" or "start" or "end" or "attributed_conversions" => column,
        null => "store_as_lift_test",
        _ => $"store_as_lift_test.{column}",
    };

    private static async Task<Ok<UpsertResult>> Upsert(string ws, HttpRequest request, BatchReader reader, LiftTestStore store, CancellationToken ct)
    {
        var rows = await reader.ReadAsync(request, LiftTestUpload.Schema, LiftTestUpload.Parse, t => t.Id, "id");
        return TypedResults.Ok(await store.UpsertAsync(ws, rows, ct));
    }

    private static async Task<Results<Ok<Page<LiftTestResponse>>, CsvResult<LiftTestResponse>>> List(string ws, [AsParameters] ListQuery query,
        HttpRequest request, LiftTestStore store, IOptions<SpendOptimizerOptions> options, CancellationToken ct)
    {
        var page = await store.ListAsync(ws, query, query.PageSize(options.Value.MaxPageSize), ct);
        var flat = new Page<LiftTestResponse>(page.Items.Select(LiftTestResponse.From).ToList(), page.NextCursor);
        return ListResults.Respond(request, query, flat, LiftTestUpload.Columns, "lift-tests");
    }
}
