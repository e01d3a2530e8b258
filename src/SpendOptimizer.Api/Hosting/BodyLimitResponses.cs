using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpendOptimizer.Api.Hosting;

/// <summary>Every operation with a body can answer 413 (<see cref="BodyLimitMiddleware"/>); the document says so.</summary>
public sealed class BodyLimitResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.RequestBody is null || operation.Responses is null || operation.Responses.ContainsKey("413")) return;
        operation.Responses["413"] = new OpenApiResponse
        {
            Description = "The body is larger than this route's limit; nothing was stored.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = context.SchemaGenerator.GenerateSchema(typeof(ProblemDetails), context.SchemaRepository) },
            },
        };
    }
}
