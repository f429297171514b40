using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Checkout;

public abstract class DurabilityTests : DatabaseTest
{

    [SkippableFact]
    public async Task CreatedSession_SurvivesARestart()
    {
        string url;
        await using (var first = await TestServer.StartAsync(Database))
        {
            using var response = await first.CreatePaymentAsync(Seed.BasicRequest(Seed.NewInvoice()));
            url = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("url").GetString()!;
        }

        await using var second = await TestServer.StartAsync(Database);
        using var page = await second.Http.GetAsync(new Uri(url).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [SkippableFact]
    public async Task AcknowledgedSessions_SurviveSigkill()
    {
        var tokens = new List<string>();
        await using (var server = await ServerProcess.StartAsync(Database))
        {
            using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
            var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => http.PostAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()))));
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var token = (await Json.ReadAsync(response)).GetProperty("response").GetProperty("payment").GetProperty("token_id").GetString()!;
                tokens.Add(token);
            }
            // Killed the moment the last answer arrived: no graceful shutdown, no flush.
            server.Kill();
        }

        await using var restarted = await ServerProcess.StartAsync(Database);
        using var client = new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) };
        foreach (var token in tokens)
        {
            using var page = await client.GetAsync("/checkout-link-v2/" + token);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
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
