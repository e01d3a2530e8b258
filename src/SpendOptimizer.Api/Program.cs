using SpendOptimizer.Api.Auth;
using SpendOptimizer.Api.Catalogue;
using SpendOptimizer.Api.Endpoints;
using SpendOptimizer.Api.Hosting;
using SpendOptimizer.Api.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.AddSpendOptimizer();

var app = builder.Build();
await app.Services.GetRequiredService<Migrator>().MigrateAsync();
app.Services.GetRequiredService<ModelCatalogue>(); // a bad catalogue stops the start here

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestLimitMiddleware>();
app.UseSwagger();
app.UseSwaggerUI();
app.UseRouting();
app.UseRateLimiter();
app.UseMiddleware<WorkspaceAccessMiddleware>();
app.UseMiddleware<TimeLimitMiddleware>();
app.UseMiddleware<BodyLimitMiddleware>();
app.UseMiddleware<JsonBodyEncodingMiddleware>();
app.UseMiddleware<QueryParameterMiddleware>();

app.MapHealthEndpoints();
app.MapModelEndpoints();
app.MapWorkspaceEndpoints();
app.MapPerformanceEndpoints();
app.MapTouchpointEndpoints();
app.MapPathEndpoints();
app.MapLiftTestEndpoints();
app.MapEconomicsEndpoints();
app.MapAttributionEndpoints();
app.MapIncrementalityEndpoints();
app.MapResponseCurveEndpoints();
app.MapRecommendationEndpoints();
app.MapBudgetCurveEndpoints();
app.MapScenarioEndpoints();
app.MapPlanEndpoints();
app.MapOutcomeEndpoints();
app.MapReportEndpoints();
app.MapScheduleEndpoints();
app.MapKpiEndpoints();
app.MapSignalEndpoints();
app.MapDeletionEndpoints();
app.MapCustomerEndpoints();
app.MapCustomerValueEndpoints();
app.MapJobEndpoints();

app.MapMetrics();

app.Run();

public partial class Program;
