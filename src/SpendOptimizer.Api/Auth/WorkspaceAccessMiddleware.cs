using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Ingest;

namespace SpendOptimizer.Api.Auth;

/// <summary>
/// Guards every route carrying <see cref="RequiredRole"/> (all of /v1/workspaces/{ws}). Runs after routing
/// and before model binding, so a caller without access learns nothing from validation errors.
/// A key must be given, be valid, belong to {ws} (another workspace's key gets 404) and carry the role.
/// Spreadsheet tools cannot set headers, so a read-only key may come as ?api_key= on GET.
/// </summary>
public sealed class WorkspaceAccessMiddleware(RequestDelegate next)
{
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "api_key";

    public async Task InvokeAsync(HttpContext http, ApiKeyStore keys, UnknownKeyLimiter unknownKeys, IProblemDetailsService problems)
    {
        var required = http.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>();
        if (required is null)
        {
            await next(http);
            return;
        }
        var ct = http.RequestAborted;
        var workspaceId = http.Request.RouteValues["ws"] as string ?? "";

        string? key = http.Request.Headers[HeaderName];
        var fromQuery = false;
        if (string.IsNullOrEmpty(key) && HttpMethods.IsGet(http.Request.Method) && http.Request.Query.TryGetValue(QueryName, out var q))
        {
            key = q;
            fromQuery = true;
        }
        if (string.IsNullOrEmpty(key))
        {
            await Problem(http, problems, 401, "API key required", $"Send an API key in the {HeaderName} header.");
            return;
        }
        if (!keys.IsWellFormed(key))
        {
            await Problem(http, problems, 401, "API key required",
                $"The {(fromQuery ? "?" + QueryName + "=" : HeaderName)} value is not an API key: keys are 'sok_' followed by 43 letters, digits, '-' or '_'.");
            return;
        }
        var address = UnknownKeyLimiter.AddressOf(http);
        var caller = keys.Remembered(key);
        if (caller is null)
        {
            if (!unknownKeys.MayLookUp(address))
            {
                await UnknownKeyLimiter.WriteTooManyAsync(http, 1, "This address sent more unknown API keys than its limit allows; retry after 1 s.");
                return;
            }
            caller = await keys.ResolveAsync(key, ct);
        }
        if (caller is null)
        {
            unknownKeys.Charge(address);
            await Problem(http, problems, 401, "API key required", "The API key is not valid.");
            return;
        }
        if (fromQuery && caller.Role != Role.Read)
        {
            await Problem(http, problems, 401, "API key required",
                $"Only read-only keys may be sent as ?{QueryName}=; send other keys in the {HeaderName} header.");
            return;
        }
        if (!caller.CanAccess(workspaceId) || (caller.IsOperator && !await keys.WorkspaceExistsAsync(workspaceId, ct)))
        {
            await Problem(http, problems, 404, "Workspace not found", $"There is no workspace '{workspaceId}' for this key.");
            return;
        }
        if (caller.Role < required.Role)
        {
            await Problem(http, problems, 403, "Role too low",
                $"This route needs a key with role '{Name(required.Role)}' or higher; this key has '{Name(caller.Role)}'.");
            return;
        }
        http.Items[typeof(Caller)] = caller;
        await next(http);
    }

    private static string Name(Role role) => role.ToString().ToLowerInvariant();

    private static async Task Problem(HttpContext http, IProblemDetailsService problems, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

public static class RoleEndpointExtensions
{
    /// <summary>Marks the least role a route needs; checked by <see cref="WorkspaceAccessMiddleware"/>.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRole(role));
}
