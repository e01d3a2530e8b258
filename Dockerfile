# Multi-stage build of the API image. The same commands as the README: build in Release, run the API.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props SpendOptimizer.sln ./
COPY src/SpendOptimizer.Core/SpendOptimizer.Core.csproj src/SpendOptimizer.Core/
COPY src/SpendOptimizer.Api/SpendOptimizer.Api.csproj src/SpendOptimizer.Api/
RUN dotnet restore src/SpendOptimizer.Api/SpendOptimizer.Api.csproj
COPY src/ src/
COPY models/ models/
RUN dotnet publish src/SpendOptimizer.Api/SpendOptimizer.Api.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# ConnectionStrings__SpendOptimizer and SPENDOPT_ADMIN_KEY must be given at run time.
ENV ASPNETCORE_URLS=http://0.0.0.0:5080
EXPOSE 5080
USER app
ENTRYPOINT ["dotnet", "SpendOptimizer.Api.dll"]
