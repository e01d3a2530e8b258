using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SpendOptimizer.Api.Ingest;
using SpendOptimizer.Api.Tests.Infrastructure;
using SpendOptimizer.Core.Numerics;

namespace SpendOptimizer.Api.Tests;

/// <summary>Plain CSV path uploads are read by the path file reader; they must store what the row reader stores.</summary>
[Collection(ApiCollection.Name)]
public sealed class PlainPathUploadTests(ApiFactory factory)
{
    private const string Header = "path,total_conversions,total_conversion_value,total_null";

    private static List<string>? Plain(string body) =>
        PathUpload.TryPlain(Encoding.UTF8.GetBytes(body))?.Select(r => $"{r.Path}|{r.TotalConversions}|{r.TotalConversionValue}|{r.TotalNull}").ToList();

    [Fact]
    public void A_plain_body_is_read_by_bytes()
    {
        var rows = Plain("\uFEFFTotal_Null, path ,total_conversions\r\n90,search>social,10\r\n48,広告 >  search,2");
        Assert.Equal(["search > social|10|0|90", "広告 > search|2|0|48"], rows);
        Assert.Equal(["a|1|2.5|0"], Plain(Header + "\na,1,2.5,0\n"));
    }

    [Theory]
    [InlineData(Header + "\n\"a > b\",1,2,0\n")]                     // quotes: the row reader unquotes
    [InlineData(Header + "\na,1,2,0\na,1,2,0\n")]                    // a duplicate, to be named with its line
    [InlineData(Header + "\na>b,1,2,0\na > b,1,2,0\n")]              // the same path spelt twice
    [InlineData(Header + "\na,1,2,0\n\nb,1,2,0\n")]                  // a blank line
    [InlineData(Header + "\na,1,2,0\rb,1,2,0\n")]                    // a lone CR
    [InlineData("path;total_conversions\na;1\n")]                    // another delimiter
    [InlineData("path,total_conversions,total_conversions\na,1,1\n")] // a column twice
    [InlineData("path,total_conversions,campaign\na,1,x\n")]         // an unknown column
    [InlineData("path,total_null\na,1\n")]                           // a required column missing
    [InlineData(Header + "\na,1,2\n")]                               // too few fields
    [InlineData(Header + "\na,1,2,0,9\n")]                           // too many fields
    [InlineData(Header + "\na,1e3,2,0\n")]                           // a number the row reader parses its own way
    [InlineData(Header + "\na, 1,2,0\n")]
    [InlineData(Header + "\na,-1,2,0\n")]
    [InlineData(Header + "\na,,2,0\n")]                              // a required number blank
    [InlineData(Header + "\na,0,0,0\n")]                             // neither conversions nor nulls
    [InlineData(Header + "\na,2000000000000,2,0\n")]                 // beyond the upload bound
    [InlineData(Header + "\na > > b,1,2,0\n")]
    [InlineData(Header + "\n ,1,2,0\n")]
    [InlineData(Header + "\na\u0001b,1,2,0\n")]                      // a control character in a channel
    [InlineData(Header + "\na\0,1,2,0\n")]
    [InlineData("")]
    public void Anything_but_plain_rows_is_left_to_the_row_reader(string body) => Assert.Null(Plain(body));

    [Fact]
    public void Invalid_utf8_is_left_to_the_row_reader()
    {
        var body = Encoding.UTF8.GetBytes(Header + "\nab,1,2,0\n");
        body[^8] = 0xC3;
        Assert.Null(PathUpload.TryPlain(body));
    }

    private static async Task<int> InsertedAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("inserted").GetInt32();
    }

    [Fact]
    public async Task A_plain_csv_stores_what_the_same_rows_as_json_store()
    {
        var rng = new SeededRandom(11);
        string[] names = ["search", "social", "広告", "café", "tv"];
        var rows = new Dictionary<string, (int Conversions, double Value, int Nulls)>();
        while (rows.Count < 3000)
        {
            var path = string.Join(" > ", Enumerable.Range(0, rng.Integer(1, 7)).Select(_ => names[rng.Integer(0, names.Length)]));
            var conversions = rng.Integer(0, 5);
            rows.TryAdd(path, (conversions, Math.Round(rng.Uniform(0, 500), 2), rng.Integer(conversions == 0 ? 1 : 0, 40)));
        }
        var csv = Header + "\n" + string.Join("\n", rows.Select(r =>
            $"{r.Key.Replace(" > ", ">")},{r.Value.Conversions},{r.Value.Value.ToString(CultureInfo.InvariantCulture)},{r.Value.Nulls}"));
        Assert.NotNull(PathUpload.TryPlain(Encoding.UTF8.GetBytes(csv)));

        var plain = await factory.CreateWorkspaceAsync();
        var json = await factory.CreateWorkspaceAsync();
        using (var client = plain.Ingest())
            Assert.Equal(3000, await InsertedAsync(await client.PutAsync($"/v1/workspaces/{plain.Id}/paths", TestWorkspace.Csv(csv))));
        using (var client = json.Ingest())
        {
            var body = rows.Select(r => new { path = r.Key, total_conversions = r.Value.Conversions, total_conversion_value = r.Value.Value, total_null = r.Value.Nulls });
            Assert.Equal(3000, await InsertedAsync(await client.PutAsJsonAsync($"/v1/workspaces/{json.Id}/paths", body)));
        }
        using var a = plain.Reader();
        using var b = json.Reader();
        var stored = await a.GetStringAsync($"/v1/workspaces/{plain.Id}/paths?format=csv");
        Assert.Equal(await b.GetStringAsync($"/v1/workspaces/{json.Id}/paths?format=csv"), stored);
        Assert.Equal(3002, stored.Split("\r\n").Length);
    }
}
