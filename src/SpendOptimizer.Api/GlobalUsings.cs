// Namespaces nearly every endpoint and store file uses.
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.Extensions.Options;
global using SpendOptimizer.Api.Auth;
global using SpendOptimizer.Api.Catalogue;
global using SpendOptimizer.Api.Contracts;
global using SpendOptimizer.Api.Csv;
global using SpendOptimizer.Api.Errors;
global using SpendOptimizer.Api.Hosting;
global using SpendOptimizer.Api.Ingest;
global using SpendOptimizer.Api.Json;
global using SpendOptimizer.Api.Options;
global using SpendOptimizer.Api.Services;
global using SpendOptimizer.Api.Scheduling;
global using SpendOptimizer.Api.Storage;
