using System.ComponentModel;
using System.Text.Json.Serialization;

namespace SpendOptimizer.Api.Contracts;

/// <summary>One geo-day of a geo test.</summary>
public sealed record GeoRow(string Geo, DateOnly Date, bool Treated, double Kpi, double Spend = 0);

/// <summary>A geo test's raw series to analyse, and whether to store the result as a lift test of the channel.</summary>
/// <param name="Start">First day of the test; days before it are the pre-period.</param>
/// <param name="End">Last day of the test.</param>
/// <param name="StoreAsLiftTest">Store the result in …/lift-tests (kind geo) so calibration uses it.</param>
/// <param name="AttributedConversions">What attribution credited the channel with in the test window; stored with the test.</param>
public sealed record AnalyzeGeoTestRequest(
    [property: DefaultValue("paid_social")] string Channel, DateOnly Start, DateOnly End, IReadOnlyList<GeoRow> Rows,
    bool StoreAsLiftTest = false, string? Id = null, double? AttributedConversions = null);

/// <summary>Incremental KPI with its 90% interval, relative lift and iROAS, by time-based regression on control geos.</summary>
public sealed record GeoTestResponse(
    double Incremental, double Stderr,
    [property: JsonPropertyName("lower_90")] double Lower90, [property: JsonPropertyName("upper_90")] double Upper90,
    double? RelativeLift, double IncrementalSpend, double? Iroas, int PreDays, int TestDays, double? PreRSquared,
    IReadOnlyList<string> Warnings, string? StoredLiftTestId);
