using System.ComponentModel;
using System.Text;

namespace SpendOptimizer.Api.Contracts;

/// <summary>Paging, date filter and format shared by every list route.</summary>
public sealed record ListQuery
{
    /// <summary>First date included (yyyy-MM-dd).</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last date included (yyyy-MM-dd).</summary>
    public DateOnly? To { get; init; }

    /// <summary>Rows per page, 1 to 10,000 (default 1,000).</summary>
    [DefaultValue(1000)]
    public int? Limit { get; init; }

    /// <summary>The next_cursor of the previous page.</summary>
    public string? Cursor { get; init; }

    /// <summary>"csv" or "json"; overrides the Accept header. Spreadsheet tools use format=csv.</summary>
    public string? Format { get; init; }

    public int PageSize(int max) => Math.Clamp(Limit ?? 1000, 1, max);

    /// <summary>Keyset cursors carry the last row's key, so pages stay stable while data is added.</summary>
    public static string EncodeCursor(params string[] key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\u001f', key))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public string[]? DecodeCursor(int parts)
    {
        if (string.IsNullOrEmpty(Cursor)) return null;
        try
        {
            var b64 = Cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var key = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('\u001f');
            if (key.Length == parts) return key;
        }
        catch (FormatException) { }
        throw InvalidCursor();
    }

    /// <summary>Reads one typed part of a decoded cursor; a tampered part is a 400, not a 500.</summary>
    public static T CursorPart<T>(string part, Func<string, T> parse)
    {
        try
        {
            return parse(part);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw InvalidCursor();
        }
    }

    private static Ingest.ProblemException InvalidCursor() =>
        new(StatusCodes.Status400BadRequest, "Invalid cursor", "The cursor is not one this service issued; start again without ?cursor=.");
}
