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

    /// <summary>
    /// One page as JSON or CSV, except a CSV asked for without ?limit=: spreadsheet tools (IMPORTDATA, Power Query) cannot
    /// follow X-Next-Cursor, so that answer holds every row of the window, read from the store a page at a time and
    /// written as it goes, so no more than one page is held in memory.
    /// </summary>
    public static Task<Results<Ok<Page<T>>, CsvResult<T>>> RespondAsync<T>(HttpRequest request, ListQuery query,
        Func<ListQuery, int, Task<Page<T>>> fetch, int maxPageSize, IReadOnlyList<CsvColumn<T>> columns, string fileName) =>
        RespondAsync(request, query, fetch, maxPageSize, items => items, columns, fileName);

    /// <summary>As above, for a list whose CSV has several rows per item (<paramref name="rows"/>).</summary>
    public static async Task<Results<Ok<Page<T>>, CsvResult<TRow>>> RespondAsync<T, TRow>(HttpRequest request, ListQuery query,
        Func<ListQuery, int, Task<Page<T>>> fetch, int maxPageSize, Func<IEnumerable<T>, IEnumerable<TRow>> rows,
        IReadOnlyList<CsvColumn<TRow>> columns, string fileName)
    {
        var csv = WantsCsv(request, query.Format);
        var whole = csv && query.Limit is null;
        var pageSize = whole ? Math.Min(maxPageSize, ListQuery.MaxLimit) : query.PageSize(maxPageSize);
        // The first page is read before answering, so a refused cursor is still a 400 rather than a cut-off body.
        var first = await fetch(query, pageSize);
        if (!csv) return TypedResults.Ok(first);
        return whole
            ? new CsvResult<TRow>(Rest(first, query, fetch, pageSize, rows), columns, fileName, null)
            : new CsvResult<TRow>(rows(first.Items), columns, fileName, first.NextCursor);
    }

    private static async IAsyncEnumerable<TRow> Rest<T, TRow>(Page<T> page, ListQuery query, Func<ListQuery, int, Task<Page<T>>> fetch,
        int pageSize, Func<IEnumerable<T>, IEnumerable<TRow>> rows)
    {
        while (true)
        {
            foreach (var row in rows(page.Items)) yield return row;
            if (page.NextCursor is null) yield break;
            page = await fetch(query with { Cursor = page.NextCursor }, pageSize);
        }
    }

    public static Results<Ok<Page<T>>, CsvResult<T>> Respond<T>(HttpRequest request, ListQuery query, Page<T> page,
        IReadOnlyList<CsvColumn<T>> columns, string fileName) =>
        WantsCsv(request, query.Format)
            ? new CsvResult<T>(page.Items, columns, fileName, page.NextCursor)
            : TypedResults.Ok(page);
}
