namespace SpendOptimizer.Api.Contracts;

/// <summary>What a delete removed: rows of the thing named (touchpoints, for a touchpoint load).</summary>
public sealed record DeletionResult(long Removed);

/// <summary>One delete that removed something: who asked (key id and prefix, role), when, the route and its parameters.</summary>
/// <param name="KeyId">The key's id, as GET …/keys lists it; null for the operator key.</param>
/// <param name="Route">Method and route pattern, e.g. "DELETE /v1/workspaces/{ws}/performance".</param>
/// <param name="Parameters">The route and query values the delete was given, by name.</param>
public sealed record DeletionRecord(Guid Id, DateTimeOffset DeletedAt, Guid? KeyId, string KeyPrefix, string Role, string Route,
    IReadOnlyDictionary<string, string> Parameters, long Removed);
