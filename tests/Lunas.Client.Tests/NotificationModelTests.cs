using System.Text;
using System.Text.Json;

namespace Lunas.Client.Tests;

/// <summary>Parsing notifications: every channel block of spec section 4, tolerant of what a newer DOKU may add.</summary>
public class NotificationModelTests
{
    [Fact]
    public void Parse_ReadsEveryBlockAndKeepsUnknownFields_WhenBodyHasFieldsThisVersionDoesNotKnow()
    {
        var body = """
            {"service":{"id":"VIRTUAL_ACCOUNT","new":1},"acquirer":{"id":"BCA"},"channel":{"id":"VIRTUAL_ACCOUNT_BCA"},
             "order":{"invoice_number":"INV-1","amount":"150000","session_id":"abc"},
             "transaction":{"status":"SUCCESS","date":"2021-01-27T03:24:23Z","original_request_id":"req-1","type":"SALE","extra":[1,2]},
             "virtual_account_info":{"virtual_account_number":"1900600000000046","how_to_pay_page":"https://x/","created_date":"20210127102423","expired_date":"20210127112423"},
             "virtual_account_payment":{"date":"20210127102423","identifier":[{"name":"REQUEST_ID","value":"r"},{"name":"REFERENCE","value":"f"}],"systrace_number":"1"},
             "online_to_offline_info":{"payment_code":"8888","created_date":"1","expired_date":"2"},
             "online_to_offline_payment":{"identifier":[{"name":"REFERENCE","value":"q"}]},
             "card_payment":{"masked_card_number":"411111******1111","approval_code":"A1","response_code":"00","response_message":"PAYMENT_APPROVED","installment_tenor":"3","issuer":"BANK"},
             "emoney_payment":{"account_id":"0812","approval_code":"E1"},
             "online_banking_payment":{"account_id":"acct","approval_code":"O1"},
             "peer_to_peer_info":{"merchant_unique_reference":"m","tenor":6,"approval_code":"P1","installment_amount":50000},
             "qris_payment":{"reference_number":"ref","issuer":"GOPAY","approval_code":"Q1","date":"2021-01-27T03:24:23Z"},
             "wallet":{"balance":5},
             "loyalty":null}
            """;

        var n = DokuNotification.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(("VIRTUAL_ACCOUNT", "BCA", "VIRTUAL_ACCOUNT_BCA"), (n.Service!.Id, n.Acquirer!.Id, n.Channel!.Id));
        Assert.Equal(("INV-1", 150000L), (n.Order.InvoiceNumber, n.Order.Amount));
        Assert.Equal(("SUCCESS", "2021-01-27T03:24:23Z", "req-1", "SALE"),
            (n.Transaction.Status, n.Transaction.Date, n.Transaction.OriginalRequestId, n.Transaction.Type));
        Assert.True(n.IsPaid);
        Assert.Equal("1900600000000046", n.VirtualAccountInfo!.VirtualAccountNumber);
        Assert.Equal("https://x/", n.VirtualAccountInfo.HowToPayPage);
        Assert.Equal(["REQUEST_ID", "REFERENCE"], n.VirtualAccountPayment!.Identifier!.Select(i => i.Name));
        Assert.Equal("8888", n.OnlineToOfflineInfo!.PaymentCode);
        Assert.Equal("q", Assert.Single(n.OnlineToOfflinePayment!.Identifier!).Value);
        Assert.Equal(("411111******1111", "A1", "00", "PAYMENT_APPROVED", 3, "BANK"), (n.CardPayment!.MaskedCardNumber,
            n.CardPayment.ApprovalCode, n.CardPayment.ResponseCode, n.CardPayment.ResponseMessage, n.CardPayment.InstallmentTenor, n.CardPayment.Issuer));
        Assert.Equal(("0812", "E1"), (n.EmoneyPayment!.AccountId, n.EmoneyPayment.ApprovalCode));
        Assert.Equal(("acct", "O1"), (n.OnlineBankingPayment!.AccountId, n.OnlineBankingPayment.ApprovalCode));
        Assert.Equal(("m", 6, "P1"), (n.PeerToPeerInfo!.MerchantUniqueReference, n.PeerToPeerInfo.Tenor, n.PeerToPeerInfo.ApprovalCode));
        Assert.Equal(("ref", "GOPAY", "Q1", "2021-01-27T03:24:23Z"),
            (n.QrisPayment!.ReferenceNumber, n.QrisPayment.Issuer, n.QrisPayment.ApprovalCode, n.QrisPayment.Date));
        Assert.Equal(["wallet", "loyalty"], n.AdditionalProperties!.Keys);
        Assert.Equal(5, n.AdditionalProperties["wallet"].GetProperty("balance").GetInt32());
        Assert.Equal(body, n.RawJson);
    }

    [Fact]
    public void Parse_LeavesOtherBlocksNull_WhenOnlyTheEnvelopeIsSent()
    {
        var n = DokuNotification.Parse("""
            {"service":{"id":null},"acquirer":{"id":null},"channel":{"id":null},"order":{"invoice_number":"INV-2","amount":1000},
             "transaction":{"status":"EXPIRED","date":"2021-01-27T03:24:23Z","original_request_id":"r"}}
            """u8);

        Assert.Null(n.Channel!.Id);
        Assert.False(n.IsPaid);
        Assert.Equal(DokuTransactionStatus.Expired, n.Transaction.Status);
        Assert.Null(n.VirtualAccountInfo);
        Assert.Null(n.CardPayment);
        Assert.Null(n.QrisPayment);
        Assert.Null(n.AdditionalProperties);
    }

    [Fact]
    public void Parse_ReadsTextFieldsSentAsNumbersOrBooleans()
    {
        // A genuine notification whose text fields drifted to other JSON types is still read, not refused.
        var n = DokuNotification.Parse("""
            {"service":{"id":"VIRTUAL_ACCOUNT"},"channel":{"id":"VIRTUAL_ACCOUNT_BCA"},"order":{"invoice_number":20240001,"amount":1000},
             "transaction":{"status":"SUCCESS","date":"2021-01-27T03:24:23Z","original_request_id":12345678901234567890},
             "virtual_account_info":{"virtual_account_number":1900600000000046},
             "card_payment":{"approval_code":true,"response_code":0}}
            """u8);

        Assert.Equal("20240001", n.Order.InvoiceNumber);
        Assert.Equal("12345678901234567890", n.Transaction.OriginalRequestId);
        Assert.Equal("1900600000000046", n.VirtualAccountInfo!.VirtualAccountNumber);
        Assert.Equal(("true", "0"), (n.CardPayment!.ApprovalCode, n.CardPayment.ResponseCode));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("""{"order":{"amount":"a lot"}}""")]
    [InlineData("{}")]
    [InlineData("""{"order":{"invoice_number":"INV-1","amount":1},"transaction":null}""")]
    public void Parse_ThrowsJsonException_WhenBodyIsNotANotification(string body)
    {
        Assert.ThrowsAny<JsonException>(() => DokuNotification.Parse(Encoding.UTF8.GetBytes(body)));
    }
}
