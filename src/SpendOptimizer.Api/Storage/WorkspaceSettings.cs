namespace SpendOptimizer.Api.Storage;

/// <summary>What a workspace's figures mean: its money's currency, the zone its calendar is read in, the day its weeks start.</summary>
public sealed record WorkspaceSettings(string Currency, string TimeZone, DayOfWeek WeekStart)
{
    /// <summary>
    /// Today's date on the workspace's calendar. A zone accepted at creation can only go missing if the host's time zone
    /// data does (a container image without tzdata); the day is then read in UTC rather than failing the request.
    /// </summary>
    public DateOnly Today(TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var local = TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? TimeZoneInfo.ConvertTime(now, zone) : now;
        return DateOnly.FromDateTime(local.DateTime);
    }
}
