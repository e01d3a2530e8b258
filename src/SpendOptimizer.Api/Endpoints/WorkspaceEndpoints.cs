using System.Text.RegularExpressions;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Endpoints;

public static partial class WorkspaceEndpoints
{
    // \z, not $: "$" also matches before a final newline, and "acme\n" must not pass.
    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]{1,62}\z")]
    private static partial Regex WorkspaceId();

    public static RouteGroupBuilder MapWorkspaceEndpoints(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("/v1/workspaces").WithTags("Workspaces");
        root.MapPost("", CreateWorkspace)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithName("CreateWorkspace")
            .WithSummary("Create a workspace (one advertiser) and its first admin key. Needs the operator key.");

        var ws = app.MapWorkspaceGroup().WithTags("Workspaces");
        ws.MapGet("", GetWorkspace)
            .RequireRole(Role.Read)
            .WithName("GetWorkspace")
            .WithSummary("The workspace: its name and what its figures mean (currency, time zone, the day its weeks start).");
        ws.MapPost("/keys", CreateKey)
            .RequireRole(Role.Admin)
            .WithName("CreateApiKey")
            .WithSummary("Issue an API key with role read, ingest or admin. The key is shown only in this answer.");
        ws.MapGet("/keys", ListKeys)
            .RequireRole(Role.Admin)
            .WithName("ListApiKeys")
            .WithSummary("The workspace's keys: id, role, first characters, label, created and revoked times (never the key).");
        ws.MapDelete("/keys/{id:guid}", RevokeKey)
            .RequireRole(Role.Admin)
            .WithName("RevokeApiKey")
            .WithSummary("Revoke a key: it gets 401 from now on (other instances of the service forget it within KeyCacheSeconds, default 2 s).");
        return root;
    }

    private static async Task<Results<Ok<WorkspaceInfo>, ProblemHttpResult>> GetWorkspace(string ws, WorkspaceStore store, CancellationToken ct) =>
        await store.GetAsync(ws, ct) is { } found ? TypedResults.Ok(found)
            : TypedResults.Problem(statusCode: 404, title: "Workspace not found", detail: $"There is no workspace '{ws}'.");

    private static async Task<Ok<IReadOnlyList<KeyInfo>>> ListKeys(string ws, WorkspaceStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListKeysAsync(ws, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string ws, Guid id, WorkspaceStore store, ApiKeyStore keys, CancellationToken ct)
    {
        if (!await store.RevokeKeyAsync(ws, id, ct))
            return TypedResults.Problem(statusCode: 404, title: "Key not found", detail: $"Workspace '{ws}' has no key {id}.");
        keys.Forget();
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The group every workspace route hangs from: admin role unless a route asks for less, key checked by
    /// <see cref="WorkspaceAccessMiddleware"/>, auth errors declared.
    /// </summary>
    public static RouteGroupBuilder MapWorkspaceGroup(this IEndpointRouteBuilder app) =>
        app.MapGroup("/v1/workspaces/{ws}")
            .RequireRole(Role.Admin)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<Created<WorkspaceCreated>, ValidationProblem, ProblemHttpResult>> CreateWorkspace(
        CreateWorkspaceRequest request, HttpRequest http, ApiKeyStore keys, WorkspaceStore store, CancellationToken ct)
    {
        string? key = http.Headers[WorkspaceAccessMiddleware.HeaderName];
        if (string.IsNullOrEmpty(key) || await keys.ResolveAsync(key, ct) is not { IsOperator: true })
            return TypedResults.Problem(statusCode: 401, title: "Operator key required",
                detail: $"Creating a workspace needs the operator key (SPENDOPT_ADMIN_KEY) in the {WorkspaceAccessMiddleware.HeaderName} header.");
        var errors = new Dictionary<string, string[]>();
        if (request.Id is null || !WorkspaceId().IsMatch(request.Id))
            errors["id"] = ["must be 2–63 characters of lowercase letters, digits and '-', starting with a letter or digit"];
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
            errors["name"] = ["is required, at most 200 characters"];
        var tz = request.TimeZone ?? "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
            errors["time_zone"] = [$"'{ProblemBounds.Excerpt(tz)}' is not a known IANA time zone; use a name such as Europe/Berlin or America/New_York"];
        var currency = CurrencyCode.Normalize(request.Currency ?? CurrencyCode.Default);
        if (currency is null)
            errors["currency"] = [$"'{ProblemBounds.Excerpt(request.Currency!)}' is not an ISO 4217 currency code; use three letters such as USD, EUR or GBP"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var created = await store.CreateAsync(request.Id!, request.Name.Trim(),
            new WorkspaceSettings(currency!, tz, request.WeekStart ?? DayOfWeek.Monday), ct);
        return TypedResults.Created($"/v1/workspaces/{created.Id}", created);
    }

    private static async Task<Results<Created<IssuedKey>, ValidationProblem>> CreateKey(
        string ws, CreateKeyRequest request, WorkspaceStore store, CancellationToken ct)
    {
        if (!Enum.IsDefined(request.Role))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["role"] = ["must be read, ingest or admin"] });
        if (request.Label is { Length: > 200 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["label"] = ["is at most 200 characters"] });
        var key = await store.IssueKeyAsync(ws, request.Role, request.Label, ct);
        return TypedResults.Created($"/v1/workspaces/{ws}/keys/{key.Id}", key);
    }
}
