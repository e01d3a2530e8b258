using Microsoft.OpenApi;
using SpendOptimizer.Api.Jobs;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace SpendOptimizer.Api.Hosting;

/// <summary>Routes that run as jobs on request declare the Prefer header that asks for it.</summary>
public sealed class RespondAsyncDocs : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RespondsAsyncMetadata>().Any()) return;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Prefer",
            In = ParameterLocation.Header,
            Required = false,
            Description = "respond-async: store the request as a job and answer 202 with its Location (GET …/jobs/{id} reports state and progress, "
                          + "DELETE cancels). A body that does not bind is still refused at once.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        if (operation.Responses?.TryGetValue("202", out var accepted) == true) accepted.Description = "Accepted as a job; Location is the job.";
    }
}
