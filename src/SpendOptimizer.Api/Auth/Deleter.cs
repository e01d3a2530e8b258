using System.Reflection;

namespace SpendOptimizer.Api.Auth;

/// <summary>Who sends a delete, and through which route: what the audit records beside the rows removed.</summary>
public sealed record Deleter(Guid? KeyId, string KeyPrefix, Role Role, string Route)
{
    /// <summary>Bound from the caller <see cref="WorkspaceAccessMiddleware"/> admitted and the route that matched.</summary>
    public static ValueTask<Deleter?> BindAsync(HttpContext http, ParameterInfo _)
    {
        var caller = (Caller)http.Items[typeof(Caller)]!;
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        return ValueTask.FromResult<Deleter?>(new Deleter(caller.KeyId, caller.KeyPrefix, caller.Role, $"{http.Request.Method} {pattern}"));
    }
}
