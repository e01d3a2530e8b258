using System.Globalization;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Storage;
using SpendOptimizer.Core.Inputs;

namespace SpendOptimizer.Api.Services;

/// <summary>
/// Checks what a delete names before anything is touched (a bad parameter is a 400 naming it, changing nothing),
/// then removes it whole, recorded in the audit; a delete that finds nothing is a 404 and is not recorded.
/// </summary>
public sealed class DeletionService(DeletionStore store)
{
    public abstract record Outcome;
    public sealed record Removed(long Rows) : Outcome;
    public sealed record Missing(string Title, string Detail) : Outcome;
    public sealed record Conflict(string Title, string Detail) : Outcome;

    public async Task<Outcome> PerformanceAsync(string ws, Deleter who, string? channel, DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var name = Channel(channel, "channel", inRoute: false);
        if (from is null) throw Invalid("from", "is required: the first day to delete, yyyy-MM-dd", inRoute: false);
        if (to is null) throw Invalid("to", "is required: the last day to delete (included), yyyy-MM-dd", inRoute: false);
        if (to < from) throw Invalid("to", $"is before from ({Day(from.Value)})", inRoute: false, Day(to.Value));
        var removed = await store.PerformanceAsync(ws, name, from.Value, to.Value, who,
            new Dictionary<string, string> { ["channel"] = name, ["from"] = Day(from.Value), ["to"] = Day(to.Value) }, ct);
        return removed > 0 ? new Removed(removed)
            : new Missing("No performance rows", $"Workspace '{ws}' has no performance rows of channel '{name}' dated {Day(from.Value)} to {Day(to.Value)}.");
    }

    public async Task<Outcome> LiftTestAsync(string ws, Deleter who, string id, CancellationToken ct)
    {
        if (id.Length > 100) throw Invalid("id", "is longer than 100 characters, so no lift test has it", inRoute: true);
        var removed = await store.LiftTestAsync(ws, id, who, new Dictionary<string, string> { ["id"] = id }, ct);
        return removed > 0 ? new Removed(removed) : new Missing("Lift test not found", $"Workspace '{ws}' has no lift test '{id}'.");
    }

    public async Task<Outcome> EconomicsAsync(string ws, Deleter who, string channel, CancellationToken ct)
    {
        var name = Channel(channel, "channel", inRoute: true);
        var removed = await store.EconomicsAsync(ws, name, who, new Dictionary<string, string> { ["channel"] = name }, ct);
        return removed > 0 ? new Removed(removed) : new Missing("Economics not found", $"Workspace '{ws}' has no unit economics for channel '{name}'.");
    }

    /// <summary>Every stored path, or only the one ?path= names (written as uploaded, "a > b > c").</summary>
    public async Task<Outcome> PathsAsync(string ws, Deleter who, string? path, CancellationToken ct)
    {
        if (path is not null && string.IsNullOrWhiteSpace(path))
            throw Invalid("path", "is empty: name one stored path (\"a > b > c\"), or leave ?path= out to delete every path", inRoute: false);
        var removed = await store.PathsAsync(ws, path, who, path is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["path"] = path }, ct);
        return removed > 0 ? new Removed(removed)
            : new Missing("Path not found", path is null ? $"Workspace '{ws}' has no stored paths." : $"Workspace '{ws}' has no stored path '{path}'.");
    }

    public async Task<Outcome> TouchpointLoadAsync(string ws, Deleter who, Guid loadId, CancellationToken ct)
    {
        var load = await store.TouchpointLoadAsync(ws, loadId, who, new Dictionary<string, string> { ["load_id"] = loadId.ToString() }, ct);
        if (load.Rows is null) return new Missing("Touchpoint load not found", $"Workspace '{ws}' has no touchpoint load {loadId}.");
        if (load.Removed != load.Rows)
            return new Conflict("Load predates per-load deletes",
                $"Load {loadId} stored {load.Rows:N0} touchpoints before touchpoints recorded their load, so they cannot be told apart from other loads' rows. Nothing was changed.");
        return new Removed(load.Removed);
    }

    /// <summary>One customers, orders or subscriptions load (kind names which), as its POST answered it.</summary>
    public async Task<Outcome> CustomerLoadAsync(string ws, Deleter who, string kind, Guid loadId, CancellationToken ct)
    {
        var removed = await store.CustomerLoadAsync(ws, kind, loadId, who, new Dictionary<string, string> { ["load_id"] = loadId.ToString() }, ct);
        return removed is { } n ? new Removed(n) : new Missing("Load not found", $"Workspace '{ws}' has no {kind} load {loadId}.");
    }

    private static string Channel(string? value, string name, bool inRoute)
    {
        if (string.IsNullOrEmpty(value)) throw Invalid(name, "is required: the channel whose rows to delete", inRoute);
        return ChannelName.Validate(value) is { } reason ? throw Invalid(name, reason, inRoute, value) : value;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A 400 naming the parameter, in the errors list every other refusal uses.</summary>
    private static ProblemException Invalid(string name, string reason, bool inRoute, string? value = null) =>
        inRoute
            ? new ProblemException(StatusCodes.Status400BadRequest, "Invalid route parameter", $"{{{name}}} {reason}. Nothing was changed.",
                [new RowError(null, null, name, reason, value)])
            : ProblemException.InvalidParameter(name, reason, value);
}
