namespace SpendOptimizer.Api.Endpoints;

public static class EndpointConventions
{
    /// <summary>Every ingest route can answer these problems; declared so BI and client generators see them.</summary>
    public static RouteHandlerBuilder IngestProblems(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
