using System.Net;
using System.Text;
using Lunas.Protocol.Signing;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Checkout;

public abstract class DurabilityTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    protected abstract TestDatabase CreateDatabase();

    public Task InitializeAsync()
    {
        _database = CreateDatabase();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task CreatedSession_SurvivesARestart()
    {
        string url;
        await using (var first = await TestServer.StartAsync(_database))
        {
            using var response = await first.CreatePaymentAsync(Seed.BasicRequest(Seed.NewInvoice()));
            url = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("url").GetString()!;
        }

        await using var second = await TestServer.StartAsync(_database);
        using var page = await second.Http.GetAsync(new Uri(url).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [SkippableFact]
    public async Task AcknowledgedSessions_SurviveSigkill()
    {
        var tokens = new List<string>();
        await using (var server = await ServerProcess.StartAsync(_database))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => SendAsync(http, Seed.BasicRequest(Seed.NewInvoice()))));
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var token = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("token_id").GetString()!;
                tokens.Add(token);
            }
            // Killed the moment the last answer arrived: no graceful shutdown, no flush.
            server.Kill();
        }

        await using var restarted = await ServerProcess.StartAsync(_database);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) };
        foreach (var token in tokens)
        {
            using var page = await client.GetAsync("/checkout-link-v2/" + token);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
    }

    internal static Task<HttpResponseMessage> SendAsync(HttpClient http, string body, string? requestId = null)
    {
        const string path = "/checkout/v1/payment";
        requestId ??= Guid.NewGuid().ToString();
        var stamp = DokuSignature.FormatTimestamp(DateTimeOffset.UtcNow);
        var bytes = Encoding.UTF8.GetBytes(body);
        var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(bytes) };
        message.Headers.Add("Client-Id", TestServer.ClientId);
        message.Headers.Add("Request-Id", requestId);
        message.Headers.Add("Request-Timestamp", stamp);
        message.Headers.Add("Signature", DokuSignature.SignBody(TestServer.SecretKey, TestServer.ClientId, requestId, stamp, path, bytes, true));
        return http.SendAsync(message);
    }
}

public sealed class DurabilityTests_Sqlite : DurabilityTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class DurabilityTests_Postgres : DurabilityTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
