namespace SpendOptimizer.Api.Auth;

/// <summary>Who made a request: a workspace key, or the operator (bootstrap admin key, no workspace, no key id).</summary>
public sealed record Caller(string? WorkspaceId, Role Role, Guid? KeyId = null, string KeyPrefix = "operator")
{
    public bool IsOperator => WorkspaceId is null;

    public bool CanAccess(string workspaceId) => IsOperator || WorkspaceId == workspaceId;
}
