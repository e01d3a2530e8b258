using System.ComponentModel;
using SpendOptimizer.Api.Auth;

namespace SpendOptimizer.Api.Contracts;

/// <summary>A new workspace: one advertiser.</summary>
/// <param name="Id">Lowercase letters, digits and '-', 2 to 63 characters; used in every URL.</param>
/// <param name="Name">Display name.</param>
/// <param name="TimeZone">IANA time zone of the advertiser's reporting, for weekly schedules (default UTC).</param>
public sealed record CreateWorkspaceRequest([property: DefaultValue("acme")] string Id, [property: DefaultValue("Acme Ltd")] string Name, string? TimeZone = null);

/// <summary>The created workspace and its first admin key, shown only here.</summary>
public sealed record WorkspaceCreated(string Id, string Name, string TimeZone, DateTimeOffset CreatedAt, IssuedKey AdminKey);

/// <summary>A key to issue in a workspace.</summary>
/// <param name="Role">read (GET only; may be sent as ?api_key=), ingest (load data, request runs) or admin (issue keys).</param>
/// <param name="Label">Free text to tell keys apart, e.g. "finance sheet".</param>
public sealed record CreateKeyRequest(Role Role, string? Label = null);
