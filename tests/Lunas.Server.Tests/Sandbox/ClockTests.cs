using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lunas.Server.Payments;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Server.Tests.Sandbox;

/// <summary>
/// GET/POST /sandbox/v1/clock: a merchant's own time, moved forward through the API while the server's clock stands
/// still, and everything time-driven for that merchant (and only that merchant) following it.
/// </summary>
public abstract partial class ClockTests : SandboxControlTest
{
    private static DateTimeOffset NowOf(JsonElement clock)
        => DateTimeOffset.Parse(clock.GetProperty("now").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [SkippableFact]
    public async Task Clock_AnswersTheServersTimeAndNoOffset_WhenNeverAdvanced()
    {
        var clock = await ClockAsync();

        Assert.Equal(0, clock.GetProperty("offset_seconds").GetInt64());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", clock.GetProperty("now").GetString()!);
        Assert.True((NowOf(clock) - Server.Clock.GetUtcNow()).Duration() < TimeSpan.FromMilliseconds(1));
    }

    [SkippableFact]
    public async Task Advance_MovesTheMerchantsTimeForward_AndAddsUp()
    {
        var first = await AdvanceAsync(TimeSpan.FromHours(1));
        var second = await AdvanceAsync(TimeSpan.FromSeconds(90));
        var read = await ClockAsync();

        Assert.Equal(3600, first.GetProperty("offset_seconds").GetInt64());
        Assert.Equal(3690, second.GetProperty("offset_seconds").GetInt64());
        Assert.Equal(3690, read.GetProperty("offset_seconds").GetInt64());
        Assert.True((NowOf(read) - Server.Clock.GetUtcNow() - TimeSpan.FromSeconds(3690)).Duration() < TimeSpan.FromMilliseconds(1));
    }

    [SkippableTheory]
    [InlineData("""{"advance_seconds":-60}""", "greater than 0")]
    [InlineData("""{"advance_seconds":0}""", "greater than 0")]
    [InlineData("""{"advance_seconds":1.5}""", "whole number")]
    [InlineData("""{"advance_seconds":"60"}""", "whole number")]
    [InlineData("""{"advance_seconds":315619201}""", "at most")]
    [InlineData("""{"advance_seconds":null}""", "must be filled")]
    [InlineData("""{}""", "must be filled")]
    public async Task Advance_Returns400NamingAdvanceSeconds_WhenTheValueIsNotAPositiveWholeNumberUpToTenYears(string body, string why)
    {
        using var response = await AdvanceAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(Json.Errors(await Json.ReadAsync(response)));
        Assert.StartsWith("advance_seconds ", error, StringComparison.Ordinal);
        Assert.Contains(why, error, StringComparison.Ordinal);
        Assert.Equal(0, (await ClockAsync()).GetProperty("offset_seconds").GetInt64());
    }

    [SkippableFact]
    public async Task Clock_Returns401_WhenUnsigned()
    {
        using var get = await Server.Http.GetAsync("/sandbox/v1/clock");
        using var post = await Server.Http.PostAsync("/sandbox/v1/clock", new StringContent("""{"advance_seconds":60}"""));

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(0, (await ClockAsync()).GetProperty("offset_seconds").GetInt64());
    }

    [SkippableFact]
    public async Task Advance_ExpiresTheOrder_AndTheExpiredNotificationArrives()
    {
        var order = await Server.CreateAsync();

        await AdvanceAsync(TimeSpan.FromMinutes(61));
        var status = await Server.StatusAsync(order.Invoice);

        Assert.Equal("EXPIRED", status.TransactionStatus());
        Assert.Equal("ORDER_EXPIRED", status.GetProperty("order").GetProperty("status").GetString());
        var notification = (await Receiver.WaitForAsync(1)).Single();
        using var body = JsonDocument.Parse(notification.Body);
        Assert.Equal("EXPIRED", body.RootElement.GetProperty("transaction").GetProperty("status").GetString());
        Assert.Equal(order.Invoice, body.RootElement.GetProperty("order").GetProperty("invoice_number").GetString());
    }

    [SkippableFact]
    public async Task Sweeper_ExpiresOnlyTheAdvancedMerchantsOrders()
    {
        var mine = await Server.CreateAsync();
        using var theirs = await Server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(Seed.NewInvoice()),
            clientId: OtherClient, secretKey: OtherSecret);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        var sweeper = Server.Services.GetRequiredService<ExpirySweeper>();

        var before = await sweeper.ExpireDueAsync(CancellationToken.None);
        await AdvanceAsync(TimeSpan.FromMinutes(61));
        var swept = await sweeper.ExpireDueAsync(CancellationToken.None);

        Assert.Equal(0, before);
        Assert.Equal(1, swept);
        Assert.Equal(1, await Server.CountAsync(
            $"SELECT COUNT(*) FROM checkout_sessions WHERE status = 'EXPIRED' AND invoice_number = '{mine.Invoice}'"));
        Assert.Equal(1, await Server.CountAsync(
            $"SELECT COUNT(*) FROM checkout_sessions WHERE status = 'PENDING' AND merchant_id = '{OtherClient}'"));
        await Receiver.WaitForAsync(1);
    }

    [SkippableFact]
    public async Task Advance_LeavesOtherMerchantsOnTheirOwnTime()
    {
        var invoice = Seed.NewInvoice();
        using (var created = await Server.PostSignedAsync("/checkout/v1/payment", Seed.BasicRequest(invoice),
                   clientId: OtherClient, secretKey: OtherSecret))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        await AdvanceAsync(TimeSpan.FromHours(2));
        using var status = await Server.GetSignedAsync("/orders/v1/status/" + invoice, clientId: OtherClient, secretKey: OtherSecret);

        Assert.Equal("PENDING", (await Json.ReadAsync(status)).TransactionStatus());
        Assert.Equal(0, (await ClockAsync(OtherClient, OtherSecret)).GetProperty("offset_seconds").GetInt64());
        Assert.Equal(7200, (await ClockAsync()).GetProperty("offset_seconds").GetInt64());
    }

    [SkippableFact]
    public async Task NewOrder_ExpiresByTheMerchantsClock_InItsResponseAndPage()
    {
        await AdvanceAsync(TimeSpan.FromDays(3));
        var invoice = Seed.NewInvoice();
        using var created = await Server.CreatePaymentAsync(Seed.BasicRequest(invoice));
        var payment = (await Json.ReadAsync(created)).GetProperty("response").GetProperty("payment");
        await AdvanceAsync(TimeSpan.FromMinutes(20));
        var page = await Server.Http.GetStringAsync(new Uri(payment.GetProperty("url").GetString()!).PathAndQuery);

        var expected = Server.Clock.GetUtcNow().AddDays(3).AddMinutes(60).ToOffset(TimeSpan.FromHours(7))
            .ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        Assert.Equal(expected, payment.GetProperty("expired_date").GetString());
        // 60 minutes due, 20 of them gone on the merchant's clock: the countdown shows the 40 left (the stored expiry
        // is whole milliseconds, so a second may round down).
        Assert.InRange(int.Parse(Remaining().Match(page).Groups[1].Value, CultureInfo.InvariantCulture), 2399, 2400);
    }

    [SkippableFact]
    public async Task RetrySchedule_SendsTheSecondAttempt_WhenTheClockIsAdvancedThirtyMinutes()
    {
        Receiver.Respond = (n, context) =>
        {
            context.Response.StatusCode = n == 1 ? 500 : 200;
            return context.Response.WriteAsync(n == 1 ? "boom" : "OK");
        };
        var order = await Server.CreateAsync();
        using (var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BRI")) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        await Receiver.WaitForAsync(1);
        await WaitForAsync($"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{order.Invoice}' AND attempts = 1 AND locked_by IS NULL");

        await AdvanceAsync(TimeSpan.FromMinutes(30));
        var requests = await Receiver.WaitForAsync(2);

        Assert.Equal(requests[0].Headers["Request-Id"], requests[1].Headers["Request-Id"]);
        await WaitForAsync($"SELECT COUNT(*) FROM notifications WHERE invoice_number = '{order.Invoice}' AND status = 'DELIVERED'");
        // Signatures stay on real time: the server's clock did not move.
        Assert.Equal(Lunas.Protocol.Signing.DokuSignature.FormatTimestamp(Server.Clock.GetUtcNow()), requests[1].Headers["Request-Timestamp"]);
    }

    [SkippableFact]
    public async Task RetrySchedule_RunsFromTheFirstAttemptOnTheMerchantsClock_WhenTheClockWasAdvancedBeforeIt()
    {
        Receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 500;
            return context.Response.WriteAsync("boom");
        };
        await AdvanceAsync(TimeSpan.FromDays(1));
        var order = await Server.CreateAsync();
        using (var paid = await Server.SimulateAsync(order.Invoice, "VIRTUAL_ACCOUNT_BRI")) Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        // The attempt log is on real time; the schedule on the merchant's, a day ahead: the first attempt counts from
        // there, and the retry is due 30 minutes after it, then 6 hours after it (the default 00:30, 06:00, 12:00).
        var schedule = $"""
            SELECT COUNT(*) FROM notifications n
            WHERE n.invoice_number = '{order.Invoice}' AND n.status = 'PENDING' AND n.locked_by IS NULL AND n.attempts = @attempts
              AND n.first_attempt_at = (SELECT MIN(a.started_at) FROM notification_attempts a WHERE a.notification_id = n.notification_id) + 86400000
              AND n.next_attempt_at = n.first_attempt_at + @due
            """;
        await WaitForAsync(schedule.Replace("@attempts", "1").Replace("@due", "1800000"));
        await AdvanceAsync(TimeSpan.FromMinutes(30));
        await WaitForAsync(schedule.Replace("@attempts", "2").Replace("@due", "21600000"));
    }

    [SkippableFact]
    public async Task Recovery_WindowFollowsTheMerchantsClock()
    {
        var invoice = Seed.NewInvoice();
        var order = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{invoice}}}","recover_abandoned_cart":true,"expired_recovered_cart":10},"payment":{"payment_due_date":5}}""");
        var late = await Server.CreateAsync(
            $$$"""{"order":{"amount":20000,"invoice_number":"{{{Seed.NewInvoice()}}}","recover_abandoned_cart":true,"expired_recovered_cart":10},"payment":{"payment_due_date":5}}""");

        await AdvanceAsync(TimeSpan.FromMinutes(6));
        using var recover = await Server.SubmitAsync(order, "recover");
        var recovered = await Server.StatusAsync(order.Invoice);
        await AdvanceAsync(TimeSpan.FromMinutes(10));
        using var tooLate = await Server.SubmitAsync(late, "recover");

        Assert.Equal(HttpStatusCode.Redirect, recover.StatusCode);
        Assert.Equal("ORDER_RECOVERED", recovered.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("PENDING", recovered.TransactionStatus());
        // Recovered for 10 minutes from minute 6, so expired again at minute 16; the other order's window closed at 15.
        Assert.Equal("EXPIRED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
        Assert.Equal(HttpStatusCode.Conflict, tooLate.StatusCode);
    }

    [GeneratedRegex("data-remaining=\"(\\d+)\"")]
    private static partial Regex Remaining();
}

public sealed class ClockTests_Sqlite : ClockTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class ClockTests_Postgres : ClockTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
