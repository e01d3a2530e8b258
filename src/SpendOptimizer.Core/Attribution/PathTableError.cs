namespace SpendOptimizer.Core.Attribution;

/// <summary>
/// The first problem of a path table: its line and, for problems of one line, the order they are checked in (field count,
/// then the path, then the numbers), so the problem reported is the first a line-by-line reader meets.
/// </summary>
internal sealed record PathTableError(long Line, int Rank, string Reason)
{
    public const int FieldsRank = 0;
    public const int PathRank = 1;
    public const int NumberRank = 2;

    public PathTableError At(long lineOffset) => this with { Line = Line + lineOffset };

    public static PathTableError? First(PathTableError? a, PathTableError? b) =>
        a is null ? b : b is null ? a : (a.Line, a.Rank).CompareTo((b.Line, b.Rank)) <= 0 ? a : b;
}
