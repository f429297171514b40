using System.Text;
using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>
/// The post-payment calls against a stub DOKU (no server): the path, the exact body and the signature each sends, and
/// how each success answer (spec doku-post-payment.md sections 1.3, 2.4, 4.1, 4.2, 4.4) is read.
/// </summary>
public class PostPaymentClientTests
{
    private const string CancelAnswer = """
        {"order":{"invoice_number":"INV-20260904-002","status":"ORDER_CANCELLED"},
         "payment":{"original_request_id":"fdb69f47-96da-499d-acec-7cdc318ab2fe"},
         "note":"Customer cancelled before payment",
         "cancellation":{"status":"SUCCESS","date":"2026-09-04T03:10:00Z"},
         "message":["SUCCESS"]}
        """;

    private const string CaptureAnswer = """
        {"order":{"invoice_number":"INV-0001","amount":10000,"currency":"IDR"},
         "customer":{"id":"Test001"},
         "payment":{"type":"CAPTURE","request_id":"418075533589","response_code":"00","response_message":"Approved",
                    "status":"SUCCESS","authorize_id":"193869186391","approval_code":"112233","capture_amount":"9000"},
         "card":{"masked":"557338*******101","token":"5367","type":"CREDIT","issuer":"OCBC Berhad","brand":"VISA"}}
        """;

    private const string RefundAnswer = """
        {"order":{"invoice_number":"INV-20210118-0001"},
         "payment":{"original_request_id":"b266c265-3d61-4708-9860-c0d5b9a98f8c"},
         "refund":{"amount":90000,"type":"FULL_REFUND","status":"SUCCESS","message":"Approved","approval_code":"12321"}}
        """;

    [Fact]
    public async Task CancelOrderAsync_SendsSignedBodyAndReadsResult_WhenOrderIsCancelled()
    {
        var doku = StubDoku.Answering(200, CancelAnswer);

        var result = await doku.Client().CancelOrderAsync(new CancelOrderRequest
        {
            InvoiceNumber = "INV-20260904-002",
            OriginalRequestId = "fdb69f47-96da-499d-acec-7cdc318ab2fe",
            Note = "Customer cancelled before payment",
        });

        var sent = doku.Single;
        Assert.Equal(HttpMethod.Post, sent.Method);
        StubDoku.AssertSigned(sent, "/checkout/v3/cancellations");
        Assert.Equal("""{"order":{"invoice_number":"INV-20260904-002"},"payment":{"original_request_id":"fdb69f47-96da-499d-acec-7cdc318ab2fe"},"note":"Customer cancelled before payment"}""",
            Encoding.UTF8.GetString(sent.Body!));
        Assert.True(result.IsCancelled);
        Assert.Equal(("INV-20260904-002", DokuOrderStatusValue.Cancelled), (result.Order.InvoiceNumber, result.Order.Status));
        Assert.Equal("fdb69f47-96da-499d-acec-7cdc318ab2fe", result.Payment!.OriginalRequestId);
        Assert.Equal(("SUCCESS", "2026-09-04T03:10:00Z"), (result.Cancellation!.Status, result.Cancellation.Date));
        Assert.Equal("Customer cancelled before payment", result.Note);
        Assert.Equal(["SUCCESS"], result.Message);
        Assert.Equal(sent.Header("Request-Id"), result.RequestId);
        Assert.False(result.Replayed);
        Assert.Equal(CancelAnswer, result.RawJson);
    }

    [Fact]
    public async Task CancelOrderAsync_SendsOnlyTheInvoice_WhenNoRequestIdOrNote()
    {
        var doku = StubDoku.Answering(200, CancelAnswer);

        await doku.Client().CancelOrderAsync(new CancelOrderRequest { InvoiceNumber = "INV-9" }, "cancel-INV-9");

        Assert.Equal("""{"order":{"invoice_number":"INV-9"}}""", Encoding.UTF8.GetString(doku.Single.Body!));
        Assert.Equal("cancel-INV-9", doku.Single.Header("Request-Id"));
    }

    [Fact]
    public async Task CaptureAsync_SendsAuthorizeIdAndAmountAndReadsResult_WhenCaptured()
    {
        var doku = StubDoku.Answering(200, CaptureAnswer);

        var result = await doku.Client().CaptureAsync(new CaptureRequest { AuthorizeId = "193869186391", Amount = 9000 }, "cap-1");

        StubDoku.AssertSigned(doku.Single, "/credit-card/capture");
        Assert.Equal("""{"payment":{"authorize_id":"193869186391","capture_amount":9000}}""", Encoding.UTF8.GetString(doku.Single.Body!));
        Assert.True(result.IsSuccess);
        var p = result.Payment;
        Assert.Equal(("CAPTURE", "418075533589", "193869186391", 9000L), (p.Type, p.RequestId, p.AuthorizeId, p.CaptureAmount!.Value));
        Assert.Equal(("00", "Approved", "112233"), (p.ResponseCode, p.ResponseMessage, p.ApprovalCode));
        Assert.Equal(("INV-0001", 10000L, "IDR"), (result.Order!.InvoiceNumber, result.Order.Amount!.Value, result.Order.Currency));
        Assert.Equal("Test001", result.Customer!.Id);
        Assert.Equal(("557338*******101", "CREDIT", "VISA", "OCBC Berhad"), (result.Card!.Masked, result.Card.Type, result.Card.Brand, result.Card.Issuer));
        Assert.Equal("cap-1", result.RequestId);
        Assert.True(result.AdditionalProperties is null);
    }

    [Fact]
    public async Task CaptureAsync_SendsNoAmount_WhenCapturingInFull()
    {
        var doku = StubDoku.Answering(200, CaptureAnswer);

        await doku.Client().CaptureAsync(new CaptureRequest { AuthorizeId = "A-1" });

        Assert.Equal("""{"payment":{"authorize_id":"A-1"}}""", Encoding.UTF8.GetString(doku.Single.Body!));
    }

    [Fact]
    public async Task CaptureAsync_ReturnsFailedResult_WhenIssuerDeclines()
    {
        var doku = StubDoku.Answering(200, """{"payment":{"status":"FAILED","response_code":"05","response_message":"Do not honor","authorize_id":"A-1"}}""");

        var result = await doku.Client().CaptureAsync(new CaptureRequest { AuthorizeId = "A-1" });

        Assert.False(result.IsSuccess);
        Assert.Equal((DokuOperationStatus.Failed, "05"), (result.Payment.Status, result.Payment.ResponseCode));
    }

    [Fact]
    public async Task RefundCardAsync_SendsTheRefundBodyAndReadsResult_WhenRefunded()
    {
        var doku = StubDoku.Answering(200, RefundAnswer);

        var result = await doku.Client().RefundCardAsync(new CardRefundRequest
        {
            InvoiceNumber = "INV-20210118-0001", OriginalRequestId = "b266c265-3d61-4708-9860-c0d5b9a98f8c", Amount = 90000,
        }, "refund-1");

        StubDoku.AssertSigned(doku.Single, "/cancellation/credit-card/refund");
        Assert.Equal("""{"order":{"invoice_number":"INV-20210118-0001"},"payment":{"original_request_id":"b266c265-3d61-4708-9860-c0d5b9a98f8c"},"refund":{"amount":90000}}""",
            Encoding.UTF8.GetString(doku.Single.Body!));
        Assert.True(result.IsSuccess);
        var r = result.Refund;
        Assert.Equal((90000L, DokuRefundType.FullRefund, "SUCCESS", "Approved", "12321"), (r.Amount!.Value, r.Type, r.Status, r.Message, r.ApprovalCode));
        Assert.Equal("INV-20210118-0001", result.Order!.InvoiceNumber);
        Assert.Equal("b266c265-3d61-4708-9860-c0d5b9a98f8c", result.Payment!.OriginalRequestId);
        Assert.Equal("refund-1", result.RequestId);
    }

    [Fact]
    public async Task RefundCardAsync_ReturnsFailedVoid_WhenPartialAmountBeforeSettlement()
    {
        var doku = StubDoku.Answering(200, """{"order":{"invoice_number":"INV-1"},"refund":{"amount":"5000","type":"VOID","status":"FAILED","message":"Void needs the full amount"}}""");

        var result = await doku.Client().RefundCardAsync(new CardRefundRequest { InvoiceNumber = "INV-1", OriginalRequestId = "r-1", Amount = 5000 });

        Assert.False(result.IsSuccess);
        Assert.Equal((DokuRefundType.Void, DokuOperationStatus.Failed, 5000L), (result.Refund.Type, result.Refund.Status, result.Refund.Amount!.Value));
    }

    [Fact]
    public async Task RefundCardAsync_BuildsRequestFromNotification_WhenGivenThePayment()
    {
        var notification = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-7","amount":20000},"transaction":{"status":"SUCCESS","original_request_id":"chk-7","type":"SALE"}}
            """u8);
        var doku = StubDoku.Answering(200, RefundAnswer);

        await doku.Client().RefundCardAsync(CardRefundRequest.For(notification, notification.Order.Amount));

        Assert.Equal("""{"order":{"invoice_number":"INV-7"},"payment":{"original_request_id":"chk-7"},"refund":{"amount":20000}}""",
            Encoding.UTF8.GetString(doku.Single.Body!));
    }

    [Fact]
    public async Task RefundShopeePayAsync_SendsTheNotificationsIdentifiers_WhenRefundingThePayment()
    {
        var notification = DokuNotification.Parse("""
            {"channel":{"id":"EMONEY_SHOPEE_PAY"},"order":{"invoice_number":"MINV20201231468","amount":50000},"transaction":{"status":"SUCCESS"},
             "shopeepay_payment":{"identifier":[{"name":"PAYMENT_REFERENCE_ID","value":"REF-12345678"},{"name":"TRANSACTION_SN","value":"000000012345678"}]}}
            """u8);
        var doku = StubDoku.Answering(200, """{"order":{"invoice_number":"MINV20201231468","amount":50000},"refund":{"amount":50000,"type":"FULL_REFUND","status":"SUCCESS"},"message":["SUCCESS"]}""");

        var result = await doku.Client().RefundShopeePayAsync(ShopeePayRefundRequest.For(notification));

        StubDoku.AssertSigned(doku.Single, "/shopeepay-emoney/v2/refund");
        Assert.Equal("""{"order":{"invoice_number":"MINV20201231468"},"shopeepay_payment":{"identifier":[{"name":"PAYMENT_REFERENCE_ID","value":"REF-12345678"},{"name":"TRANSACTION_SN","value":"000000012345678"}]}}""",
            Encoding.UTF8.GetString(doku.Single.Body!));
        Assert.True(result.IsSuccess);
        Assert.Equal((50000L, DokuRefundType.FullRefund), (result.Refund!.Amount!.Value, result.Refund.Type));
        Assert.Equal("MINV20201231468", result.Order!.InvoiceNumber);
    }

    [Fact]
    public async Task RefundShopeePayAsync_CountsAsSuccess_WhenTheAnswerHasNoRefundBlock()
    {
        var doku = StubDoku.Answering(200, """{"message":["SUCCESS"],"transaction":{"status":"REFUNDED"}}""");

        var result = await doku.Client().RefundShopeePayAsync(new ShopeePayRefundRequest
        {
            InvoiceNumber = "INV-1", Identifiers = [new DokuIdentifier { Name = "TRANSACTION_SN", Value = "1" }],
        });

        Assert.True(result.IsSuccess);
        Assert.Null(result.Refund);
        Assert.Equal("REFUNDED", result.AdditionalProperties!["transaction"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task RefundAkulakuAsync_SendsPaymentIdentifiersAndRefundReference_WhenRefundingThePayment()
    {
        var notification = DokuNotification.Parse("""
            {"channel":{"id":"PEER_TO_PEER_AKULAKU"},"order":{"invoice_number":"invoice-00000101123","amount":300000},"transaction":{"status":"SUCCESS"},
             "peer_to_peer_info":{"merchant_unique_reference":"REFUND-ABC-0001045","identifier":[{"name":"ORDER_ID","value":"1000043205"},
               {"name":"AKULAKU_UNIQUE_REFERENCE","value":"MCH-0001-10791114622547REFUND-ABC-0001045"}]}}
            """u8);
        var doku = StubDoku.Answering(200, """{"order":{"invoice_number":"invoice-00000101123"},"refund":{"status":"SUCCESS"}}""");

        var result = await doku.Client().RefundAkulakuAsync(AkulakuRefundRequest.For(notification, "XYZ-006456"), "akulaku-refund-1");

        StubDoku.AssertSigned(doku.Single, "/akulaku-peer-to-peer/v2/refund");
        Assert.Equal("""{"order":{"invoice_number":"invoice-00000101123"},"payment":{"merchant_unique_reference":"REFUND-ABC-0001045","identifier":[{"name":"ORDER_ID","value":"1000043205"},{"name":"AKULAKU_UNIQUE_REFERENCE","value":"MCH-0001-10791114622547REFUND-ABC-0001045"}]},"refund":{"merchant_unique_reference":"XYZ-006456"}}""",
            Encoding.UTF8.GetString(doku.Single.Body!));
        Assert.True(result.IsSuccess);
        Assert.Equal("akulaku-refund-1", result.RequestId);
    }
}
