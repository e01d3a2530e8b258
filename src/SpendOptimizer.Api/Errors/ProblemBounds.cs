using Microsoft.AspNetCore.Mvc;

namespace SpendOptimizer.Api.Errors;

/// <summary>
/// Every problem answer stays small whatever was sent: at most MaxReportedErrors errors are listed (error_count gives
/// the total), and no bad value, field name or message is echoed beyond a short excerpt. Applied to every problem
/// details answer in one place, so no route can forget it.
/// </summary>
public static class ProblemBounds
{
    /// <summary>How much of a sent value an answer repeats.</summary>
    public const int ExcerptLength = 100;

    /// <summary>How long one message may be: room for a list of channel names, not for an echoed body.</summary>
    public const int MessageLength = 1000;

    /// <summary>The first <paramref name="max"/> characters and an ellipsis, or the text itself when short enough.</summary>
    public static string Excerpt(string text, int max = ExcerptLength)
    {
        if (text.Length <= max) return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut] + "…";
    }

    public static void Apply(ProblemDetails problem, int maxErrors)
    {
        if (problem.Detail is { } detail) problem.Detail = Excerpt(detail, MessageLength);
        if (problem is HttpValidationProblemDetails validation && validation.Errors.Count > 0)
        {
            var total = validation.Errors.Count;
            var bounded = Bound(validation.Errors, maxErrors);
            validation.Errors.Clear();
            foreach (var (k, v) in bounded) validation.Errors[k] = v;
            problem.Extensions.TryAdd("error_count", (long)total);
        }
        switch (problem.Extensions.TryGetValue("errors", out var listed) ? listed : null)
        {
            case IDictionary<string, string[]> errors:
                problem.Extensions["errors"] = Bound(errors, maxErrors);
                problem.Extensions.TryAdd("error_count", (long)errors.Count);
                break;
            case IReadOnlyList<RowError> rows:
                problem.Extensions["errors"] = rows.Take(maxErrors).Select(Bound).ToList();
                problem.Extensions.TryAdd("error_count", (long)rows.Count);
                break;
        }
    }

    private static Dictionary<string, string[]> Bound(IEnumerable<KeyValuePair<string, string[]>> errors, int maxErrors)
    {
        var bounded = new Dictionary<string, string[]>();
        foreach (var (key, messages) in errors)
        {
            if (bounded.Count >= maxErrors) break;
            bounded.TryAdd(Excerpt(key), messages.Take(maxErrors).Select(m => Excerpt(m, MessageLength)).ToArray());
        }
        return bounded;
    }

    private static RowError Bound(RowError e) => e with
    {
        Column = e.Column is null ? null : Excerpt(e.Column),
        Reason = Excerpt(e.Reason, MessageLength),
        Value = e.Value is null ? null : Excerpt(e.Value),
    };
}
