using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>
/// The status API and the notifications Lunas sends, read through the SDK's typed models: every channel family's
/// block, from real Lunas output.
/// </summary>
public class StatusAndNotificationTests(LunasFixture lunas) : IClassFixture<LunasFixture>
{
    [Fact]
    public async Task GetStatusAsync_ReturnsPendingOrder_WhenQueriedByInvoice()
    {
        var client = lunas.Client();
        var created = await client.CreatePaymentAsync(Requests.Basic(amount: 45000));
        var invoice = created.Response.Order.InvoiceNumber;

        var status = await client.GetStatusAsync(invoice);

        Assert.Equal(invoice, status.Order.InvoiceNumber);
        Assert.Equal(45000, status.Order.Amount);
        Assert.Equal(DokuOrderStatusValue.Generated, status.Order.Status);
        Assert.Equal(DokuTransactionStatus.Pending, status.Transaction.Status);
        Assert.Equal(created.RequestId, status.Transaction.OriginalRequestId);
        Assert.Null(status.Channel!.Id);
        Assert.Null(status.VirtualAccountInfo);
        Assert.False(status.IsPaid);
    }

    [Fact]
    public async Task GetStatusAsync_ReturnsTheOrder_WhenQueriedByRequestId()
    {
        var client = lunas.Client();
        var created = await client.CreatePaymentAsync(Requests.Basic());

        var status = await client.GetStatusAsync(created.RequestId);

        Assert.Equal(created.Response.Order.InvoiceNumber, status.Order.InvoiceNumber);
        Assert.Equal(created.RequestId, status.Transaction.OriginalRequestId);
    }

    [Fact]
    public async Task GetStatusAsync_FindsInvoice_WhenItNeedsEscapingInThePath()
    {
        var client = lunas.Client();
        var invoice = "INV/" + Requests.NewInvoice()[4..] + " #1";
        await client.CreatePaymentAsync(Requests.Basic(invoice));

        var status = await client.GetStatusAsync(invoice);

        Assert.Equal(invoice, status.Order.InvoiceNumber);
    }

    [Fact]
    public async Task GetStatusAsync_Throws404_WhenInvoiceIsUnknown()
    {
        var client = lunas.Client();

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.GetStatusAsync("NO-SUCH-INVOICE"));

        Assert.Equal(404, error.Status);
        Assert.Contains("NO-SUCH-INVOICE is not found", Assert.Single(error.ErrorMessages));
    }

    [Fact]
    public async Task GetStatusAsync_ThrowsSignatureException_WhenResponseIsAltered()
    {
        var client = lunas.Client();
        var created = await client.CreatePaymentAsync(Requests.Basic());
        var handler = new ScriptedHandler();
        handler.Script = async (_, forward, ct) =>
        {
            var response = await forward();
            var text = (await response.Content.ReadAsStringAsync(ct)).Replace("PENDING", "SUCCESS", StringComparison.Ordinal);
            response.Content = new StringContent(text, System.Text.Encoding.UTF8, "application/json");
            return response;
        };

        var error = await Assert.ThrowsAsync<DokuSignatureException>(
            () => lunas.Client(handler: handler).GetStatusAsync(created.Response.Order.InvoiceNumber));

        Assert.Contains("\"SUCCESS\"", error.ResponseBody);
    }

    [Fact]
    public async Task Notification_CarriesVirtualAccountBlocks_WhenPaidBySimulator()
    {
        var client = lunas.Client();
        var created = await client.CreatePaymentAsync(Requests.Basic(amount: 150000));
        var invoice = created.Response.Order.InvoiceNumber;

        await lunas.SimulatePaymentAsync(invoice, "VIRTUAL_ACCOUNT_BCA");
        var notification = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice);
        var status = await client.GetStatusAsync(invoice);

        foreach (var envelope in new DokuPaymentEnvelope[] { notification, status })
        {
            Assert.True(envelope.IsPaid);
            Assert.Equal("VIRTUAL_ACCOUNT", envelope.Service!.Id);
            Assert.Equal("BCA", envelope.Acquirer!.Id);
            Assert.Equal("VIRTUAL_ACCOUNT_BCA", envelope.Channel!.Id);
            Assert.Equal(150000, envelope.Order.Amount);
            Assert.Equal(created.RequestId, envelope.Transaction.OriginalRequestId);
            Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$", envelope.Transaction.Date);
            Assert.False(string.IsNullOrEmpty(envelope.VirtualAccountInfo!.VirtualAccountNumber));
            Assert.Matches("^[0-9]{14}$", envelope.VirtualAccountPayment!.Date);
            Assert.Contains(envelope.VirtualAccountPayment.Identifier!, i => i.Name == "REQUEST_ID" && !string.IsNullOrEmpty(i.Value));
            Assert.Null(envelope.CardPayment);
        }
        Assert.Null(notification.Order.Status);
        Assert.Equal(DokuOrderStatusValue.Generated, status.Order.Status);
        Assert.Equal(LunasFixture.ClientId, notification.ClientId);
        Assert.False(string.IsNullOrEmpty(notification.RequestId));
        Assert.NotEqual(created.RequestId, notification.RequestId);
        Assert.Contains(invoice, notification.RawJson);
    }

    public static TheoryData<string, string> Channels => new()
    {
        { "ONLINE_TO_OFFLINE_ALFA", "ONLINE_TO_OFFLINE" },
        { "CREDIT_CARD", "CREDIT_CARD" },
        { "DIRECT_DEBIT_CIMB", "DIRECT_DEBIT" },
        { "EMONEY_OVO", "EMONEY" },
        { "OCTO_CLICKS", "ONLINE_BANKING" },
        { "PEER_TO_PEER_BRI_CERIA", "PEER_TO_PEER" },
        { "QRIS", "QRIS" },
    };

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task NotificationAndStatus_CarryTheChannelBlock_WhenPaidWithThatChannel(string channel, string service)
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Full(invoice, channel));

        await lunas.SimulatePaymentAsync(invoice, channel);
        var notification = await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice);
        var status = await client.GetStatusAsync(invoice);

        foreach (var envelope in new DokuPaymentEnvelope[] { notification, status })
        {
            Assert.Equal(DokuTransactionStatus.Success, envelope.Transaction.Status);
            Assert.Equal(channel, envelope.Channel!.Id);
            Assert.Equal(service, envelope.Service!.Id);
            Assert.Equal(80000, envelope.Order.Amount);
            switch (service)
            {
                case "ONLINE_TO_OFFLINE":
                    Assert.Matches("^[0-9]+$", envelope.OnlineToOfflineInfo!.PaymentCode);
                    Assert.Matches("^[0-9]{14}$", envelope.OnlineToOfflineInfo.CreatedDate);
                    Assert.Matches("^[0-9]{14}$", envelope.OnlineToOfflineInfo.ExpiredDate);
                    Assert.Contains(envelope.OnlineToOfflinePayment!.Identifier!, i => i.Name == "REFERENCE" && !string.IsNullOrEmpty(i.Value));
                    break;
                case "CREDIT_CARD":
                case "DIRECT_DEBIT":
                    Assert.Matches(@"^[0-9]{6}\*{6}[0-9]{4}$", envelope.CardPayment!.MaskedCardNumber);
                    Assert.Equal(("00", "PAYMENT_APPROVED"), (envelope.CardPayment.ResponseCode, envelope.CardPayment.ResponseMessage));
                    Assert.Matches("^[0-9]{6}$", envelope.CardPayment.ApprovalCode);
                    Assert.Equal(service == "CREDIT_CARD" ? "SALE" : null, envelope.Transaction.Type);
                    break;
                case "EMONEY":
                    Assert.Equal("628121212121", envelope.EmoneyPayment!.AccountId);
                    Assert.Matches("^[0-9]{6}$", envelope.EmoneyPayment.ApprovalCode);
                    break;
                case "ONLINE_BANKING":
                    Assert.Equal("628121212121", envelope.OnlineBankingPayment!.AccountId);
                    Assert.Matches("^[0-9]{6}$", envelope.OnlineBankingPayment.ApprovalCode);
                    break;
                case "PEER_TO_PEER":
                    Assert.False(string.IsNullOrEmpty(envelope.PeerToPeerInfo!.MerchantUniqueReference));
                    Assert.Equal(3, envelope.PeerToPeerInfo.Tenor);
                    Assert.Matches("^[0-9]{6}$", envelope.PeerToPeerInfo.ApprovalCode);
                    break;
                case "QRIS":
                    Assert.False(string.IsNullOrEmpty(envelope.QrisPayment!.ReferenceNumber));
                    Assert.Equal(envelope.Acquirer!.Id, envelope.QrisPayment.Issuer);
                    Assert.Matches("^[0-9]{6}$", envelope.QrisPayment.ApprovalCode);
                    Assert.Matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$", envelope.QrisPayment.Date);
                    break;
                default:
                    Assert.Fail("no check for " + service);
                    break;
            }
            Assert.Null(envelope.VirtualAccountInfo);
        }
    }
}
