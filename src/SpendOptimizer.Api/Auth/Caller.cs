namespace SpendOptimizer.Api.Auth;

/// <summary>Who made a request: a workspace key, or the operator (bootstrap admin key, no workspace).</summary>
public sealed record Caller(string? WorkspaceId, Role Role)
{
    public bool IsOperator => WorkspaceId is null;

    public bool CanAccess(string workspaceId) => IsOperator || WorkspaceId == workspaceId;
}
