using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Npgsql;
using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Csv;
using SpendOptimizer.Api.Errors;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Jobs;
using SpendOptimizer.Api.Json;
using SpendOptimizer.Api.Options;
using SpendOptimizer.Api.Scheduling;
using SpendOptimizer.Api.Services;
using SpendOptimizer.Api.Storage;

namespace SpendOptimizer.Api.Hosting;

public static class ServiceSetup
{
    public const string ConnectionStringName = "SpendOptimizer";

    public static WebApplicationBuilder AddSpendOptimizer(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // The hosting layer logs each request's URL, query included, and read keys may travel as ?api_key=: those
        // lines stay off whatever level the configuration asks for (this rule is added last, so it wins).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        // Kestrel quotes a malformed request line or header, key and all, at Debug, and only when this category is on.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.BadRequests", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel((context, kestrel) => RequestLimitMiddleware.RaiseKestrelLimits(kestrel,
            context.Configuration.GetSection(SpendOptimizerOptions.Section).Get<SpendOptimizerOptions>() ?? new()));
        services.AddOptions<SpendOptimizerOptions>()
            .Bind(builder.Configuration.GetSection(SpendOptimizerOptions.Section))
            .PostConfigure(o => o.AdminKey ??= builder.Configuration["SPENDOPT_ADMIN_KEY"]);
        builder.AddTelemetry();

        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Set ConnectionStrings:{ConnectionStringName} (environment ConnectionStrings__{ConnectionStringName}) to a PostgreSQL connection string.");
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());

        services.AddSingleton<Migrator>();
        services.AddSingleton(sp => ServiceModels.Check(AttributionRunner.CheckImplemented(ModelCatalogue.Load(
            sp.GetRequiredService<IOptions<SpendOptimizerOptions>>().Value.ModelsPath, CatalogueJson()))));
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<WorkspaceStore>();
        services.AddSingleton<PerformanceStore>();
        services.AddSingleton<TouchpointStore>();
        services.AddSingleton<PathStore>();
        services.AddSingleton<LiftTestStore>();
        services.AddSingleton<EconomicsStore>();
        services.AddSingleton<JourneyPathStore>();
        services.AddSingleton<AttributionRunStore>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<CalibrationService>();
        services.AddSingleton<ResponseCurveStore>();
        services.AddSingleton<RecommendationStore>();
        services.AddSingleton<RecommendationService>();
        services.AddSingleton<BudgetCurveService>();
        services.AddSingleton<ScenarioStore>().AddSingleton<ScenarioService>();
        services.AddSingleton<PlanStore>();
        services.AddSingleton<PlanService>();
        services.AddSingleton<CustomerValueStore>().AddSingleton<CustomerValueService>();
        services.AddSingleton<OutcomeService>();
        services.AddSingleton<AttributionService>();
        services.AddSingleton<KpiService>();
        services.AddSingleton<SignalService>();
        services.AddSingleton<GeoAnalysisService>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<ScheduleRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<ScheduleRunner>());
        services.AddSingleton<JobStore>().AddSingleton<JobReplay>().AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<CurveFittingService>();
        services.AddSingleton<BatchReader>();
        services.AddSingleton<DeletionStore>();
        services.AddSingleton<SpendOptimizer.Api.Services.DeletionService>();
        services.AddCustomerData();

        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        // Swashbuckle describes schemas with MVC's JSON settings: the same ones, so the document matches the wire.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => ApiJson.Configure(o.JsonSerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            // Routing answers 415 itself when a body's type is not one the route accepts.
            if (c.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && c.ProblemDetails.Detail is null)
                c.ProblemDetails.Detail = $"Content-Type '{ProblemBounds.Excerpt(c.HttpContext.Request.ContentType ?? "")}' is not accepted here; send text/csv or application/json. Nothing was stored.";
            ProblemBounds.Apply(c.ProblemDetails, c.HttpContext.RequestServices.GetRequiredService<IOptions<SpendOptimizerOptions>>().Value.MaxReportedErrors);
        });
        // A body that does not bind is thrown to ProblemExceptionHandler in every environment, not answered bare.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddPerKeyRateLimits();
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "SpendOptimizer API",
                Version = "v1",
                Description = "Where next week's paid-media budget should go: ingest, attribution, incrementality, response curves and allocation.",
            });
            o.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = WorkspaceAccessMiddleware.HeaderName,
                Description = "A workspace key (roles read, ingest, admin). Read-only keys may also be sent as ?api_key= on GET.",
            });
            o.AddSecurityRequirement(doc => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", doc)] = [] });
            o.SchemaFilter<OpenApiExamples>();
            o.OperationFilter<CsvResponses>();
            o.OperationFilter<BodyLimitResponses>();
            o.OperationFilter<QueryParameterDocs>();
            o.OperationFilter<RespondAsyncDocs>();
            var xml = Path.Combine(AppContext.BaseDirectory, "SpendOptimizer.Api.xml");
            if (File.Exists(xml)) o.IncludeXmlComments(xml);
        });
        return builder;
    }

    private static JsonSerializerOptions CatalogueJson()
    {
        var o = new JsonSerializerOptions { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip, RespectNullableAnnotations = true };
        ApiJson.Configure(o);
        return o;
    }
}
