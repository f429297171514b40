using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>
/// Cancel, capture, void and refund through the SDK against a real Lunas over HTTP (spec doku-post-payment.md,
/// "Decisions for Lunas"): each call's answer, the status API and the notifications that follow, errors as typed
/// exceptions, and Request-Id replays that never apply twice. Lunas runs on a clock that stands still until a test
/// moves it past the settlement cut-off (next 00:00 WIB) or the authorization window (7 days).
/// </summary>
public class PostPaymentAgainstLunasTests(ClockedLunasFixture lunas) : IClassFixture<ClockedLunasFixture>
{
    [Fact]
    public async Task CancelOrderAsync_CancelsTheCheckout_WhenOrderIsUnpaid()
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        var created = await client.CreatePaymentAsync(Requests.Basic(invoice));

        var result = await client.CancelOrderAsync(new CancelOrderRequest
        {
            InvoiceNumber = invoice, OriginalRequestId = created.RequestId, Note = "Customer cancelled before payment",
        });

        Assert.True(result.IsCancelled);
        Assert.Equal((invoice, DokuOrderStatusValue.Cancelled), (result.Order.InvoiceNumber, result.Order.Status));
        Assert.Equal(created.RequestId, result.Payment!.OriginalRequestId);
        Assert.Equal(DokuOperationStatus.Success, result.Cancellation!.Status);
        Assert.Equal("Customer cancelled before payment", result.Note);
        var status = await client.GetStatusAsync(invoice);
        Assert.True(status.IsCancelled);
        Assert.Equal(DokuTransactionStatus.Expired, status.Transaction.Status);
        var (paid, body) = await lunas.TrySimulatePaymentAsync(invoice, "VIRTUAL_ACCOUNT_BCA");
        Assert.True(paid == 409, $"{paid} {body}");
        Assert.DoesNotContain(lunas.Notifications, n => n.Order.InvoiceNumber == invoice);
    }

    [Fact]
    public async Task CancelOrderAsync_SucceedsAgainAndReplays_WhenRepeated()
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Basic(invoice));
        var request = new CancelOrderRequest { InvoiceNumber = invoice };

        var first = await client.CancelOrderAsync(request, "cancel-" + invoice);
        var replay = await client.CancelOrderAsync(request, "cancel-" + invoice);
        var again = await client.CancelOrderAsync(request);

        Assert.False(first.Replayed);
        Assert.True(replay.Replayed);
        Assert.Equal(first.RawJson, replay.RawJson);
        Assert.False(again.Replayed);
        Assert.True(again.IsCancelled);
    }

    [Fact]
    public async Task CancelOrderAsync_ThrowsOrderAlreadyPaid_WhenOrderIsPaid()
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Basic(invoice));
        await lunas.SimulatePaymentAsync(invoice, "VIRTUAL_ACCOUNT_BCA");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CancelOrderAsync(new CancelOrderRequest { InvoiceNumber = invoice }));

        Assert.Equal((400, DokuErrorCodes.OrderAlreadyPaid), (error.Status, error.ErrorCode));
        Assert.NotEmpty(error.ErrorMessages);
    }

    [Fact]
    public async Task CancelOrderAsync_ThrowsNotFound_WhenInvoiceIsUnknown()
    {
        var error = await Assert.ThrowsAsync<DokuApiException>(() =>
            lunas.Client().CancelOrderAsync(new CancelOrderRequest { InvoiceNumber = Requests.NewInvoice() }));

        Assert.Equal((404, DokuErrorCodes.NotFound), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task CaptureAsync_CapturesPartOfTheHold_WhenCardPaymentIsAuthorized()
    {
        var client = lunas.Client();
        var (invoice, _, authorized) = await PayByCardAsync(client, "AUTHORIZE");
        Assert.True(authorized.IsAuthorized, authorized.RawJson);
        Assert.False(string.IsNullOrEmpty(authorized.AuthorizeId));
        var before = await client.GetStatusAsync(invoice);
        Assert.True(before.IsAuthorized);
        Assert.Equal(authorized.AuthorizeId, before.CardPayment!.AuthorizeId);

        var capture = await client.CaptureAsync(CaptureRequest.For(authorized, 50000), "capture-" + invoice);

        Assert.True(capture.IsSuccess, capture.RawJson);
        Assert.Equal(authorized.AuthorizeId, capture.Payment.AuthorizeId);
        Assert.Equal("capture-" + invoice, capture.Payment.RequestId);
        var captured = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice && n.Transaction.Type == DokuTransactionType.Capture);
        var after = await client.GetStatusAsync(invoice);
        foreach (var envelope in new DokuPaymentEnvelope[] { captured, after })
        {
            Assert.True(envelope.IsPaid);
            Assert.Equal((80000L, 50000L), (envelope.Order.Amount, envelope.Transaction.Amount!.Value));
        }
    }

    [Fact]
    public async Task CaptureAsync_CapturesOnce_WhenRepeatedWithSameOrNewRequestId()
    {
        var client = lunas.Client();
        var (invoice, _, authorized) = await PayByCardAsync(client, "AUTHORIZE");
        var request = CaptureRequest.For(authorized);
        var first = await client.CaptureAsync(request, "capture-" + invoice);

        var replay = await client.CaptureAsync(request, "capture-" + invoice);
        var second = await Assert.ThrowsAsync<DokuApiException>(() => client.CaptureAsync(request));

        Assert.True(replay.Replayed);
        Assert.Equal(first.RawJson, replay.RawJson);
        Assert.Equal((400, DokuErrorCodes.InvalidState), (second.Status, second.ErrorCode));
        var status = await client.GetStatusAsync(invoice);
        Assert.Equal((DokuTransactionType.Capture, 80000L), (status.Transaction.Type, status.Transaction.Amount!.Value));
    }

    [Fact]
    public async Task CaptureAsync_ThrowsInvalidState_WhenTheAuthorizationLapsed()
    {
        var client = lunas.Client();
        var (invoice, _, authorized) = await PayByCardAsync(client, "AUTHORIZE");

        lunas.Clock!.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CaptureAsync(CaptureRequest.For(authorized)));

        Assert.Equal((400, DokuErrorCodes.InvalidState), (error.Status, error.ErrorCode));
        Assert.Equal(DokuTransactionStatus.Voided, (await client.GetStatusAsync(invoice)).Transaction.Status);
    }

    [Fact]
    public async Task CaptureAsync_ThrowsNotFoundOrInvalidParameter_WhenAuthorizeIdIsUnknownOrBlank()
    {
        var unknown = await Assert.ThrowsAsync<DokuApiException>(() => lunas.Client().CaptureAsync(new CaptureRequest { AuthorizeId = "NO-SUCH-AUTH" }));
        var blank = await Assert.ThrowsAsync<DokuApiException>(() =>
            lunas.Client(o => o.ValidateRequests = false).CaptureAsync(new CaptureRequest { AuthorizeId = "" }));

        Assert.Equal((404, DokuErrorCodes.NotFound), (unknown.Status, unknown.ErrorCode));
        Assert.Equal((400, DokuErrorCodes.InvalidParameter), (blank.Status, blank.ErrorCode));
        Assert.Contains(blank.ErrorMessages, m => m.Contains("payment.authorize_id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefundCardAsync_VoidsTheSale_WhenFullAmountBeforeSettlement()
    {
        var client = lunas.Client();
        var (invoice, created, paid) = await PayByCardAsync(client, "SALE");

        var partial = await client.RefundCardAsync(CardRefundRequest.For(paid, 10000));
        var voided = await client.RefundCardAsync(CardRefundRequest.For(paid, 80000), "void-" + invoice);

        Assert.False(partial.IsSuccess);
        Assert.Equal((DokuRefundType.Void, DokuOperationStatus.Failed), (partial.Refund.Type, partial.Refund.Status));
        Assert.True(voided.IsSuccess, voided.RawJson);
        Assert.Equal((DokuRefundType.Void, 80000L), (voided.Refund.Type, voided.Refund.Amount!.Value));
        Assert.Equal(created.RequestId, voided.Payment!.OriginalRequestId);
        var notification = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice && n.Transaction.Status == DokuTransactionStatus.Voided);
        var status = await client.GetStatusAsync(invoice);
        foreach (var envelope in new DokuPaymentEnvelope[] { notification, status })
        {
            Assert.True(envelope.IsRefundedOrVoided);
            Assert.Equal((DokuTransactionType.Void, 80000L), (envelope.Transaction.Type, envelope.Refund!.Amount!.Value));
        }
        Assert.NotEqual(paid.RequestId, notification.RequestId);
    }

    [Fact]
    public async Task RefundCardAsync_VoidsTheHold_WhenAuthorizationIsNotCaptured()
    {
        var client = lunas.Client();
        var (invoice, _, authorized) = await PayByCardAsync(client, "AUTHORIZE");

        var voided = await client.RefundCardAsync(CardRefundRequest.For(authorized, 80000));

        Assert.True(voided.IsSuccess, voided.RawJson);
        Assert.Equal(DokuRefundType.Void, voided.Refund.Type);
        Assert.Equal(DokuTransactionStatus.Voided, (await client.GetStatusAsync(invoice)).Transaction.Status);
        await Assert.ThrowsAsync<DokuApiException>(() => client.CaptureAsync(CaptureRequest.For(authorized)));
    }

    [Fact]
    public async Task RefundCardAsync_RefundsInPartsUpToThePaidAmount_WhenAfterSettlement()
    {
        var client = lunas.Client();
        var (invoice, _, paid) = await PayByCardAsync(client, "SALE");
        lunas.Clock!.Advance(TimeSpan.FromHours(25));

        var first = await client.RefundCardAsync(CardRefundRequest.For(paid, 30000), "refund-1-" + invoice);
        var replay = await client.RefundCardAsync(CardRefundRequest.For(paid, 30000), "refund-1-" + invoice);
        var byRefundId = await client.GetStatusAsync(first.RequestId);
        var tooMuch = await Assert.ThrowsAsync<DokuApiException>(() => client.RefundCardAsync(CardRefundRequest.For(paid, 50001)));
        var rest = await client.RefundCardAsync(CardRefundRequest.For(paid, 50000));
        var nothingLeft = await Assert.ThrowsAsync<DokuApiException>(() => client.RefundCardAsync(CardRefundRequest.For(paid, 1)));

        Assert.Equal((DokuRefundType.PartialRefund, DokuOperationStatus.Success), (first.Refund.Type, first.Refund.Status));
        Assert.True(replay.Replayed);
        Assert.Equal(first.RawJson, replay.RawJson);
        Assert.Equal((DokuTransactionStatus.Refunded, DokuTransactionType.PartialRefund, 30000L),
            (byRefundId.Transaction.Status, byRefundId.Transaction.Type, byRefundId.Transaction.Amount!.Value));
        Assert.Equal((400, DokuErrorCodes.InvalidParameter), (tooMuch.Status, tooMuch.ErrorCode));
        Assert.True(rest.IsSuccess, rest.RawJson);
        Assert.Equal(400, nothingLeft.Status);
        var status = await client.GetStatusAsync(invoice);
        Assert.Equal((DokuTransactionStatus.Refunded, 80000L, 80000L), (status.Transaction.Status, status.Order.Amount, status.Refund!.TotalRefunded!.Value));
        var refunds = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice && n.Refund?.TotalRefunded == 80000);
        Assert.Equal(DokuTransactionStatus.Refunded, refunds.Transaction.Status);
    }

    [Fact]
    public async Task RefundCardAsync_RefundsInFull_WhenAfterSettlement()
    {
        var client = lunas.Client();
        var (_, _, paid) = await PayByCardAsync(client, "SALE");
        lunas.Clock!.Advance(TimeSpan.FromHours(25));

        var refund = await client.RefundCardAsync(CardRefundRequest.For(paid, 80000));

        Assert.Equal((DokuRefundType.FullRefund, DokuOperationStatus.Success), (refund.Refund.Type, refund.Refund.Status));
    }

    [Fact]
    public async Task RefundCardAsync_ThrowsNotFoundOrInvalidState_WhenInvoiceUnknownOrNotPaid()
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        var created = await client.CreatePaymentAsync(Requests.Full(invoice, "CREDIT_CARD"));

        var unknown = await Assert.ThrowsAsync<DokuApiException>(() => client.RefundCardAsync(
            new CardRefundRequest { InvoiceNumber = Requests.NewInvoice(), OriginalRequestId = created.RequestId, Amount = 80000 }));
        var unpaid = await Assert.ThrowsAsync<DokuApiException>(() => client.RefundCardAsync(
            new CardRefundRequest { InvoiceNumber = invoice, OriginalRequestId = created.RequestId, Amount = 80000 }));

        Assert.Equal((404, DokuErrorCodes.NotFound), (unknown.Status, unknown.ErrorCode));
        Assert.Equal((400, DokuErrorCodes.InvalidState), (unpaid.Status, unpaid.ErrorCode));
    }

    [Theory]
    [InlineData("EMONEY_SHOPEE_PAY")]
    [InlineData("PEER_TO_PEER_AKULAKU")]
    public async Task RefundWallet_RefundsInFullOnce_WhenIdentifiersAreTheNotifications(string channel)
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Full(invoice, channel));
        await lunas.SimulatePaymentAsync(invoice, channel);
        var paid = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice && n.IsPaid);
        Func<string, Task<WalletRefundResult>> refund = channel == "EMONEY_SHOPEE_PAY"
            ? id => client.RefundShopeePayAsync(ShopeePayRefundRequest.For(paid), id)
            : id => client.RefundAkulakuAsync(AkulakuRefundRequest.For(paid, "RF-" + invoice), id);

        var result = await refund("refund-" + invoice);
        var replay = await refund("refund-" + invoice);
        var twice = await Assert.ThrowsAsync<DokuApiException>(() => refund(Guid.NewGuid().ToString()));

        Assert.True(result.IsSuccess, result.RawJson);
        Assert.True(replay.Replayed);
        Assert.Equal(400, twice.Status);
        var refunded = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice && n.IsRefundedOrVoided);
        Assert.Equal(DokuTransactionStatus.Refunded, refunded.Transaction.Status);
        Assert.Equal(DokuTransactionStatus.Refunded, (await client.GetStatusAsync(invoice)).Transaction.Status);
    }

    [Fact]
    public async Task RefundShopeePayAsync_ThrowsNotFound_WhenIdentifiersDoNotMatch()
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Full(invoice, "EMONEY_SHOPEE_PAY"));
        await lunas.SimulatePaymentAsync(invoice, "EMONEY_SHOPEE_PAY");
        await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice && n.IsPaid);

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.RefundShopeePayAsync(new ShopeePayRefundRequest
        {
            InvoiceNumber = invoice, Identifiers = [new DokuIdentifier { Name = "TRANSACTION_SN", Value = "000000000000000" }],
        }));

        Assert.Equal((404, DokuErrorCodes.NotFound), (error.Status, error.ErrorCode));
    }

    /// <summary>A checkout of 80,000 paid by card through the simulator (<paramref name="type"/> SALE or AUTHORIZE), and its notification.</summary>
    private async Task<(string Invoice, CheckoutResponse Created, DokuNotification Notification)> PayByCardAsync(DokuCheckoutClient client, string type)
    {
        var invoice = Requests.NewInvoice();
        var request = Requests.Full(invoice, "CREDIT_CARD");
        request.Payment!.Type = type;
        var created = await client.CreatePaymentAsync(request);
        await lunas.SimulatePaymentAsync(invoice, "CREDIT_CARD");
        var notification = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice);
        return (invoice, created, notification);
    }
}
