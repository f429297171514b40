using System.Net;
using Lunas.Protocol.Signing;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.PostPayment;

public abstract class CardRefundTests : PostPaymentTest
{
    private Task<PayHelpers.Created> CardSaleAsync() => PaidAsync("CREDIT_CARD");

    [SkippableFact]
    public async Task Refund_VoidsInFull_BeforeSettlement()
    {
        var order = await CardSaleAsync();
        var requestId = Guid.NewGuid().ToString();

        using var response = await RefundCardAsync(order, 20000, requestId);

        var body = await OkAsync(response);
        Assert.Equal("VOID", Str(body, "refund.type"));
        Assert.Equal("SUCCESS", Str(body, "refund.status"));
        Assert.Matches("^[0-9]+$", Str(body, "refund.approval_code"));
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("VOIDED", status.TransactionStatus());
        Assert.Equal("VOID", Str(status, "transaction.type"));
        Assert.Equal("Transaction Has Been Successfully Void", Str(status, "card_payment.response_message"));
        Assert.Equal("20000", Str(status, "refund.total_refunded"));
        var notification = Assert.Single(await NotificationsAsync(order.Invoice, "VOIDED", 1));
        Assert.Equal(requestId, Str(notification, "card_payment.request_id"));
        Assert.Contains("This payment was voided", await Server.Http.GetStringAsync(new Uri(order.Url).PathAndQuery));
        using var pay = await Server.SimulateAsync(order.Invoice, "CREDIT_CARD");
        Assert.Equal(HttpStatusCode.Conflict, pay.StatusCode);
    }

    [SkippableFact]
    public async Task Refund_Answers200Failed_ForAPartialAmountBeforeSettlement()
    {
        var order = await CardSaleAsync();

        using var response = await RefundCardAsync(order, 5000);

        var body = await OkAsync(response);
        Assert.Equal("VOID", Str(body, "refund.type"));
        Assert.Equal("FAILED", Str(body, "refund.status"));
        Assert.Equal("SUCCESS", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Refund_VoidsAnUncapturedAuthorization()
    {
        var (order, _) = await AuthorizedAsync();

        using var response = await RefundCardAsync(order, 20000);

        Assert.Equal("VOID", Str(await OkAsync(response), "refund.type"));
        Assert.Equal("VOIDED", (await Server.StatusAsync(order.Invoice)).TransactionStatus());
    }

    [SkippableFact]
    public async Task Refund_IsARefundNotAVoid_WhenTheMerchantsSandboxClockPassesTheCutoff()
    {
        var order = await CardSaleAsync();
        using (var advance = await Server.PostSignedAsync("/sandbox/v1/clock", """{"advance_seconds":90000}"""))
            Assert.Equal(HttpStatusCode.OK, advance.StatusCode);

        using var partial = await RefundCardAsync(order, 5000);

        Assert.Equal("PARTIAL_REFUND", Str(await OkAsync(partial), "refund.type"));
    }

    [SkippableFact]
    public async Task Refund_RefundsPartlyThenFully_AfterSettlement_AndRefusesMore()
    {
        var order = await CardSaleAsync();
        Settle();
        var first = Guid.NewGuid().ToString();

        using var partial = await RefundCardAsync(order, 5000, first);
        Server.Clock.Advance(TimeSpan.FromSeconds(2));
        using var rest = await RefundCardAsync(order, 15000);
        using var more = await RefundCardAsync(order, 1);

        Assert.Equal("PARTIAL_REFUND", Str(await OkAsync(partial), "refund.type"));
        Assert.Equal("PARTIAL_REFUND", Str(await OkAsync(rest), "refund.type"));
        await ErrorAsync(more, HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        var status = await Server.StatusAsync(order.Invoice);
        Assert.Equal("REFUNDED", status.TransactionStatus());
        Assert.Equal("15000", Str(status, "transaction.amount"));
        Assert.Equal("20000", Str(status, "refund.total_refunded"));
        Assert.Equal("20000", Str(status, "order.amount"));
        var byRefund = await Server.StatusAsync(first);
        Assert.Equal("5000", Str(byRefund, "refund.amount"));
        Assert.Equal(first, Str(byRefund, "card_payment.request_id"));
        Assert.Equal(2, (await NotificationsAsync(order.Invoice, "REFUNDED", 2)).Count);
        Assert.Contains("This payment was refunded", await Server.Http.GetStringAsync(new Uri(order.Url).PathAndQuery));
    }

    [SkippableFact]
    public async Task Refund_IsFullRefund_OnThePostmanPath_SignedOverEitherTarget()
    {
        var order = await CardSaleAsync();
        Settle();
        var body = $$"""{"order":{"invoice_number":"{{order.Invoice}}"},"payment":{"original_request_id":"{{order.RequestId}}"},"refund":{"amount":20000} }""";
        var message = SignedHttp.Request("/cancellation/credit-card/refund", body, at: Server.Clock.GetUtcNow());
        message.RequestUri = new Uri("/credit-card/v1/cancellation/credit-card/refund", UriKind.Relative);

        using var response = await Server.Http.SendAsync(message);
        using var again = await RefundCardAsync(order, 1, path: "/credit-card/v1/cancellation/credit-card/refund");

        Assert.Equal("FULL_REFUND", Str(await OkAsync(response), "refund.type"));
        await ErrorAsync(again, HttpStatusCode.BadRequest, "INVALID_PARAMETER");
        Assert.True(DokuSignature.Verify(TestServer.SecretKey, TestServer.ClientId, message.Headers.GetValues("Request-Id").Single(),
            response.Headers.GetValues("Response-Timestamp").Single(), "/cancellation/credit-card/refund",
            DokuSignature.Digest(await response.Content.ReadAsByteArrayAsync()), response.Headers.GetValues("Signature").Single(),
            DokuSignature.ResponseTimestamp));
    }

    [SkippableFact]
    public async Task Refund_Returns404_WhenTheOrderDoesNotMatch_And400_WhenNotACardPayment()
    {
        var order = await CardSaleAsync();
        var va = await PaidAsync("VIRTUAL_ACCOUNT_BCA");
        var unpaid = await Server.CreateAsync();

        using var mismatch = await RefundCardAsync(order with { Invoice = va.Invoice }, 20000);
        using var notCard = await RefundCardAsync(va, 20000);
        using var notPaid = await RefundCardAsync(unpaid, 20000);
        using var blank = await Server.PostSignedAsync("/cancellation/credit-card/refund", """{"order":{"invoice_number":"X"}}""");

        await ErrorAsync(mismatch, HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(notCard, HttpStatusCode.BadRequest, "INVALID_STATE");
        await ErrorAsync(notPaid, HttpStatusCode.BadRequest, "INVALID_STATE");
        var errors = Str(await ErrorAsync(blank, HttpStatusCode.BadRequest, "INVALID_PARAMETER"), "error.message");
        Assert.Contains("payment.original_request_id", errors, StringComparison.Ordinal);
        Assert.Contains("refund.amount", errors, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refund_AppliesOnce_WhenOneRequestIsRepeatedConcurrently()
    {
        var order = await CardSaleAsync();
        Settle();
        var requestId = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => RefundCardAsync(order, 5000, requestId)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single(responses.Select(r => r.Content.ReadAsStringAsync().Result).Distinct());
        Assert.Equal(5000, await Server.CountAsync("SELECT refunded_amount FROM checkout_sessions"));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM notifications WHERE event = 'REFUNDED'"));
        foreach (var response in responses) response.Dispose();
    }

    [SkippableFact]
    public async Task Refund_RefusesOne_WhenTwoRefundsRacePastThePaidAmount()
    {
        for (var round = 0; round < 3; round++)
        {
            var order = await CardSaleAsync();
            Settle();

            var responses = await Task.WhenAll(RefundCardAsync(order, 12000), RefundCardAsync(order, 12000));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.BadRequest);
            Assert.Equal(12000, await Server.CountAsync($"SELECT refunded_amount FROM checkout_sessions WHERE invoice_number = '{order.Invoice}'"));
            foreach (var response in responses) response.Dispose();
        }
    }
}

public sealed class CardRefundTests_Sqlite : CardRefundTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class CardRefundTests_Postgres : CardRefundTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
