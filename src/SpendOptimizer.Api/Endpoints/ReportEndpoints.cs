using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Reports;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Endpoints;

public static class ReportEndpoints
{
    /// <summary>The page needs nothing from elsewhere; the policy makes sure it never can.</summary>
    internal const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static RouteGroupBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Recommendations");
        group.MapGet("/recommendations/{id:guid}/report", Report)
            .RequireRole(Role.Read)
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithName("GetRecommendationReport")
            .WithSummary("One-page HTML report of a recommendation for people: the plan, the reasons in words, each channel's response curve with today's and the recommended spend, and the gain's spread. Opens in a browser with ?api_key= and a read key.");
        group.MapGet("/recommendations/latest/report", Latest)
            .RequireRole(Role.Read)
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithName("GetLatestRecommendationReport")
            .WithSummary("The HTML report of the newest recommendation.");
        return group;
    }

    private static Task<IResult> Report(string ws, Guid id, HttpResponse response, RecommendationStore store, ResponseCurveStore curves, CancellationToken ct) =>
        RenderAsync(ws, id, response, store, curves, ct);

    private static Task<IResult> Latest(string ws, HttpResponse response, RecommendationStore store, ResponseCurveStore curves, CancellationToken ct) =>
        RenderAsync(ws, null, response, store, curves, ct);

    private static async Task<IResult> RenderAsync(string ws, Guid? id, HttpResponse response, RecommendationStore store, ResponseCurveStore curves, CancellationToken ct)
    {
        var rec = await store.GetAsync(ws, id, ct);
        if (rec is null)
            return TypedResults.Problem(statusCode: 404, title: "Recommendation not found",
                detail: id is null ? "No recommendation yet: POST …/recommendations." : $"Workspace '{ws}' has no recommendation {id}.");
        var fit = rec.FitId is null ? null : await curves.GetAsync(ws, rec.FitId, ct);
        return Page(response, RecommendationReport.Render(ws, rec, fit));
    }

    /// <summary>A report page: nothing on it may load or run anything, and the browser may not guess another type.</summary>
    internal static IResult Page(HttpResponse response, string html)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
