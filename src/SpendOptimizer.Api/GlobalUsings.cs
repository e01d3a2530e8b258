// Framework namespaces nearly every endpoint and store file uses; the project's own are named where used, so each
// file shows which folders it depends on.
global using Microsoft.AspNetCore.Http.HttpResults;
global using Microsoft.Extensions.Options;
