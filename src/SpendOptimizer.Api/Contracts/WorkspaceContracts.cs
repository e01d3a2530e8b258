using System.ComponentModel;
using SpendOptimizer.Api.Auth;

namespace SpendOptimizer.Api.Contracts;

/// <summary>A new workspace: one advertiser.</summary>
/// <param name="Id">Lowercase letters, digits and '-', 2 to 63 characters; used in every URL.</param>
/// <param name="Name">Display name.</param>
/// <param name="TimeZone">IANA time zone of the advertiser's reporting (default UTC): "the coming week" is planned by its calendar.</param>
/// <param name="Currency">ISO 4217 code of every amount of money the workspace loads and is shown, e.g. EUR (default USD). Set once, here.</param>
/// <param name="WeekStart">The day the advertiser's weeks start on (default monday): weekly rows are dated on it, and every weekly figure
/// (KPIs, curves, plans) runs from it. Set once, here.</param>
public sealed record CreateWorkspaceRequest([property: DefaultValue("acme")] string Id, [property: DefaultValue("Acme Ltd")] string Name,
    string? TimeZone = null, [property: DefaultValue("USD")] string? Currency = null, DayOfWeek? WeekStart = null);

/// <summary>A workspace and what its figures mean.</summary>
/// <param name="Currency">ISO 4217 code of its money.</param>
/// <param name="WeekStart">The day its weeks start on.</param>
public sealed record WorkspaceInfo(string Id, string Name, string TimeZone, string Currency, DayOfWeek WeekStart, DateTimeOffset CreatedAt);

/// <summary>The created workspace and its first admin key, shown only here.</summary>
public sealed record WorkspaceCreated(string Id, string Name, string TimeZone, string Currency, DayOfWeek WeekStart, DateTimeOffset CreatedAt, IssuedKey AdminKey);

/// <summary>A key to issue in a workspace.</summary>
/// <param name="Role">read (GET only; may be sent as ?api_key=), ingest (load data, request runs) or admin (issue keys).</param>
/// <param name="Label">Free text to tell keys apart, e.g. "finance sheet".</param>
public sealed record CreateKeyRequest(Role Role, string? Label = null);
