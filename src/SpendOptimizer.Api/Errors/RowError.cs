namespace SpendOptimizer.Api.Errors;

/// <summary>
/// What is wrong with one input row. <see cref="Row"/> counts data rows from 1 (JSON array index + 1);
/// for CSV, <see cref="Line"/> is the record's line in the file, the header being line 1.
/// </summary>
public sealed record RowError(long? Row, long? Line, string? Column, string Reason, string? Value = null);
