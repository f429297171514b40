using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Telemetry;

/// <summary>The real console log of a Lunas process: one line per entry, ending with the request's trace id.</summary>
public sealed class TraceLogTests : IDisposable
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    private readonly TestDatabase _database = TestDatabase.CreateSqlite();

    [Fact]
    public async Task RequestLogLine_EndsWithTheRequestsTraceId_AndHidesThePageToken()
    {
        await using var server = await ServerProcess.StartAsync(_database);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        using var created = await http.PostAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var token = (await Json.ReadAsync(created)).GetProperty("response").GetProperty("payment").GetProperty("token_id").GetString()!;

        using var page = new HttpRequestMessage(HttpMethod.Get, "/checkout-link-v2/" + token);
        // A caller's W3C trace context: the request joins its trace.
        page.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        using (var response = await http.SendAsync(page)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var line = await WaitForLineAsync(server, "GET /checkout-link-v2/*** 200");
        Assert.Matches($" trace={TraceId} span=[0-9a-f]{{16}}$", line);
        Assert.DoesNotMatch(" span=00f067aa0ba902b7$", line);
        Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z info: Lunas.Server.Infrastructure.RequestLogging\\[1\\] GET ", line);
        var create = await WaitForLineAsync(server, "POST /checkout/v1/payment 200");
        // A request without trace context starts its own trace.
        Assert.Matches(" trace=[0-9a-f]{32} span=[0-9a-f]{16}$", create);
        Assert.DoesNotContain(TraceId, create, StringComparison.Ordinal);
        Assert.DoesNotContain(token, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token[12..44], server.Output, StringComparison.Ordinal);
    }

    /// <summary>The console line containing <paramref name="text"/> (written as the response completes), within 5 s.</summary>
    private static async Task<string> WaitForLineAsync(ServerProcess server, string text)
    {
        for (var waited = 0; waited < 100; waited++)
        {
            var line = server.Output.Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null) return line;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no log line with '{text}' in:\n{server.Output}");
    }

    public void Dispose() => _database.Dispose();
}
