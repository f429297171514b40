using System.Net;
using System.Text.Json;
using Lunas.Server.Tests.Infrastructure;
using Lunas.Tests.Shared;
using Lunas.Protocol.Signing;
using Microsoft.AspNetCore.Http;

namespace Lunas.Server.Tests.Sandbox;

/// <summary>PUT/GET/DELETE /sandbox/v1/notification-faults over HTTP, each kind observed at a test receiver.</summary>
public abstract class NotificationFaultTests : IAsyncLifetime
{
    private const string Path = "/sandbox/v1/notification-faults";
    private const string ReceiverPath = "/payments/notifications";
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
            ["Lunas:Merchants:0:NotificationUrl"] = Receiver.BaseUrl + ReceiverPath,
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
            ["Lunas:Notifications:Timeout"] = "00:00:02",
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
        _database.Dispose();
    }

    internal static Task<HttpResponseMessage> SendAsync(TestServer server, HttpMethod method, string path, string? body)
    {
        var message = SignedRequests.Message(TestServer.ClientId, TestServer.SecretKey, Guid.NewGuid().ToString(),
            DokuSignature.FormatTimestamp(server.Clock.GetUtcNow()), path, body);
        message.Method = method;
        return server.Http.SendAsync(message);
    }

    private async Task SetFaultsAsync(string faults)
    {
        using var response = await SendAsync(Server, HttpMethod.Put, Path, $$"""{"faults":{{faults}}}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> PayAsync(string channel = "QRIS", string result = "SUCCESS", string? invoice = null)
    {
        invoice ??= (await Server.CreateAsync()).Invoice;
        using var paid = await Server.SimulateAsync(invoice, channel, result);
        Assert.True(paid.StatusCode == HttpStatusCode.OK, await paid.Content.ReadAsStringAsync());
        return invoice;
    }

    private async Task<JsonElement> WaitForAttemptsAsync(string invoice, int notification, int attempts)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            using var response = await Server.GetSignedAsync("/notifications/v1/invoices/" + invoice);
            var log = (await Json.ReadAsync(response)).GetProperty("notifications");
            if (log.GetArrayLength() > notification && log[notification].GetProperty("attempts").GetArrayLength() >= attempts) return log[notification];
            Assert.True(DateTime.UtcNow < deadline, "delivery log never reached the expected state: " + log);
            await Task.Delay(50);
        }
    }

    private static string[] Faults(JsonElement notification)
        => notification.GetProperty("attempts").EnumerateArray()
            .Select(a => a.TryGetProperty("fault", out var f) ? f.GetString()! : "-").ToArray();

    private static string Status(TestReceiver.Received r)
        => JsonDocument.Parse(r.Body).RootElement.GetProperty("transaction").GetProperty("status").GetString()!;

    [SkippableFact]
    public async Task Duplicate_SendsTheSameNotificationNTimesWithOneRequestId_ThenNoMore()
    {
        await SetFaultsAsync("""[{"kind":"duplicate","copies":3}]""");

        var invoice = await PayAsync();
        var copies = await Receiver.WaitForAsync(3);
        var log = await WaitForAttemptsAsync(invoice, 0, 3);
        var next = await PayAsync();
        await WaitForAttemptsAsync(next, 0, 1);

        Assert.Single(copies.Take(3).Select(r => r.Headers["Request-Id"]).Distinct());
        Assert.Single(copies.Take(3).Select(r => r.Text).Distinct());
        Assert.All(copies.Take(3), r => Assert.True(TestReceiver.VerifyFromSpec(r, TestServer.SecretKey, ReceiverPath)));
        Assert.Equal(["-", "duplicate", "duplicate"], Faults(log));
        Assert.Equal(4, Receiver.Requests.Count);
    }

    [SkippableFact]
    public async Task Fault_AppliesToTimesNotificationsOfItsChannelOnly_WhenTimesAndChannelAreGiven()
    {
        await SetFaultsAsync("""[{"kind":"duplicate","copies":2,"times":2,"channel":"QRIS"}]""");

        var card = await PayAsync("CREDIT_CARD");
        var first = await PayAsync();
        var second = await PayAsync();
        var third = await PayAsync();

        Assert.Single((await WaitForAttemptsAsync(card, 0, 1)).GetProperty("attempts").EnumerateArray());
        Assert.Equal(2, (await WaitForAttemptsAsync(first, 0, 2)).GetProperty("attempts").GetArrayLength());
        Assert.Equal(2, (await WaitForAttemptsAsync(second, 0, 2)).GetProperty("attempts").GetArrayLength());
        Assert.Single((await WaitForAttemptsAsync(third, 0, 1)).GetProperty("attempts").EnumerateArray());
        Assert.Equal(6, (await Receiver.WaitForAsync(6)).Count);
        using var get = await Server.GetSignedAsync(Path);
        var fault = (await Json.ReadAsync(get)).GetProperty("faults")[0];
        Assert.Equal((2, 0, "QRIS"), (fault.GetProperty("times").GetInt32(), fault.GetProperty("remaining").GetInt32(),
            fault.GetProperty("channel").GetString()));
    }

    [SkippableFact]
    public async Task Delay_HoldsTheFirstAttemptForItsSeconds()
    {
        await SetFaultsAsync("""[{"kind":"delay","seconds":120}]""");

        var invoice = await PayAsync();
        await Task.Delay(600);
        var before = Receiver.Requests.Count;
        Server.Clock.Advance(TimeSpan.FromSeconds(120));
        await Receiver.WaitForAsync(1);
        var log = await WaitForAttemptsAsync(invoice, 0, 1);

        Assert.Equal(0, before);
        Assert.Equal(["delay"], Faults(log));
        Assert.Equal("DELIVERED", log.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Drop_RecordsFailedAttemptsWithoutSending_ThenTheScheduleGoesOn()
    {
        await SetFaultsAsync("""[{"kind":"drop","attempts":1}]""");

        var invoice = await PayAsync();
        var dropped = await WaitForAttemptsAsync(invoice, 0, 1);
        var before = Receiver.Requests.Count;
        Server.Clock.Advance(TimeSpan.FromMinutes(30));
        var log = await WaitForAttemptsAsync(invoice, 0, 2);

        Assert.Equal(0, before);
        Assert.Equal(JsonValueKind.Null, dropped.GetProperty("attempts")[0].GetProperty("status_code").ValueKind);
        Assert.Contains("network error", dropped.GetProperty("attempts")[0].GetProperty("error").GetString());
        Assert.Equal(["drop", "-"], Faults(log));
        Assert.Equal((2, "DELIVERED"), (log.GetProperty("scheduled_attempts").GetInt32(), log.GetProperty("status").GetString()));
        Assert.Single(Receiver.Requests);
    }

    [SkippableFact]
    public async Task BadSignature_SendsOneForgedCopyThenTheRightOne()
    {
        Receiver.Respond = (n, context) =>
        {
            context.Response.StatusCode = TestReceiver.VerifyFromSpec(Receiver.Requests[n - 1], TestServer.SecretKey, ReceiverPath) ? 200 : 401;
            return Task.CompletedTask;
        };
        await SetFaultsAsync("""[{"kind":"bad_signature"}]""");

        var invoice = await PayAsync();
        var requests = await Receiver.WaitForAsync(2);
        var log = await WaitForAttemptsAsync(invoice, 0, 2);

        Assert.False(TestReceiver.VerifyFromSpec(requests[0], TestServer.SecretKey, ReceiverPath));
        Assert.True(TestReceiver.VerifyFromSpec(requests[1], TestServer.SecretKey, ReceiverPath));
        Assert.Equal(requests[0].Headers["Request-Id"], requests[1].Headers["Request-Id"]);
        Assert.Equal(["bad_signature", "-"], Faults(log));
        Assert.Equal(401, log.GetProperty("attempts")[0].GetProperty("status_code").GetInt32());
        Assert.Equal("DELIVERED", log.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task OutOfOrder_DeliversSuccessBeforeTheEarlierFailure()
    {
        await SetFaultsAsync("""[{"kind":"out_of_order"}]""");

        var invoice = await PayAsync("CREDIT_CARD", "FAILED");
        await Task.Delay(400);
        var before = Receiver.Requests.Count;
        await PayAsync("CREDIT_CARD", "SUCCESS", invoice);
        var requests = await Receiver.WaitForAsync(2);
        // Both deliveries recorded: the receiver can see the FAILED one before Lunas writes its attempt.
        await WaitForAttemptsAsync(invoice, 0, 1);
        await WaitForAttemptsAsync(invoice, 1, 1);
        using var response = await Server.GetSignedAsync("/notifications/v1/invoices/" + invoice);
        var log = (await Json.ReadAsync(response)).GetProperty("notifications").EnumerateArray().ToList();

        Assert.Equal(0, before);
        Assert.Equal(["SUCCESS", "FAILED"], requests.Select(Status));
        Assert.Equal(["out_of_order"], Faults(log.Single(n => n.GetProperty("event").GetString() == "FAILED")));
        Assert.Equal(["-"], Faults(log.Single(n => n.GetProperty("event").GetString() == "SUCCESS")));
    }

    [SkippableFact]
    public async Task OutOfOrder_LeavesAFailureSentAfterItsHoldRanOut_OnItsOwnRetrySchedule()
    {
        // The FAILED notification is the first request (its hold ran out), refused; the SUCCESS after it is taken.
        Receiver.Respond = (n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return context.Response.WriteAsync(n == 1 ? "boom" : "OK");
        };
        await SetFaultsAsync("""[{"kind":"out_of_order"}]""");
        // Due in 3 hours, so the order is still open after the hour the clock moves.
        var invoice = (await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{Seed.NewInvoice()}}}"},"payment":{"payment_due_date":180}}""")).Invoice;
        await PayAsync("CREDIT_CARD", "FAILED", invoice);
        await WaitForCountAsync($"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{invoice}' AND fault = 'out_of_order' AND fault_value = 1");
        using (var advanced = await Server.PostSignedAsync("/sandbox/v1/clock", """{"advance_seconds":3660}"""))
        {
            Assert.Equal(HttpStatusCode.OK, advanced.StatusCode);
        }
        await Receiver.WaitForAsync(1);
        var retry = $"""
            SELECT COUNT(*) FROM notifications WHERE invoice_number = '{invoice}' AND event = 'FAILED' AND status = 'PENDING'
              AND attempts = 1 AND locked_by IS NULL AND fault_value = 1 AND next_attempt_at = first_attempt_at + 1800000
            """;
        await WaitForCountAsync(retry);

        await PayAsync("CREDIT_CARD", "SUCCESS", invoice);
        var requests = await Receiver.WaitForAsync(2);
        await WaitForAttemptsAsync(invoice, 1, 1);

        // Sent already, it is no longer held: the delivered SUCCESS does not move its retry to now.
        Assert.Equal(["FAILED", "SUCCESS"], requests.Select(Status));
        Assert.Equal(1, await Server.CountAsync(retry));
    }

    private async Task WaitForCountAsync(string countSql)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await Server.CountAsync(countSql) != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "never true: " + countSql);
            await Task.Delay(20);
        }
    }

    [SkippableTheory]
    [InlineData("""{"faults":[{"kind":"duplicate","copies":2},{"kind":"explode"}]}""", "faults[1].kind")]
    [InlineData("""{"faults":[{"kind":"delay","seconds":5},{"kind":"drop","attempts":1},{"kind":"duplicate","copies":1}]}""", "faults[2].copies")]
    [InlineData("""{"faults":[{"kind":"duplicate"}]}""", "faults[0].copies must be filled")]
    [InlineData("""{"faults":[{"kind":"delay","seconds":86401}]}""", "faults[0].seconds must be a whole number from 1 to 86400")]
    [InlineData("""{"faults":[{"kind":"drop","attempts":11}]}""", "faults[0].attempts")]
    [InlineData("""{"faults":[{"kind":"bad_signature","times":0}]}""", "faults[0].times")]
    [InlineData("""{"faults":[{"kind":"bad_signature","channel":"BITCOIN"}]}""", "faults[0].channel")]
    [InlineData("""{"faults":[{"kind":"out_of_order","copies":2}]}""", "faults[0].copies is not a field")]
    [InlineData("""{"faults":"duplicate"}""", "faults must be an array")]
    [InlineData("""{"faults":[1]}""", "faults[0] must be an object")]
    public async Task Put_Answers400NamingTheField_WhenAFaultIsWrong(string body, string expected)
    {
        using var response = await SendAsync(Server, HttpMethod.Put, Path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(Json.Errors(await Json.ReadAsync(response)), e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notification_faults"));
    }

    [SkippableFact]
    public async Task Put_Answers400_WhenThereAreTooManyFaults()
    {
        var many = string.Join(",", Enumerable.Repeat("""{"kind":"bad_signature"}""", 21));

        using var response = await SendAsync(Server, HttpMethod.Put, Path, $$"""{"faults":[{{many}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 20", Json.Errors(await Json.ReadAsync(response))[0], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task GetAndDelete_ShowThenClearTheStoredFaults()
    {
        await SetFaultsAsync("""[{"kind":"drop","attempts":2,"times":3},{"kind":"out_of_order"}]""");

        using var get = await SendAsync(Server, HttpMethod.Get, Path, null);
        var shown = (await Json.ReadAsync(get)).GetProperty("faults");
        var stored = await Server.CountAsync("SELECT COUNT(*) FROM notification_faults");
        using var delete = await SendAsync(Server, HttpMethod.Delete, Path, null);
        using var after = await SendAsync(Server, HttpMethod.Get, Path, null);

        Assert.Equal(2, shown.GetArrayLength());
        Assert.Equal(("drop", 2, 3, 3), (shown[0].GetProperty("kind").GetString(), shown[0].GetProperty("attempts").GetInt32(),
            shown[0].GetProperty("times").GetInt32(), shown[0].GetProperty("remaining").GetInt32()));
        Assert.Equal(2, stored);
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(0, (await Json.ReadAsync(after)).GetProperty("faults").GetArrayLength());
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notification_faults"));
    }

    [SkippableFact]
    public async Task Put_Answers401_WhenUnsigned()
    {
        using var response = await Server.Http.PutAsync(Path, new StringContent("""{"faults":[]}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class NotificationFaultTests_Sqlite : NotificationFaultTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class NotificationFaultTests_Postgres : NotificationFaultTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
