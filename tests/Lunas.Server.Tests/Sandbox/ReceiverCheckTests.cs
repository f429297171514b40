using System.Net;
using System.Text.Json;
using Lunas.Client;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Lunas.Server.Tests.Sandbox;

/// <summary>POST /sandbox/v1/receiver-checks against receivers that do and do not check what they get.</summary>
public abstract class ReceiverCheckTests : IAsyncLifetime
{
    private const string Path = "/sandbox/v1/receiver-checks";
    private const string ReceiverPath = "/payments/notifications";
    private TestReceiver _receiver = null!;
    private TestServer _server = null!;
    private TestDatabase _database = null!;

    protected abstract TestDatabase CreateDatabase();

    public async Task InitializeAsync()
    {
        _receiver = await TestReceiver.StartAsync();
        _database = CreateDatabase();
        _server = await TestServer.StartAsync(_database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = _receiver.BaseUrl + ReceiverPath,
            ["Lunas:Notifications:Timeout"] = "00:00:02",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
        _database.Dispose();
    }

    /// <summary>What a careful merchant writes: the SDK's verifier; a repeated Request-Id is acknowledged again.</summary>
    private void ReceiveCarefully()
    {
        var verifier = new DokuNotificationVerifier(
            new DokuCheckoutOptions { ClientId = TestServer.ClientId, SecretKey = TestServer.SecretKey }, _server.Clock);
        _receiver.Respond = (n, context) =>
        {
            var request = _receiver.Requests[n - 1];
            var check = verifier.Verify(request.Headers, request.Body, ReceiverPath);
            context.Response.StatusCode = check.IsValid ? 200 : 401;
            return Task.CompletedTask;
        };
    }

    private async Task<JsonElement> CheckAsync(string body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _server.PostSignedAsync(Path, body);
        var json = await Json.ReadAsync(response);
        Assert.True(response.StatusCode == expected, json.ToString());
        return json;
    }

    private static Dictionary<string, bool> Passes(JsonElement report)
        => report.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("pass").GetBoolean());

    [SkippableFact]
    public async Task Check_PassesEveryCase_WhenTheReceiverVerifiesWithTheSdk()
    {
        ReceiveCarefully();

        var report = await CheckAsync("{}");

        Assert.True(report.GetProperty("pass").GetBoolean(), report.ToString());
        Assert.Equal(7, report.GetProperty("cases").GetArrayLength());
        Assert.StartsWith("LUNAS-CHECK-", report.GetProperty("invoice_number").GetString(), StringComparison.Ordinal);
        Assert.Equal(_receiver.BaseUrl + ReceiverPath, report.GetProperty("url").GetString());
        var requests = _receiver.Requests;
        Assert.Equal(7, requests.Count);
        Assert.Equal(requests[0].Headers["Request-Id"], requests[1].Headers["Request-Id"]);
        Assert.Contains(report.GetProperty("invoice_number").GetString()!, requests[0].Text, StringComparison.Ordinal);
        Assert.False(requests[5].Headers.ContainsKey("Signature"));
    }

    [SkippableFact]
    public async Task Check_FailsEveryForgedCase_WhenTheReceiverAcceptsEverything()
    {
        var report = await CheckAsync($$"""{"url":"{{_receiver.BaseUrl}}/careless"}""");

        var passes = Passes(report);
        Assert.False(report.GetProperty("pass").GetBoolean());
        Assert.True(passes["correct_notification"] && passes["same_request_id_again"]);
        Assert.All(new[] { "wrong_signature", "body_changed_after_signing", "timestamp_outside_5_minutes", "missing_signature_header",
            "signed_over_wrong_request_target" }, name => Assert.False(passes[name], name));
        var wrong = report.GetProperty("cases")[2];
        Assert.Equal(("4xx", "200"), (wrong.GetProperty("expected").GetString(), wrong.GetProperty("got").GetString()));
        Assert.All(_receiver.Requests, r => Assert.Equal("/careless", r.Path));
    }

    [SkippableFact]
    public async Task Check_RecordsEachCaseUnanswered_WhenNothingListens()
    {
        var port = _receiver.BaseUrl[(_receiver.BaseUrl.LastIndexOf(':') + 1)..];
        await _receiver.DisposeAsync();
        _receiver = await TestReceiver.StartAsync();

        var report = await CheckAsync($$"""{"url":"http://127.0.0.1:{{port}}/gone"}""");

        Assert.All(report.GetProperty("cases").EnumerateArray(), c =>
        {
            Assert.False(c.GetProperty("pass").GetBoolean());
            Assert.StartsWith("no answer: ", c.GetProperty("got").GetString(), StringComparison.Ordinal);
        });
    }

    [SkippableTheory]
    [InlineData("""{"url":"http://169.254.169.254/latest/meta-data/"}""", "url is not an allowed notification destination")]
    [InlineData("""{"url":"ftp://example.com/x"}""", "url must be an absolute http or https URL")]
    [InlineData("""{"url":"/relative"}""", "url must be an absolute http or https URL")]
    [InlineData("""{"url":5}""", "url must be an absolute http or https URL")]
    public async Task Check_Answers400NamingUrl_WhenTheUrlIsRefused(string body, string expected)
    {
        var report = await CheckAsync(body, HttpStatusCode.BadRequest);

        Assert.Contains(Json.Errors(report), e => e.StartsWith(expected, StringComparison.Ordinal));
        Assert.Empty(_receiver.Requests);
    }
}

public sealed class ReceiverCheckTests_Sqlite : ReceiverCheckTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ReceiverCheckTests_Postgres : ReceiverCheckTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
