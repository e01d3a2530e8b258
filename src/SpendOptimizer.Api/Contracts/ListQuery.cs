using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Contracts;

/// <summary>Paging, date filter and format shared by every list route.</summary>
public sealed record ListQuery
{
    /// <summary>Most rows one page may hold.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>First date included (yyyy-MM-dd).</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last date included (yyyy-MM-dd).</summary>
    public DateOnly? To { get; init; }

    /// <summary>
    /// Rows per page, 1 to 10,000 (default 1,000). A CSV answer without limit holds every row of the window in one
    /// answer, since spreadsheet tools cannot follow X-Next-Cursor.
    /// </summary>
    [Range(1, MaxLimit)]
    public int? Limit { get; init; }

    /// <summary>The next_cursor of the previous page.</summary>
    public string? Cursor { get; init; }

    /// <summary>"csv" or "json"; overrides the Accept header. Spreadsheet tools use format=csv.</summary>
    [QueryChoices("json", "csv")]
    public string? Format { get; init; }

    public int PageSize(int max) => Math.Clamp(Limit ?? 1000, 1, Math.Min(max, MaxLimit));

    /// <summary>For a list that always comes whole and so issues no cursor: any cursor sent was not issued for it.</summary>
    public ListQuery Whole() =>
        string.IsNullOrEmpty(Cursor) ? this
            : throw ProblemException.InvalidParameter("cursor", "is not a cursor this service issued: this list comes in one page and issues none", Cursor);

    /// <summary>
    /// Keyset cursors carry the last row's key, so pages stay stable while data is added, and a check of that key, so a
    /// cursor cut short or changed in any character is refused rather than read as another key.
    /// </summary>
    public static string EncodeCursor(params string[] key)
    {
        var text = string.Join('\u001f', key);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text + '\u001f' + Check(text))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string Check(string key) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(key)), 0, 6);

    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The key a cursor carries, or a 400 naming ?cursor=. Only a cursor exactly as <see cref="EncodeCursor"/> writes it
    /// is read: valid UTF-8, its check matching, the expected number of parts, no NUL (which the database cannot compare),
    /// and the same text when encoded again, so a cut or retouched cursor is refused here rather than deep in a query.
    /// </summary>
    public string[]? DecodeCursor(int parts)
    {
        if (string.IsNullOrEmpty(Cursor)) return null;
        try
        {
            var b64 = Cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var text = StrictUtf8.GetString(Convert.FromBase64String(b64));
            var split = text.LastIndexOf('\u001f');
            var key = split < 0 ? [] : text[..split].Split('\u001f');
            if (split >= 0 && key.Length == parts && !text.Contains('\0') && text[(split + 1)..] == Check(text[..split]) && EncodeCursor(key) == Cursor)
                return key;
        }
        catch (Exception e) when (e is FormatException or DecoderFallbackException) { }
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

    private static ProblemException InvalidCursor() =>
        ProblemException.InvalidParameter("cursor", "is not a cursor this service issued (it may have been cut short or changed); start again without it");
}
