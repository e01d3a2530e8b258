using System.Text.Json;

namespace SpendOptimizer.Api.Tests.Hostile;

/// <summary>What every refusal of a hostile input must look like, checked in one place.</summary>
public static class HostileAnswers
{
    /// <summary>The answer text names no driver, SQL or exception text; returns the offending text or null.</summary>
    public static string? LeakIn(string text) => HostileVerdict.LeakIn(text);

    /// <summary>
    /// Asserts a 400 (or <paramref name="status"/>) problem details answer whose text mentions every one of
    /// <paramref name="mentions"/> and carries no internals; returns its text.
    /// </summary>
    public static async Task<string> AssertRefusedAsync(HttpResponseMessage response, string what, int status = 400, params string[] mentions)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{what}: expected {status}, got {(int)response.StatusCode}: {Short(text)}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: not problem details: {Short(text)}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        foreach (var m in mentions)
            Assert.True(text.Contains(m, StringComparison.OrdinalIgnoreCase), $"{what}: the answer does not name '{m}': {Short(text)}");
        Assert.True(LeakIn(text) is null, $"{what}: the answer carries internal text '{LeakIn(text)}': {Short(text)}");
        return text;
    }

    public static string Short(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
