using System.Net;
using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>The SDK's Lunas-only sandbox calls for notification testing, against a real Lunas and against a host without them.</summary>
public class NotificationTestingAgainstLunasTests(LunasFixture lunas) : IClassFixture<LunasFixture>
{
    [Fact]
    public async Task SetNotificationFaultsAsync_StoresThem_AndGetThenClearReadAndRemoveThem()
    {
        var client = lunas.Client();

        var set = await client.SetNotificationFaultsAsync([NotificationFault.Drop(2, times: 3), NotificationFault.OutOfOrder(channel: "CREDIT_CARD")]);
        var read = await client.GetNotificationFaultsAsync();
        await client.ClearNotificationFaultsAsync();
        var cleared = await client.GetNotificationFaultsAsync();

        Assert.Equal(2, set.Count);
        Assert.Equal(("drop", 2, 3, 3), (read[0].Kind, read[0].Attempts, read[0].Times, read[0].Remaining));
        Assert.Equal(("out_of_order", "CREDIT_CARD", 1), (read[1].Kind, read[1].Channel, read[1].Times));
        Assert.Empty(cleared);
    }

    [Fact]
    public async Task SetNotificationFaultsAsync_MakesTheNextNotificationArriveTwice_WhenDuplicate()
    {
        var client = lunas.Client();
        var invoice = Requests.NewInvoice();
        await client.CreatePaymentAsync(Requests.Basic(invoice));
        await client.SetNotificationFaultsAsync([NotificationFault.Duplicate(2, channel: "VIRTUAL_ACCOUNT_BNI")]);
        try
        {
            await lunas.SimulatePaymentAsync(invoice, "VIRTUAL_ACCOUNT_BNI");
            await lunas.WaitForNotificationAsync(n => n.Order.InvoiceNumber == invoice);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (lunas.Notifications.Count(n => n.Order.InvoiceNumber == invoice) < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);

            Assert.Equal(2, lunas.Notifications.Count(n => n.Order.InvoiceNumber == invoice));
            Assert.Equal(0, (await client.GetNotificationFaultsAsync())[0].Remaining);
        }
        finally
        {
            await client.ClearNotificationFaultsAsync();
        }
    }

    [Fact]
    public async Task SetNotificationFaultsAsync_ThrowsNamingTheField_WhenAFaultIsOutOfBounds()
    {
        var client = lunas.Client();

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.SetNotificationFaultsAsync([NotificationFault.Duplicate(1)]));

        Assert.Equal(400, error.Status);
        Assert.Contains(error.ErrorMessages, m => m.StartsWith("faults[0].copies", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckReceiverAsync_PassesEveryCase_WhenTheReceiverUsesMapDokuNotifications()
    {
        var client = lunas.Client();

        var report = await client.CheckReceiverAsync();

        Assert.True(report.Pass, report.RawJson);
        Assert.Equal(7, report.Cases.Count);
        Assert.Equal(lunas.ReceiverUrl + LunasFixture.NotificationPath, report.Url);
        Assert.StartsWith("LUNAS-CHECK-", report.InvoiceNumber, StringComparison.Ordinal);
        Assert.Equal(("correct_notification", "2xx"), (report.Cases[0].Name, report.Cases[0].Expected));
        Assert.Equal(report.Cases[0].RequestId, report.Cases[1].RequestId);
    }

    [Fact]
    public async Task CheckReceiverAsync_ThrowsNamingUrl_WhenTheUrlIsNotAllowed()
    {
        var client = lunas.Client();

        var error = await Assert.ThrowsAsync<DokuApiException>(() => client.CheckReceiverAsync("http://169.254.169.254/hook"));

        Assert.Equal(400, error.Status);
        Assert.StartsWith("url ", error.ErrorMessages[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task LunasOnlyCalls_ThrowSayingSo_WhenTheHostIsNotLunas()
    {
        var handler = new ScriptedHandler { Script = (_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)) };
        var client = lunas.Client(handler: handler);

        var set = await Assert.ThrowsAsync<DokuApiException>(() => client.SetNotificationFaultsAsync([NotificationFault.BadSignature()]));
        var check = await Assert.ThrowsAsync<DokuApiException>(() => client.CheckReceiverAsync());
        var clear = await Assert.ThrowsAsync<DokuApiException>(() => client.ClearNotificationFaultsAsync());

        Assert.All(new[] { set, check, clear }, e =>
        {
            Assert.Equal(404, e.Status);
            Assert.Contains("Lunas sandbox call", e.Message, StringComparison.Ordinal);
        });
        Assert.Equal([HttpMethod.Put, HttpMethod.Post, HttpMethod.Delete], handler.Requests.Select(r => r.Method));
        Assert.Null(handler.Requests[2].Body);
    }
}
