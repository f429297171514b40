using System.Net;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.PostPayment;

public abstract class CaptureTests : PostPaymentTest
{
    [SkippableFact]
    public async Task Authorize_NotifiesPendingWithAuthorizeIds()
    {
        var (order, authorizeId) = await AuthorizedAsync();

        var notification = Assert.Single(await NotificationsAsync(order.Invoice, "PENDING", 1));
        Assert.Equal("AUTHORIZE", Str(notification, "transaction.type"));
        Assert.Equal(authorizeId, Str(notification, "authorize_id"));
        Assert.Equal(authorizeId, Str(notification, "card_payment.authorize_id"));
        using var again = await Server.SimulateAsync(order.Invoice, "CREDIT_CARD");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [SkippableFact]
    public async Task Capture_CapturesPartOfTheHold_AndReportsSuccessCapture()
    {
        var (order, authorizeId) = await AuthorizedAsync();
        var requestId = Guid.NewGuid().ToString();

        using var response = await CaptureAsync(authorizeId, "\"15000\"", requestId);

        var body = await OkAsync(response);
        Assert.Equal("SUCCESS", Str(body, "payment.status"));
        Assert.Equal("CAPTURE", Str(body, "payment.type"));
        Assert.Equal(requestId, Str(body, "payment.request_id"));
        Assert.Equal(authorizeId, Str(body, "payment.authorize_id"));
        Assert.Equal("15000", Str(body, "payment.capture_amount"));
        Assert.Equal("20000", Str(body, "order.amount"));
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("SUCCESS", status.TransactionStatus());
        Assert.Equal("CAPTURE", Str(status, "transaction.type"));
        Assert.Equal("15000", Str(status, "transaction.amount"));
        Assert.Equal("20000", Str(status, "order.amount"));
        var notification = Assert.Single(await NotificationsAsync(order.Invoice, "SUCCESS", 1));
        Assert.Equal("CAPTURE", Str(notification, "transaction.type"));
        Assert.Equal(requestId, Str(notification, "card_payment.request_id"));
    }

    [SkippableFact]
    public async Task Capture_CapturesTheFullAmount_WhenNoAmountIsGiven()
    {
        var (order, authorizeId) = await AuthorizedAsync();

        using var response = await CaptureAsync(authorizeId);

        Assert.Equal("20000", Str(await OkAsync(response), "payment.capture_amount"));
        Assert.Equal("20000", Str(await Server.StatusAsync(order.Invoice), "transaction.amount"));
    }

    [SkippableFact]
    public async Task Capture_Returns400InvalidState_WhenAlreadyCaptured()
    {
        var (_, authorizeId) = await AuthorizedAsync();
        using var first = await CaptureAsync(authorizeId, "10000");
        await OkAsync(first);

        using var second = await CaptureAsync(authorizeId, "5000");

        var body = await ErrorAsync(second, HttpStatusCode.BadRequest, "INVALID_STATE");
        Assert.Equal("Transaction already captured", Str(body, "error.message"));
    }

    [SkippableTheory]
    [InlineData("20001")]
    [InlineData("0")]
    [InlineData("\"12.5\"")]
    public async Task Capture_Returns400InvalidParameter_WhenTheAmountIsNotCapturable(string amount)
    {
        var (order, authorizeId) = await AuthorizedAsync();

        using var response = await CaptureAsync(authorizeId, amount);

        var body = await ErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        Assert.Contains("payment.capture_amount", Str(body, "error.message"), StringComparison.Ordinal);
        Assert.Equal("PENDING", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Capture_Returns400_WhenTheAuthorizeIdIsBlank_And404_WhenUnknown()
    {
        using var blank = await Server.PostSignedAsync("/credit-card/capture", """{"payment":{}}""");
        using var unknown = await CaptureAsync("12345678901234567");

        var body = await ErrorAsync(blank, HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        Assert.Equal("payment.authorize_id Must Not Be Blank", Str(body, "error.message"));
        await ErrorAsync(unknown, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [SkippableFact]
    public async Task Authorization_Lapses_WhenTheMerchantsSandboxClockPassesTheWindow()
    {
        var (order, authorizeId) = await AuthorizedAsync();

        using (var advance = await Server.PostSignedAsync("/sandbox/v1/clock", $$"""{"advance_seconds":{{7 * 86400 + 60}}}"""))
            Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
        using var capture = await CaptureAsync(authorizeId);

        await ErrorAsync(capture, HttpStatusCode.BadRequest, "INVALID_STATE");
        Assert.Equal("VOIDED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Authorization_LapsesToVoidedWithoutNotification_AfterTheWindow()
    {
        var (order, authorizeId) = await AuthorizedAsync();
        await NotificationsAsync(order.Invoice, "PENDING", 1);
        Server.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        using var capture = await CaptureAsync(authorizeId);

        await ErrorAsync(capture, HttpStatusCode.BadRequest, "INVALID_STATE");
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("VOIDED", status.TransactionStatus());
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM notifications"));
    }

    [SkippableFact]
    public async Task Capture_AppliesOnce_WhenTheSameAndOtherRequestsRace()
    {
        var (order, authorizeId) = await AuthorizedAsync();
        var requestId = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => CaptureAsync(authorizeId, "10000", i % 2 == 0 ? requestId : null)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.BadRequest));
        Assert.Equal(10000, await Server.CountAsync("SELECT captured_amount FROM checkout_sessions"));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM notifications WHERE event = 'SUCCESS'"));
        Assert.Equal("15000".Length, Str(await Server.StatusAsync(order.Invoice), "transaction.amount").Length);
        foreach (var response in responses) response.Dispose();
    }
}

public sealed class CaptureTests_Sqlite : CaptureTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class CaptureTests_Postgres : CaptureTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
