using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Csv;

/// <summary>Answers a list as JSON or, for ?format=csv or Accept: text/csv, as CSV with the same column names.</summary>
public static class ListResults
{
    public static bool WantsCsv(HttpRequest request, string? format)
    {
        if (format is not null) return format.Equals("csv", StringComparison.OrdinalIgnoreCase);
        var accept = request.GetTypedHeaders().Accept;
        if (accept is null || accept.Count == 0) return false;
        var best = accept.OrderByDescending(a => a.Quality ?? 1).First();
        return best.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase);
    }

    public static Results<Ok<Page<T>>, CsvResult<T>> Respond<T>(HttpRequest request, ListQuery query, Page<T> page,
        IReadOnlyList<CsvColumn<T>> columns, string fileName) =>
        WantsCsv(request, query.Format)
            ? new CsvResult<T>(page.Items, columns, fileName, page.NextCursor)
            : TypedResults.Ok(page);
}
