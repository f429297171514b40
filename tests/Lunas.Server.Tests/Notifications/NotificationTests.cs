using System.Net;
using System.Text.Json;
using Lunas.Server.Notifications;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Notifications;

public abstract class NotificationTests : IAsyncLifetime
{
    protected TestReceiver Receiver { get; private set; } = null!;
    protected TestServer Server { get; private set; } = null!;
    private TestDatabase Database = null!;

    protected abstract TestDatabase CreateDatabase();

    protected virtual Dictionary<string, string?> Settings(string receiverUrl) => new()
    {
        ["Lunas:Merchants:0:NotificationUrl"] = receiverUrl + "/payments/notifications?source=lunas",
        ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
        ["Lunas:Notifications:Timeout"] = "00:00:01",
    };

    public async Task InitializeAsync()
    {
        Receiver = await TestReceiver.StartAsync();
        Database = CreateDatabase();
        Server = await TestServer.StartAsync(Database, Settings(Receiver.BaseUrl));
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
        Database.Dispose();
    }

    private async Task<JsonElement> LogAsync(string invoice)
    {
        using var response = await Server.GetSignedAsync("/notifications/v1/invoices/" + invoice);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json.ReadAsync(response)).GetProperty("notifications");
    }

    private async Task<JsonElement> WaitForLogAsync(string invoice, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var log = await LogAsync(invoice);
            if (condition(log)) return log;
            Assert.True(DateTime.UtcNow < deadline, "delivery log never reached the expected state: " + log);
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Pays another order and waits until its first attempt is sent and recorded; returns its invoice. The fake clock
    /// stands still meanwhile, and a claim takes every row due at the clock's time (ordered by next_attempt_at, far
    /// below the claim limit), so by then every notification due now has been claimed: by this claim or an earlier one.
    /// </summary>
    private async Task<string> DispatchMarkerAsync()
    {
        var marker = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(marker.Invoice, "QRIS");
        await WaitForLogAsync(marker.Invoice, l => l[0].GetProperty("attempts").GetArrayLength() == 1);
        return marker.Invoice;
    }

    /// <summary>
    /// After <see cref="DispatchMarkerAsync"/>: the invoice's notification was not claimed (a claim holds locked_by until
    /// its attempt is recorded, and a recorded attempt raises attempts), so no send of it is in flight or can start until
    /// the clock moves. A late send cannot hide behind a short wait here.
    /// </summary>
    private async Task AssertNotClaimedAsync(string invoice, int attempts)
        => Assert.Equal(1, await Server.CountAsync(
            $"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{invoice}' AND attempts = {attempts} AND locked_by IS NULL"));

    [SkippableFact]
    public async Task Notification_IsSignedForThePathAndCarriesTheChannelBlock_WhenVirtualAccountPaid()
    {
        var order = await Server.CreateAsync();
        var number = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");
        using var paid = await Server.PayVaAsync(number);

        var request = (await Receiver.WaitForAsync(1)).Single();

        Assert.Equal("/payments/notifications", request.Path);
        Assert.Equal("?source=lunas", request.Query);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(TestServer.ClientId, request.Headers["Client-Id"]);
        Assert.True(TestReceiver.VerifyFromSpec(request, TestServer.SecretKey, "/payments/notifications"), "signature does not verify");
        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("VIRTUAL_ACCOUNT", root.GetProperty("service").GetProperty("id").GetString());
        Assert.Equal("BCA", root.GetProperty("acquirer").GetProperty("id").GetString());
        Assert.Equal("VIRTUAL_ACCOUNT_BCA", root.GetProperty("channel").GetProperty("id").GetString());
        Assert.Equal(order.Invoice, root.GetProperty("order").GetProperty("invoice_number").GetString());
        Assert.Equal(20000, root.GetProperty("order").GetProperty("amount").GetInt64());
        Assert.Equal("SUCCESS", root.GetProperty("transaction").GetProperty("status").GetString());
        Assert.Equal(order.RequestId, root.GetProperty("transaction").GetProperty("original_request_id").GetString());
        Assert.Equal(number, root.GetProperty("virtual_account_info").GetProperty("virtual_account_number").GetString());
        Assert.True(root.TryGetProperty("virtual_account_payment", out _));
        Assert.NotEqual(order.RequestId, request.Headers["Request-Id"]);
        Assert.True(Guid.TryParse(request.Headers["Request-Id"], out _));
    }

    [SkippableTheory]
    [InlineData("CREDIT_CARD", "card_payment")]
    [InlineData("EMONEY_DANA", "emoney_payment")]
    [InlineData("QRIS", "qris_payment")]
    [InlineData("ONLINE_TO_OFFLINE_ALFA", "online_to_offline_info")]
    [InlineData("DIRECT_DEBIT_CIMB", "card_payment")]
    public async Task Notification_CarriesTheBlockOfTheChannelUsed(string channel, string block)
    {
        var order = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(order.Invoice, channel);

        var request = (await Receiver.WaitForAsync(1)).Single();

        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(channel, body.RootElement.GetProperty("channel").GetProperty("id").GetString());
        Assert.True(body.RootElement.TryGetProperty(block, out _), request.Text);
    }

    [SkippableFact]
    public async Task Notification_IsSentForFailureAndExpiry()
    {
        var failing = await Server.CreateAsync();
        using var failed = await Server.SimulateAsync(failing.Invoice, "CREDIT_CARD", "FAILED");
        var invoice = Seed.NewInvoice();
        var expiring = await Server.CreateAsync($$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_due_date":1}}""");
        Server.Clock.Advance(TimeSpan.FromMinutes(2));
        await Server.StatusAsync(expiring.Invoice);

        var requests = await Receiver.WaitForAsync(2);

        var statuses = requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("transaction").GetProperty("status").GetString()).ToList();
        Assert.Contains("FAILED", statuses);
        Assert.Contains("EXPIRED", statuses);
    }

    [SkippableFact]
    public async Task Notification_GoesToOverrideNotificationUrl_WhenTheOrderHasOne()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{},"additional_info":{"override_notification_url":"{{{Receiver.BaseUrl}}}/other/hook"}}""");
        using var paid = await Server.SimulateAsync(order.Invoice, "QRIS");

        var request = (await Receiver.WaitForAsync(1)).Single();

        Assert.Equal("/other/hook", request.Path);
        Assert.True(TestReceiver.VerifyFromSpec(request, TestServer.SecretKey, "/other/hook"));
    }

    [SkippableFact]
    public async Task Receiver500ThenOk_IsRetriedOnTheScheduleOfTheFakeClock()
    {
        Receiver.Respond = (n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return context.Response.WriteAsync(n == 1 ? "boom" : "ok");
        };
        var order = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BRI");
        var firstLog = await WaitForLogAsync(order.Invoice, log => log[0].GetProperty("attempts").GetArrayLength() == 1);

        var first = firstLog[0];
        Assert.Equal("PENDING", first.GetProperty("status").GetString());
        var attempt = first.GetProperty("attempts")[0];
        Assert.Equal(500, attempt.GetProperty("status_code").GetInt32());
        Assert.Equal("boom", attempt.GetProperty("response_excerpt").GetString());
        var firstAt = DateTimeOffset.Parse(attempt.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(firstAt.AddMinutes(30), DateTimeOffset.Parse(first.GetProperty("next_attempt_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        // Not a wait for nothing: once a later notification has been sent at minute 29, the retry was either claimed with
        // it (and shows as locked or as a second attempt) or was not due; a retry due too early cannot slip past.
        Server.Clock.Advance(TimeSpan.FromMinutes(29));
        var marker = await DispatchMarkerAsync();
        await AssertNotClaimedAsync(order.Invoice, attempts: 1);
        Assert.Single(Receiver.Requests, r => !r.Text.Contains(marker, StringComparison.Ordinal));
        Server.Clock.Advance(TimeSpan.FromMinutes(1));
        await Receiver.WaitForAsync(3);
        var requests = Receiver.Requests.Where(r => !r.Text.Contains(marker, StringComparison.Ordinal)).ToArray();

        var log = await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("status").GetString() == "DELIVERED");
        Assert.Equal(2, log[0].GetProperty("attempts").GetArrayLength());
        // A retry is the same notification: same Request-Id (receivers drop duplicates by it), same body, new signature.
        Assert.Equal(requests[0].Headers["Request-Id"], requests[1].Headers["Request-Id"]);
        Assert.Equal(first.GetProperty("notification_id").GetString(), requests[1].Headers["Request-Id"]);
        Assert.Equal(requests[0].Text, requests[1].Text);
        Assert.NotEqual(requests[0].Headers["Request-Timestamp"], requests[1].Headers["Request-Timestamp"]);
        Assert.True(TestReceiver.VerifyFromSpec(requests[1], TestServer.SecretKey, "/payments/notifications"));
    }

    [SkippableFact]
    public async Task Notification_IsMarkedFailed_AfterTheLastScheduledAttempt()
    {
        Receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "https://elsewhere.example/";
            return Task.CompletedTask;
        };
        var order = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(order.Invoice, "EMONEY_OVO");
        await Receiver.WaitForAsync(1);
        foreach (var (advance, count) in new[] { (TimeSpan.FromMinutes(30), 2), (TimeSpan.FromHours(6), 3), (TimeSpan.FromHours(12), 4) })
        {
            await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("attempts").GetArrayLength() == count - 1);
            Server.Clock.SetUtcNow(DateTimeOffset.Parse(
                (await LogAsync(order.Invoice))[0].GetProperty("attempts")[0].GetProperty("date").GetString()!,
                System.Globalization.CultureInfo.InvariantCulture) + advance + TimeSpan.FromSeconds(1));
            await Receiver.WaitForAsync(count);
        }

        var log = await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("status").GetString() == "FAILED");
        var attempts = log[0].GetProperty("attempts");
        Assert.Equal(4, attempts.GetArrayLength());
        Assert.All(attempts.EnumerateArray(), a => Assert.StartsWith("redirect 302", a.GetProperty("error").GetString(), StringComparison.Ordinal));
        // A FAILED row is never claimed again: after a later notification is sent two days on, the row is still unclaimed
        // with its four attempts, so a fifth send is neither in flight nor possible.
        Server.Clock.Advance(TimeSpan.FromDays(2));
        var marker = await DispatchMarkerAsync();
        await AssertNotClaimedAsync(order.Invoice, attempts: 4);
        Assert.Equal(4, Receiver.Requests.Count(r => !r.Text.Contains(marker, StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task ReceiverAnswerWithNulBytes_IsRecorded()
    {
        Receiver.Respond = async (_, context) =>
        {
            context.Response.StatusCode = 500;
            await context.Response.Body.WriteAsync("bad\0\u0001answer"u8.ToArray());
        };
        var order = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(order.Invoice, "QRIS");

        var log = await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("attempts").GetArrayLength() == 1);

        var attempt = log[0].GetProperty("attempts")[0];
        Assert.Equal(500, attempt.GetProperty("status_code").GetInt32());
        Assert.Equal("bad\uFFFD\uFFFDanswer", attempt.GetProperty("response_excerpt").GetString());
        Assert.Equal("PENDING", log[0].GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task HangingReceiver_HitsTheTimeout_AndIsRetried()
    {
        Receiver.Respond = async (_, context) => await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ContinueWith(_ => { });
        var order = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BNI");

        var log = await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("attempts").GetArrayLength() == 1);

        var attempt = log[0].GetProperty("attempts")[0];
        Assert.StartsWith("timeout", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.InRange(attempt.GetProperty("latency_ms").GetInt32(), 900, 4000);
        Assert.Equal("PENDING", log[0].GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Resend_SendsANewSignedAttemptNow()
    {
        var order = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA");
        await Receiver.WaitForAsync(1);
        var log = await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("status").GetString() == "DELIVERED");
        var id = log[0].GetProperty("notification_id").GetString();

        using var resend = await Server.PostSignedAsync($"/notifications/v1/{id}/resend", "{}");

        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        var requests = await Receiver.WaitForAsync(2);
        Assert.NotEqual(requests[0].Headers["Request-Id"], requests[1].Headers["Request-Id"]);
        Assert.True(TestReceiver.VerifyFromSpec(requests[1], TestServer.SecretKey, "/payments/notifications"));
        var attempts = (await Json.ReadAsync(resend)).GetProperty("attempts");
        Assert.Equal("RESEND", attempts[1].GetProperty("kind").GetString());
        Assert.Equal(requests[1].Headers["Request-Id"], attempts[1].GetProperty("request_id").GetString());
    }

    [SkippableFact]
    public async Task Attempts_AreNumberedOnceAcrossScheduledAndResent()
    {
        Receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        var order = await Server.CreateAsync();
        using var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BCA");
        var log = await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("attempts").GetArrayLength() == 1);
        var id = log[0].GetProperty("notification_id").GetString();

        using (var resend = await Server.PostSignedAsync($"/notifications/v1/{id}/resend", "{}")) Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        Server.Clock.Advance(TimeSpan.FromMinutes(30));
        log = await WaitForLogAsync(order.Invoice, l => l[0].GetProperty("attempts").GetArrayLength() == 3);

        var attempts = log[0].GetProperty("attempts").EnumerateArray().ToArray();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("attempt_number").GetInt32()));
        Assert.Equal(["SCHEDULED", "RESEND", "SCHEDULED"], attempts.Select(a => a.GetProperty("kind").GetString()));
        Assert.Equal(2, log[0].GetProperty("scheduled_attempts").GetInt32());
    }

    [SkippableFact]
    public async Task Notification_GoesToDokuWalletNotifyUrl_WhenPaidWithDokuWallet()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}"},"payment":{"payment_method_types":["EMONEY_DOKU","EMONEY_OVO"]},"additional_info":{"doku_wallet_notify_url":"{{{Receiver.BaseUrl}}}/wallet/hook"}}""");

        using var paid = await Server.SimulateAsync(order.Invoice, "EMONEY_DOKU");

        var request = (await Receiver.WaitForAsync(1)).Single();
        Assert.Equal("/wallet/hook", request.Path);
        Assert.True(TestReceiver.VerifyFromSpec(request, TestServer.SecretKey, "/wallet/hook"));
    }

    [SkippableFact]
    public async Task Resend_Returns404_ForAnotherMerchantsOrUnknownNotification()
    {
        using var resend = await Server.PostSignedAsync("/notifications/v1/nope/resend", "{}");

        Assert.Equal(HttpStatusCode.NotFound, resend.StatusCode);
    }
}

public sealed class NotificationTests_Sqlite : NotificationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class NotificationTests_Postgres : NotificationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}

public abstract class NotificationDestinationTests : DatabaseTest
{

    [SkippableFact]
    public async Task Notification_WithoutAnyUrl_IsRecordedUndeliverable()
    {
        await using var server = await TestServer.StartAsync(Database);
        var order = await server.CreateAsync();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");

        using var response = await server.GetSignedAsync("/notifications/v1/invoices/" + order.Invoice);

        var notification = (await Json.ReadAsync(response)).GetProperty("notifications").EnumerateArray().Single();
        Assert.Equal("UNDELIVERABLE", notification.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, notification.GetProperty("url").ValueKind);
        Assert.Equal("SUCCESS", notification.GetProperty("body").GetProperty("transaction").GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Resend_DeliversAnUndeliverableNotification_OnceTheMerchantHasAUrl()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var server = await TestServer.StartAsync(Database);
        var order = await server.CreateAsync();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");
        using var listed = await server.GetSignedAsync("/notifications/v1/invoices/" + order.Invoice);
        var id = (await Json.ReadAsync(listed)).GetProperty("notifications")[0].GetProperty("notification_id").GetString();
        using (var refused = await server.PostSignedAsync($"/notifications/v1/{id}/resend", "{}"))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        await server.ExecuteAsync($"UPDATE merchants SET notification_url = '{receiver.BaseUrl}/late/hook' WHERE client_id = '{TestServer.ClientId}'");
        server.Clock.Advance(Lunas.Server.Merchants.MerchantStore.CacheLifetime + TimeSpan.FromSeconds(1));
        using var resend = await server.PostSignedAsync($"/notifications/v1/{id}/resend", "{}");

        Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        var notification = await Json.ReadAsync(resend);
        Assert.Equal("DELIVERED", notification.GetProperty("status").GetString());
        Assert.Equal(receiver.BaseUrl + "/late/hook", notification.GetProperty("url").GetString());
        var request = (await receiver.WaitForAsync(1)).Single();
        Assert.True(TestReceiver.VerifyFromSpec(request, TestServer.SecretKey, "/late/hook"));
    }

    [SkippableFact]
    public async Task ScheduledFailure_DoesNotUndoADeliveryAcknowledgedMeanwhile()
    {
        await using var server = await TestServer.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = "http://127.0.0.1:9/hook",
            ["Lunas:Notifications:Enabled"] = "false",
        });
        var order = await server.CreateAsync();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");
        var store = server.Services.GetRequiredService<NotificationStore>();
        var claimed = (await store.ClaimDueAsync("claim-1", 10, TimeSpan.FromMinutes(1), CancellationToken.None)).Single();
        var now = server.Clock.GetUtcNow();

        // A resend is acknowledged while the claimed scheduled attempt is still in flight; then that attempt fails.
        await store.RecordResendAsync(new DeliveryAttempt("a-resend", claimed.NotificationId, "r-1", 0, "RESEND", claimed.Url!, now,
            200, null, 5, "ok"), CancellationToken.None);
        var recorded = await store.RecordAsync(claimed, "claim-1", new DeliveryAttempt("a-scheduled", claimed.NotificationId,
            claimed.NotificationId, 0, "SCHEDULED", claimed.Url!, now, 500, "HTTP 500", 5, "oops"), [TimeSpan.FromMinutes(30)]);

        Assert.True(recorded);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM notifications WHERE notification_id = '{claimed.NotificationId}' AND status = 'DELIVERED'"));
        Assert.Equal(2, await server.CountAsync($"SELECT COUNT(DISTINCT attempt_number) FROM notification_attempts WHERE notification_id = '{claimed.NotificationId}'"));
    }

    [SkippableFact]
    public async Task Notification_UsesTheChannelFamilyUrl_WhenConfigured()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var server = await TestServer.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = receiver.BaseUrl + "/all",
            ["Lunas:Merchants:0:NotificationUrls:QRIS"] = receiver.BaseUrl + "/qris-only",
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
        });
        var qris = await server.CreateAsync();
        var va = await server.CreateAsync();
        using var a = await server.SimulateAsync(qris.Invoice, "QRIS");
        using var b = await server.SimulateAsync(va.Invoice, "VIRTUAL_ACCOUNT_BCA");

        var requests = await receiver.WaitForAsync(2);

        Assert.Contains(requests, r => r.Path == "/qris-only" && r.Text.Contains(qris.Invoice, StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Path == "/all" && r.Text.Contains(va.Invoice, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task RefusedConnection_IsRecordedAndRetried()
    {
        var closedPort = ServerProcess.FreePort();
        await using var server = await TestServer.StartAsync(Database, new Dictionary<string, string?>
        {
            ["Lunas:Merchants:0:NotificationUrl"] = $"http://127.0.0.1:{closedPort}/hook",
            ["Lunas:Notifications:PollInterval"] = "00:00:00.100",
        });
        var order = await server.CreateAsync();
        using var paid = await server.SimulateAsync(order.Invoice, "QRIS");

        JsonElement notification;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(50);
            using var response = await server.GetSignedAsync("/notifications/v1/invoices/" + order.Invoice);
            notification = (await Json.ReadAsync(response)).GetProperty("notifications")[0];
        } while (notification.GetProperty("attempts").GetArrayLength() == 0 && DateTime.UtcNow < deadline);

        Assert.Equal("connection refused", notification.GetProperty("attempts")[0].GetProperty("error").GetString());
        Assert.Equal("PENDING", notification.GetProperty("status").GetString());
    }
}

public sealed class NotificationDestinationTests_Sqlite : NotificationDestinationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class NotificationDestinationTests_Postgres : NotificationDestinationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
