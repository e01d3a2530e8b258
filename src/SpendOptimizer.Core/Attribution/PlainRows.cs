namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// A strict read's bounds: rows are taken only when each field is plain (no quotes, no NUL, numbers in plain digits up to
/// <paramref name="MaxNumber"/>, every line as many fields as the header and at most <paramref name="MaxLineBytes"/> long,
/// lines ended by LF or CRLF, none blank). Whatever else a reader would accept or refuse is left to that reader.
/// </summary>
public sealed record PlainRows(int MaxLineBytes, double MaxNumber);
