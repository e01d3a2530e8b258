using SpendOptimizer.Api.Services;

namespace SpendOptimizer.Api.Errors;

/// <summary>
/// A request that cannot be served as sent. Thrown from deep inside streaming parsers and turned into
/// RFC 9457 problem details in one place (<see cref="ProblemExceptionHandler"/>); nothing has been stored.
/// </summary>
public sealed class ProblemException(int status, string title, string detail, IReadOnlyList<RowError>? errors = null, long? errorCount = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public IReadOnlyList<RowError> Errors { get; } = errors ?? [];
    public long ErrorCount { get; } = errorCount ?? errors?.Count ?? 0;

    public static ProblemException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, "Body too large",
            $"The body is larger than this route's limit of {limit:N0} bytes; split the upload into smaller batches. Nothing was stored.");

    /// <summary>A query parameter that cannot be used as sent: 400 naming it, in the same errors list uploads use.</summary>
    public static ProblemException InvalidParameter(string name, string reason, string? value = null) =>
        new(StatusCodes.Status400BadRequest, "Invalid query parameter", $"?{name}= {reason}. Nothing was changed.",
            [new RowError(null, null, name, reason, value)]);
}
