using Microsoft.AspNetCore.Mvc;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Contracts;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Core.Allocation;

namespace SpendOptimizer.Api.Endpoints;

public static class PlanEndpoints
{
    public static RouteGroupBuilder MapPlanEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapWorkspaceGroup().WithTags("Plans");
        group.MapPost("/plans", Create)
            .WithTimeLimit(o => o.PlanningTimeLimitSeconds)
            .RequireRole(Role.Ingest)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("CreatePlan")
            .WithSummary("Plan a path of 1–26 weeks: each week each channel kept or moved within the band from the week before, carry-over counted; a channel × week table.");
        return group;
    }

    private static async Task<Results<Ok<PlanResponse>, ValidationProblem, ProblemHttpResult>> Create(
        string ws, CreatePlanRequest request, PlanService planner, CancellationToken ct)
    {
        switch (await planner.PlanAsync(ws, request, ct))
        {
            case PlanService.Planned planned:
                return TypedResults.Ok(planned.Plan);
            case PlanService.Invalid invalid:
                return TypedResults.ValidationProblem(invalid.Errors);
            case PlanService.NoCurves none:
                return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "No curves", detail: none.Detail);
            case PlanService.Infeasible infeasible:
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = infeasible.Result.Status == AllocationStatus.TimedOut ? "No path found within the time limit" : "No path meets every rule",
                    Detail = string.Join(" ", infeasible.Result.Clashes.Select(c => c.Explanation)),
                    Extensions =
                    {
                        ["solver_status"] = infeasible.Result.SolverStatus,
                        ["clashes"] = infeasible.Result.Clashes.Select(c => new { subject = c.Subject, limit = c.Limit, required = c.Required, achievable = c.Achievable, explanation = c.Explanation }).ToList(),
                    },
                });
            default:
                throw new InvalidOperationException("unknown planning outcome");
        }
    }
}
