using SpendOptimizer.Api.Tests.Readme;

namespace SpendOptimizer.Api.Tests;

/// <summary>The README's curl reader: the forms it supports become the request curl would send; any other form is refused.</summary>
public sealed class CurlExampleTests
{
    private static readonly RunContext Context = new(new Dictionary<string, string> { ["url"] = "http://h:1", ["KEY"] = "sok_k" },
        f => throw new FileNotFoundException(f));

    private static CurlExample Single(string bash) => Assert.Single(CurlExample.FromMarkdown($"```bash\n{bash}\n```\n", "t.md", s => s.Replace("demo", "ws1")));

    [Fact]
    public async Task SupportedFormsBecomeTheRequestCurlSends()
    {
        var example = Single("""
            curl -X PUT "$url/v1/workspaces/demo/x?a=1&b=2" -H "X-Api-Key: $KEY" \
                 -H 'Content-Type: application/json' -d '{"id":"demo",
              "n": 1}'   # → 201, RUN=$.id
            """);
        Assert.Equal(201, example.ExpectedStatus);
        Assert.Equal([("RUN", "$.id")], example.Captures);
        using var request = example.Build(Context);
        Assert.Equal(HttpMethod.Put, request.Method);
        Assert.Equal("http://h:1/v1/workspaces/ws1/x?a=1&b=2", request.RequestUri!.ToString());
        Assert.Equal("sok_k", Assert.Single(request.Headers.GetValues("X-Api-Key")));
        Assert.Equal("application/json", request.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("{\"id\":\"ws1\",\n  \"n\": 1}", await request.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DataWithoutMethodIsAFormPostAndWithoutDataAGet()
    {
        using var post = Single("curl $url/a -d 'x=1' -d y=2   # → 200").Build(Context);
        Assert.Equal(HttpMethod.Post, post.Method);
        Assert.Equal("application/x-www-form-urlencoded", post.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("x=1&y=2", await post.Content.ReadAsStringAsync());
        using var get = Single("curl -o out.xlsx \"$url/b\"   # → 200").Build(Context);
        Assert.Equal(HttpMethod.Get, get.Method);
        Assert.Null(get.Content);
    }

    [Theory]
    [InlineData("curl -L $url/a   # → 200", "-L")]
    [InlineData("curl -sS $url/a   # → 200", "-sS")]
    [InlineData("curl $url/a | jq .   # → 200", "'|'")]
    [InlineData("curl $url/a > out.json   # → 200", "'>'")]
    [InlineData("curl $url/a $url/b   # → 200", "one URL")]
    [InlineData("curl \"$url/$(cat id)\"   # → 200", "only $NAME")]
    [InlineData("curl $url/$MISSING   # → 200", "'MISSING' is not set")]
    public void OtherFormsAreRefused(string bash, string reason)
    {
        var error = Record.Exception(() => Single(bash).Build(Context));
        Assert.NotNull(error);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void ACurlWithoutItsStatusIsRefused() =>
        Assert.Contains("expected status", Assert.Throws<FormatException>(() => Single("curl $url/a   # the list")).Message);
}
