using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>Obvious mistakes in a cancel, capture or refund are refused before anything is sent, naming the field.</summary>
public class PostPaymentValidationTests
{
    [Fact]
    public async Task CancelOrderAsync_ThrowsValidationWithoutSending_WhenInvoiceBlankAndNoteTooLong()
    {
        var doku = new StubDoku();

        var error = await Assert.ThrowsAsync<DokuValidationException>(() => doku.Client().CancelOrderAsync(
            new CancelOrderRequest { InvoiceNumber = " ", OriginalRequestId = new string('r', 129), Note = new string('n', 256) }, "req-1"));

        Assert.Empty(doku.Requests);
        Assert.Null(error.Status);
        Assert.False(error.IsTransient);
        Assert.Equal("req-1", error.RequestId);
        Assert.Equal(["order.invoice_number must be filled", "payment.original_request_id max length is 128", "note max length is 255"],
            error.ErrorMessages);
    }

    [Fact]
    public void CancelOrderRequest_IsValid_WhenNoteIsExactly255()
    {
        Assert.Empty(new CancelOrderRequest { InvoiceNumber = "INV-1", Note = new string('n', 255) }.Validate());
    }

    [Theory]
    [InlineData("", null, "payment.authorize_id Must Not Be Blank")]
    [InlineData("A-1", 0L, "payment.capture_amount must greater than 0")]
    [InlineData("A-1", -5L, "payment.capture_amount must greater than 0")]
    [InlineData("A-1", 1_000_000_000_000L, "payment.capture_amount max length is 12 digits")]
    public async Task CaptureAsync_ThrowsValidationWithoutSending_WhenRequestIsObviouslyWrong(string authorizeId, long? amount, string expected)
    {
        var doku = new StubDoku();

        var error = await Assert.ThrowsAsync<DokuValidationException>(() =>
            doku.Client().CaptureAsync(new CaptureRequest { AuthorizeId = authorizeId, Amount = amount }));

        Assert.Empty(doku.Requests);
        Assert.Equal([expected], error.ErrorMessages);
    }

    [Fact]
    public async Task RefundCardAsync_ThrowsValidationWithoutSending_WhenEveryFieldIsMissing()
    {
        var doku = new StubDoku();

        var error = await Assert.ThrowsAsync<DokuValidationException>(() => doku.Client().RefundCardAsync(new CardRefundRequest()));

        Assert.Empty(doku.Requests);
        Assert.Equal(["order.invoice_number must be filled", "payment.original_request_id must be filled", "refund.amount must greater than 0"],
            error.ErrorMessages);
    }

    [Fact]
    public async Task RefundShopeePayAsync_ThrowsValidationWithoutSending_WhenIdentifiersAreMissingOrIncomplete()
    {
        var doku = new StubDoku();
        var client = doku.Client();

        var none = await Assert.ThrowsAsync<DokuValidationException>(() =>
            client.RefundShopeePayAsync(new ShopeePayRefundRequest { InvoiceNumber = "INV-1" }));
        var half = await Assert.ThrowsAsync<DokuValidationException>(() => client.RefundShopeePayAsync(new ShopeePayRefundRequest
        {
            InvoiceNumber = "INV-1",
            Identifiers = [new DokuIdentifier { Name = "PAYMENT_REFERENCE_ID", Value = "R" }, new DokuIdentifier { Name = "TRANSACTION_SN" }],
        }));

        Assert.Empty(doku.Requests);
        Assert.Equal(["shopeepay_payment.identifier must be filled (the identifiers of the payment notification)"], none.ErrorMessages);
        Assert.Equal(["shopeepay_payment.identifier[1] needs a name and a value"], half.ErrorMessages);
    }

    [Fact]
    public async Task RefundAkulakuAsync_ThrowsValidationWithoutSending_WhenNoIdentifiersOrRefundReference()
    {
        var doku = new StubDoku();

        var error = await Assert.ThrowsAsync<DokuValidationException>(() =>
            doku.Client().RefundAkulakuAsync(new AkulakuRefundRequest { InvoiceNumber = new string('I', 65) }));

        Assert.Empty(doku.Requests);
        Assert.Equal(["order.invoice_number max length is 64",
            "payment.identifier must be filled (the identifiers of the payment notification)",
            "refund.merchant_unique_reference must be filled"], error.ErrorMessages);
    }

    [Fact]
    public async Task RefundCardAsync_SendsAnyway_WhenValidationIsOff()
    {
        var doku = StubDoku.Answering(400, """{"error":{"code":"INVALID_PARAMETER","message":"refund.amount must be greater than 0","type":"Invalid Parameter"}}""");

        var error = await Assert.ThrowsAsync<DokuApiException>(() => doku.Client(o => o.ValidateRequests = false)
            .RefundCardAsync(new CardRefundRequest { InvoiceNumber = "INV-1", OriginalRequestId = "r-1", Amount = 0 }));

        Assert.IsNotType<DokuValidationException>(error);
        Assert.Equal(DokuErrorCodes.InvalidParameter, error.ErrorCode);
        Assert.Single(doku.Requests);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task CaptureAsync_ThrowsArgumentException_WhenRequestIdIsNotUsable(string requestId)
    {
        var doku = new StubDoku();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => doku.Client().CaptureAsync(new CaptureRequest { AuthorizeId = "A-1" }, requestId));

        Assert.Empty(doku.Requests);
    }

    [Fact]
    public void CaptureRequest_TakesTheAuthorizeIdOfTheStatus_WhenNotificationHasNoTopLevelOne()
    {
        var status = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-1","amount":1000},"transaction":{"status":"PENDING","type":"AUTHORIZE"},
             "card_payment":{"authorize_id":"AUTH-9","type":"AUTHORIZE","transaction_status":"SUCCESS"}}
            """u8);

        var request = CaptureRequest.For(status, 600);

        Assert.Equal(("AUTH-9", 600L), (request.AuthorizeId, request.Amount!.Value));
        Assert.Empty(request.Validate());
    }
}
