using System.Text;
using System.Text.Json;

namespace Lunas.Client.Tests;

/// <summary>The states and fields after checkout (authorize, capture, void, refund, cancel) in notifications and status bodies.</summary>
public class PostPaymentModelTests
{
    [Fact]
    public void Parse_ReadsAnUncapturedAuthorization_WhenCardHoldIsPending()
    {
        var n = DokuNotification.Parse("""
            {"service":{"id":"CREDIT_CARD"},"channel":{"id":"CREDIT_CARD"},"order":{"invoice_number":"INV-A","amount":150000},
             "transaction":{"status":"PENDING","type":"AUTHORIZE","date":"2026-09-04T03:10:00Z","original_request_id":"chk-1"},
             "authorize_id":"16920747459243358",
             "card_payment":{"masked_card_number":"411111******1111","approval_code":"123456","response_code":"00",
                             "response_message":"PAYMENT_APPROVED","authorize_id":"16920747459243358","type":"AUTHORIZE","transaction_status":"SUCCESS"}}
            """u8);

        Assert.True(n.IsAuthorized);
        Assert.False(n.IsPaid);
        Assert.Equal("16920747459243358", n.AuthorizeId);
        Assert.Equal("16920747459243358", n.CardAuthorizeId);
        Assert.Equal(("16920747459243358", DokuTransactionType.Authorize, "SUCCESS"),
            (n.CardPayment!.AuthorizeId, n.CardPayment.Type, n.CardPayment.TransactionStatus));
        Assert.Null(n.AdditionalProperties);
    }

    [Fact]
    public void Parse_ReadsACapture_WhenTheAuthorizationWasCapturedInPart()
    {
        var n = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-A","amount":150000},"transaction":{"status":"SUCCESS","type":"CAPTURE","amount":100000},
             "authorize_id":"AUTH-1","card_payment":{"type":"CAPTURE","request_id":"cap-1"}}
            """u8);

        Assert.True(n.IsPaid);
        Assert.False(n.IsAuthorized);
        Assert.Equal((150000L, 100000L), (n.Order.Amount, n.Transaction.Amount!.Value));
        Assert.Equal((DokuTransactionType.Capture, "cap-1"), (n.Transaction.Type, n.CardPayment!.RequestId));
    }

    [Fact]
    public void Parse_ReadsARefund_WhenStatusShowsDokusRefundView()
    {
        // DOKU MY's check-status example after a full refund: amounts as strings.
        var n = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-PL-20250828145938916","amount":5},
             "transaction":{"status":"REFUNDED","type":"FULL_REFUND","date":"2025-09-01T03:39:19Z","original_request_id":"65350","amount":"5"},
             "service":{"id":"CREDIT_CARD"},"acquirer":{"id":"OCBC","name":"OCBC BANK (MALAYSIA) BERHAD"},"channel":{"id":"CREDIT_CARD"},
             "card_payment":{"card_masked":"512345******2346","response_code":"00","response_message":"Transaction Has Been Successfully Refund",
                             "type":"FULL_REFUND","request_id":"65350","card_type":"CREDIT","transaction_status":"SUCCESS","brand":"MASTER"},
             "refund":{"amount":"5","total_refunded":"5"}}
            """u8);

        Assert.True(n.IsRefundedOrVoided);
        Assert.False(n.IsPaid);
        Assert.Equal((DokuTransactionStatus.Refunded, DokuTransactionType.FullRefund, 5L), (n.Transaction.Status, n.Transaction.Type, n.Transaction.Amount!.Value));
        Assert.Equal((5L, 5L), (n.Refund!.Amount!.Value, n.Refund.TotalRefunded!.Value));
        Assert.Equal(DokuTransactionType.FullRefund, n.CardPayment!.Type);
    }

    [Fact]
    public void Parse_ReadsPartialRefundAndVoid_WhenStatusesAreVoidedOrRefunded()
    {
        var partial = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-P","amount":100000},"transaction":{"status":"REFUNDED","type":"PARTIAL_REFUND","amount":30000},
             "refund":{"amount":30000,"total_refunded":50000}}
            """u8);
        var voided = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-V","amount":100000},"transaction":{"status":"VOIDED","type":"VOID"},
             "card_payment":{"type":"VOID","response_message":"Transaction Has Been Successfully Void"},"refund":{"amount":100000}}
            """u8);

        Assert.Equal((DokuTransactionType.PartialRefund, 30000L, 50000L), (partial.Transaction.Type, partial.Refund!.Amount!.Value, partial.Refund.TotalRefunded!.Value));
        Assert.True(voided.IsRefundedOrVoided);
        Assert.Equal((DokuTransactionStatus.Voided, DokuTransactionType.Void), (voided.Transaction.Status, voided.Transaction.Type));
    }

    [Fact]
    public void Parse_ReadsACancelledOrder_WhenStatusSaysOrderCancelled()
    {
        var n = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-C","amount":1000,"status":"ORDER_CANCELLED"},"transaction":{"status":"EXPIRED"}}
            """u8);

        Assert.True(n.IsCancelled);
        Assert.Equal(DokuTransactionStatus.Expired, n.Transaction.Status);
    }

    [Fact]
    public void Parse_ReadsTheRefundIdentifiers_WhenShopeePayOrAkulakuPaid()
    {
        var shopee = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-S","amount":1000},"transaction":{"status":"SUCCESS"},
             "shopeepay_payment":{"identifier":[{"name":"PAYMENT_REFERENCE_ID","value":"REF-1"},{"name":"TRANSACTION_SN","value":"SN-1"}]}}
            """u8);
        var akulaku = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-K","amount":1000},"transaction":{"status":"SUCCESS"},
             "peer_to_peer_info":{"merchant_unique_reference":"M-1","identifier":[{"name":"ORDER_ID","value":"1000043205"}]}}
            """u8);

        Assert.Equal(["PAYMENT_REFERENCE_ID:REF-1", "TRANSACTION_SN:SN-1"], shopee.ShopeePayPayment!.Identifier!.Select(i => i.Name + ":" + i.Value));
        Assert.Equal(("ORDER_ID", "1000043205"), (akulaku.PeerToPeerInfo!.Identifier![0].Name, akulaku.PeerToPeerInfo.Identifier[0].Value));
    }

    [Fact]
    public void Parse_KeepsUnknownValues_WhenStatusesAndTypesAreNewToThisVersion()
    {
        var n = DokuNotification.Parse("""
            {"order":{"invoice_number":"INV-U","amount":1000,"status":"ORDER_ARCHIVED"},
             "transaction":{"status":"CHARGEBACK","type":"MANUAL_FULL_REFUND"},"refund":{"amount":1000,"type":"MANUAL_FULL_REFUND","reason":"x"},
             "card_payment":{"type":"SOMETHING_NEW","transaction_status":"UNKNOWN"}}
            """u8);

        Assert.Equal(("CHARGEBACK", "MANUAL_FULL_REFUND", "ORDER_ARCHIVED"), (n.Transaction.Status, n.Transaction.Type, n.Order.Status));
        Assert.False(n.IsPaid || n.IsAuthorized || n.IsRefundedOrVoided || n.IsCancelled);
        Assert.Equal(DokuRefundType.ManualFullRefund, n.Refund!.Type);
    }

    [Fact]
    public void Parse_ThrowsJsonException_WhenRefundBlockHasAnUnreadableAmount()
    {
        Assert.ThrowsAny<JsonException>(() => DokuNotification.Parse(Encoding.UTF8.GetBytes(
            """{"order":{"invoice_number":"INV-1","amount":1},"transaction":{"status":"REFUNDED"},"refund":{"amount":"a lot"}}""")));
    }
}
