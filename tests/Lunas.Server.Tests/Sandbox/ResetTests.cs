using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Sandbox;

/// <summary>DELETE /sandbox/v1/data: everything of the signing merchant goes, its clock is reset, other merchants keep theirs.</summary>
public abstract class ResetTests : SandboxControlTest
{
    private const string Mine = $"merchant_id = '{TestServer.ClientId}'";
    private const string Theirs = $"merchant_id = '{OtherClient}'";

    [SkippableFact]
    public async Task Reset_RemovesTheMerchantsDataAndClock_AndAnswersTheCounts()
    {
        var paid = await Server.CreateAsync();
        using (var pay = await Server.SimulateAsync(paid.Invoice, "QRIS")) Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        var chosen = await Server.CreateAsync();
        await Server.ChooseCodeAsync(chosen, "VIRTUAL_ACCOUNT_BCA");
        var cancelled = await Server.CreateAsync();
        using (var cancel = await Server.PostSignedAsync("/checkout/v3/cancellations",
                   $$$"""{"order":{"invoice_number":"{{{cancelled.Invoice}}}"}}""")) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await WaitForAsync($"SELECT COUNT(*) FROM notifications WHERE {Mine} AND status = 'DELIVERED'");
        await AdvanceAsync(TimeSpan.FromMinutes(5));
        using (var faults = await NotificationFaultTests.SendAsync(Server, HttpMethod.Put, "/sandbox/v1/notification-faults",
                   """{"faults":[{"kind":"duplicate","copies":2}]}""")) Assert.Equal(HttpStatusCode.OK, faults.StatusCode);

        using var response = await Server.DeleteSignedAsync("/sandbox/v1/data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        var removed = body.GetProperty("removed");
        Assert.Equal(3, removed.GetProperty("sessions").GetInt32());
        Assert.Equal(2, removed.GetProperty("payment_attempts").GetInt32());
        Assert.Equal(1, removed.GetProperty("notifications").GetInt32());
        Assert.Equal(1, removed.GetProperty("notification_attempts").GetInt32());
        Assert.Equal(1, removed.GetProperty("payment_operations").GetInt32());
        Assert.Equal(0, body.GetProperty("clock").GetProperty("offset_seconds").GetInt64());
        Assert.Equal(0, (await ClockAsync()).GetProperty("offset_seconds").GetInt64());
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM checkout_sessions WHERE {Mine}"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM notifications WHERE {Mine}"));
        Assert.Equal(0, await Server.CountAsync("SELECT COUNT(*) FROM notification_attempts"));
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM payment_operations WHERE {Mine}"));
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM notification_faults WHERE {Mine}"));
        using var status = await Server.GetSignedAsync("/orders/v1/status/" + paid.Invoice);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [SkippableFact]
    public async Task Reset_LeavesOtherMerchantsDataAndClock()
    {
        var invoice = Seed.NewInvoice();
        using (var created = await Server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(invoice),
                   clientId: OtherClient, secretKey: OtherSecret)) Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using (var pay = await Server.PostSignedAsync("/sandbox/v1/payments",
                   $$"""{"invoice_number":"{{invoice}}","payment_method_type":"QRIS","result":"SUCCESS"}""",
                   clientId: OtherClient, secretKey: OtherSecret)) Assert.Equal(HttpStatusCode.OK, pay.StatusCode);
        await AdvanceAsync(TimeSpan.FromMinutes(10), OtherClient, OtherSecret);
        var mine = await Server.CreateAsync();

        using var response = await Server.DeleteSignedAsync("/sandbox/v1/data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await Json.ReadAsync(response)).GetProperty("removed").GetProperty("sessions").GetInt32());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM checkout_sessions WHERE {Theirs} AND status = 'SUCCESS'"));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts"));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM notifications WHERE {Theirs}"));
        Assert.Equal(600, (await ClockAsync(OtherClient, OtherSecret)).GetProperty("offset_seconds").GetInt64());
        // The reset merchant starts afresh: the same invoice is a new order.
        var again = await Server.CreateAsync(invoice: mine.Invoice);
        Assert.Equal("PENDING", (await Server.StatusAsync(again.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Reset_Returns401AndRemovesNothing_WhenUnsigned()
    {
        var order = await Server.CreateAsync();

        using var response = await Server.Http.DeleteAsync("/sandbox/v1/data");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }
}

public sealed class ResetTests_Sqlite : ResetTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ResetTests_Postgres : ResetTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
