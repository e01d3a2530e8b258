using System.Text.RegularExpressions;
using SpendOptimizer.Api.Tests.Infrastructure;

namespace SpendOptimizer.Api.Tests;

/// <summary>
/// The image is built from sources only: .dockerignore, read with Docker's rules, keeps every bin/ and obj/ (and the
/// private database) out of the build context and lets in everything the Dockerfile copies.
/// </summary>
public sealed class DockerignoreTests
{
    /// <summary>
    /// Docker's matching (moby/patternmatcher): patterns are cleaned paths from the context root, `*` and `?` stay
    /// within a path segment, `**` spans any number of them, `!` re-includes, the last matching line decides, and a
    /// pattern that matches a folder excludes everything in it.
    /// </summary>
    private static Func<string, bool> Excluder(string dockerignore)
    {
        var rules = dockerignore.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => (Include: l.StartsWith('!'), Pattern: l.TrimStart('!').Trim('/')))
            .Select(r => (r.Include, Regex: new Regex("^" + ToRegex(r.Pattern) + "$")))
            .ToList();
        return path =>
        {
            var segments = path.Split('/');
            var prefixes = Enumerable.Range(1, segments.Length).Select(n => string.Join('/', segments[..n])).ToList();
            var excluded = false;
            foreach (var (include, regex) in rules)
                if (prefixes.Any(regex.IsMatch)) excluded = !include;
            return excluded;
        };
    }

    private static string ToRegex(string pattern) =>
        Regex.Replace(pattern, @"\*\*/|\*\*|\*|\?|[^*?]+", m => m.Value switch
        {
            "**/" => "(?:.*/)?",
            "**" => ".*",
            "*" => "[^/]*",
            "?" => "[^/]",
            var literal => Regex.Escape(literal),
        });

    private static readonly string Root = RepositoryFiles.Root();

    [Theory]
    [InlineData("src/SpendOptimizer.Api/bin/Release/net10.0/SpendOptimizer.Api.dll")]
    [InlineData("src/SpendOptimizer.Api/obj/project.assets.json")]
    [InlineData("src/SpendOptimizer.Core/obj/Release/net10.0/SpendOptimizer.Core.dll")]
    [InlineData("src/SpendOptimizer.Cli/bin/Debug/net10.0/spendopt.dll")]
    [InlineData("tests/SpendOptimizer.Api.Tests/bin/Release/net10.0/SpendOptimizer.Api.Tests.dll")]
    [InlineData("bin/Release/x.dll")]
    [InlineData("obj/x.json")]
    [InlineData(".data/pg/PG_VERSION")]
    [InlineData(".data/admin-key")]
    public void KeepsLocalBuildOutputAndTheDatabaseOut(string path) =>
        Assert.True(Excluder(File.ReadAllText(Path.Combine(Root, ".dockerignore")))(path), $"{path} would enter the image's build context");

    [Fact]
    public void LetsInEverythingTheDockerfileCopies()
    {
        var excluded = Excluder(File.ReadAllText(Path.Combine(Root, ".dockerignore")));
        var sources = File.ReadAllLines(Path.Combine(Root, "Dockerfile"))
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToList();
        Assert.Contains("src/", sources);
        var problems = new List<string>();
        foreach (var source in sources)
        {
            var full = Path.Combine(Root, source);
            var files = Directory.Exists(full)
                ? Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                    .Where(f => !Regex.IsMatch(f, "(^|/)(bin|obj)/")).ToList()
                : [source];
            if (files.Count == 0) problems.Add($"{source}: no files");
            problems.AddRange(files.Where(excluded).Select(f => $"{f} (copied by COPY {source}) is excluded"));
        }
        Assert.Empty(problems);
    }
}
