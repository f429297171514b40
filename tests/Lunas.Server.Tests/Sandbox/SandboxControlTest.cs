using System.Net;
using System.Text.Json;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Sandbox;

/// <summary>
/// A server whose merchant's notifications go to a receiver, a second merchant beside it, and the signed calls of the
/// sandbox test controls (clock, reset).
/// </summary>
public abstract class SandboxControlTest : IAsyncLifetime
{
    public const string OtherClient = "MCH-OTHER-CLOCK";
    public const string OtherSecret = "SK-OTHER-CLOCK-123";

    protected TestReceiver Receiver { get; private set; } = null!;
    protected TestServer Server { get; private set; } = null!;
    private TestDatabase _database = null!;

    protected abstract TestDatabase CreateDatabase();

    public async Task InitializeAsync()
    {
        Receiver = await TestReceiver.StartAsync();
        _database = CreateDatabase();
        Server = await TestServer.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = Receiver.BaseUrl + "/hook",
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
            ["Lunas:Notifications:Timeout"] = "00:00:01",
        });
        await Server.ExecuteAsync(
            $"INSERT INTO merchants (client_id, secret_key, name, created_at) VALUES ('{OtherClient}', '{OtherSecret}', 'Other', 0)");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
        _database.Dispose();
    }

    protected Task<HttpResponseMessage> AdvanceAsync(string body, string clientId = TestServer.ClientId, string secretKey = TestServer.SecretKey)
        => Server.PostSignedAsync("/sandbox/v1/clock", body, clientId: clientId, secretKey: secretKey);

    protected async Task<JsonElement> AdvanceAsync(TimeSpan by, string clientId = TestServer.ClientId, string secretKey = TestServer.SecretKey)
    {
        using var response = await AdvanceAsync($$"""{"advance_seconds":{{(long)by.TotalSeconds}}}""", clientId, secretKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    protected async Task<JsonElement> ClockAsync(string clientId = TestServer.ClientId, string secretKey = TestServer.SecretKey)
    {
        using var response = await Server.GetSignedAsync("/sandbox/v1/clock", clientId: clientId, secretKey: secretKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    protected async Task WaitForAsync(string countSql)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await Server.CountAsync(countSql) != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "never true: " + countSql);
            await Task.Delay(20);
        }
    }
}
