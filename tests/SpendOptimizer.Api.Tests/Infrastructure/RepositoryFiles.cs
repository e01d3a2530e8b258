namespace SpendOptimizer.Api.Tests.Infrastructure;

public static class RepositoryFiles
{
    /// <summary>The folder holding SpendOptimizer.sln, above the test binaries.</summary>
    public static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SpendOptimizer.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("SpendOptimizer.sln not found above the test binaries");
    }
}
