using Npgsql;
using SpendOptimizer.Api.Contracts;

namespace SpendOptimizer.Api.Storage;

/// <summary>
/// Paths, each one row holding the request and the answer as sent: a path is read only whole, so its cells need no table of
/// their own, and one insert stores all of it or none.
/// </summary>
public sealed class PlanStore(NpgsqlDataSource db)
{
    public Task SaveAsync(string ws, CreatePlanRequest request, PlanResponse plan, CancellationToken ct) =>
        WholeAnswers.SaveAsync(db, "plans", ws, plan.Id, plan.CreatedAt, request, plan, ct);

    /// <summary>One path of the workspace, or its newest when <paramref name="id"/> is null.</summary>
    public Task<PlanResponse?> GetAsync(string ws, Guid? id, CancellationToken ct) => WholeAnswers.GetAsync<PlanResponse>(db, "plans", ws, id, ct);
}
