using System.Net;
using System.Security.Cryptography;
using Lunas.Client;
using Lunas.Protocol.Checkout;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Lunas.Testing.Tests;

public class LunasSandboxTests
{
    private static string NewInvoice() => "LT-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    private static CheckoutRequest Order(string invoice) => new()
    {
        Order = new OrderInfo { Amount = 25000, InvoiceNumber = invoice },
        Payment = new PaymentInfo { PaymentDueDate = 60 },
    };

    private static string DatabaseFolder(LunasSandbox sandbox)
    {
        var connection = sandbox.Services.GetRequiredService<IConfiguration>()["ConnectionStrings:Lunas"]!;
        return Path.GetDirectoryName(connection["Data Source=".Length..])!;
    }

    [Fact]
    public async Task PayAsync_DeliversAVerifiedSuccessNotificationToTheInbox_WhenTheMerchantHasNoUrl()
    {
        await using var doku = await LunasSandbox.StartAsync();
        var invoice = NewInvoice();
        await doku.Client.CreatePaymentAsync(Order(invoice));

        await doku.PayAsync(invoice, "VIRTUAL_ACCOUNT_BCA");

        var notification = await doku.WaitForNotificationAsync(invoice, DokuTransactionStatus.Success);
        Assert.Equal(invoice, notification.Order.InvoiceNumber);
        Assert.False(string.IsNullOrEmpty(notification.RequestId));
        Assert.Equal(DokuTransactionStatus.Success, (await doku.Client.GetStatusAsync(invoice)).Transaction.Status);
        Assert.Empty(doku.RejectedNotifications);
    }

    [Fact]
    public async Task FailAsync_DeliversAFailedNotification_WhenAnAttemptFails()
    {
        await using var doku = await LunasSandbox.StartAsync();
        var invoice = NewInvoice();
        await doku.Client.CreatePaymentAsync(Order(invoice));

        await doku.FailAsync(invoice, "CREDIT_CARD");

        var notification = await doku.WaitForNotificationAsync(invoice, DokuTransactionStatus.Failed);
        Assert.Equal(DokuTransactionStatus.Failed, notification.Transaction.Status);
    }

    [Fact]
    public async Task WaitForNotificationAsync_ThrowsTimeout_WhenNothingArrives()
    {
        await using var doku = await LunasSandbox.StartAsync();
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            doku.WaitForNotificationAsync("NEVER-PAID", DokuTransactionStatus.Success, TimeSpan.FromMilliseconds(300)));
        Assert.Contains("NEVER-PAID", error.Message);
    }

    [Fact]
    public async Task WaitForNotificationAsync_Throws_WhenTheMerchantHasItsOwnUrl()
    {
        await using var doku = await LunasSandbox.StartAsync(new LunasSandboxOptions { NotificationUrl = "http://127.0.0.1:9/notify" });
        Assert.Equal("http://127.0.0.1:9/notify", doku.NotificationUrl);
        await Assert.ThrowsAsync<InvalidOperationException>(() => doku.WaitForNotificationAsync("X", DokuTransactionStatus.Success));
    }

    [Fact]
    public async Task StartAsync_UsesTheGivenMerchant_WhenOptionsNameIt()
    {
        await using var doku = await LunasSandbox.StartAsync(new LunasSandboxOptions { ClientId = "MCH-MY-SHOP-01", SecretKey = "SK-MY-SHOP-SECRET-0001" });
        Assert.Equal("MCH-MY-SHOP-01", doku.Options.ClientId);
        Assert.Equal("SK-MY-SHOP-SECRET-0001", doku.Options.SecretKey);
        Assert.Equal(doku.BaseUrl, doku.Options.BaseUrl);
        var created = await new DokuCheckoutClient(new HttpClient(), doku.Options).CreatePaymentAsync(Order(NewInvoice()));
        Assert.StartsWith(doku.BaseUrl, created.PaymentUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAndDispose_Twice_StopsTheServerAndDeletesTheDatabase()
    {
        for (var round = 0; round < 2; round++)
        {
            var doku = await LunasSandbox.StartAsync();
            var folder = DatabaseFolder(doku);
            var baseUrl = doku.BaseUrl;
            await doku.Client.CreatePaymentAsync(Order(NewInvoice()));
            Assert.True(Directory.Exists(folder));

            await doku.DisposeAsync();
            await doku.DisposeAsync();

            Assert.False(Directory.Exists(folder), $"round {round}: {folder} left behind");
            using var http = new HttpClient();
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(baseUrl + "/healthz"));
        }
    }

    [Fact]
    public async Task TwoSandboxes_SideBySide_KeepTheirOwnPortsDataAndInboxes()
    {
        await using var first = await LunasSandbox.StartAsync();
        await using var second = await LunasSandbox.StartAsync();
        Assert.NotEqual(first.BaseUrl, second.BaseUrl);
        Assert.NotEqual(first.SecretKey, second.SecretKey);
        var invoice = NewInvoice();
        await first.Client.CreatePaymentAsync(Order(invoice));

        await first.PayAsync(invoice, "VIRTUAL_ACCOUNT_BCA");
        await first.WaitForNotificationAsync(invoice, DokuTransactionStatus.Success);

        await Assert.ThrowsAnyAsync<Exception>(() => second.Client.GetStatusAsync(invoice));
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.PayAsync(invoice, "VIRTUAL_ACCOUNT_BCA"));
        Assert.Empty(second.Notifications);
    }

    [Fact]
    public async Task PaymentPage_RendersWithItsStylesAndScript_FromAnInProcessSandbox()
    {
        await using var doku = await LunasSandbox.StartAsync();
        var created = await doku.Client.CreatePaymentAsync(Order(NewInvoice()));
        using var http = new HttpClient();

        var page = await http.GetAsync(created.PaymentUrl);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Lunas Testing Shop", html);
        foreach (var asset in new[] { "pay.css", "pay.js" })
        {
            var href = System.Text.RegularExpressions.Regex.Match(html, $"""(?:href|src)="([^"]*{asset.Replace(".", "\\.")}[^"]*)""").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(href), $"{asset} not linked from the page");
            var response = await http.GetAsync(new Uri(new Uri(created.PaymentUrl), WebUtility.HtmlDecode(href)));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task AdvanceClockAsync_ExpiresTheOrderAndNotifies_WhenPastItsDueDate()
    {
        await using var doku = await LunasSandbox.StartAsync();
        var invoice = NewInvoice();
        await doku.Client.CreatePaymentAsync(Order(invoice));

        var clock = await doku.AdvanceClockAsync(TimeSpan.FromMinutes(61));

        Assert.Equal(3660, clock.OffsetSeconds);
        await doku.WaitForNotificationAsync(invoice, DokuTransactionStatus.Expired);
        Assert.Equal(DokuTransactionStatus.Expired, (await doku.Client.GetStatusAsync(invoice)).Transaction.Status);
    }

    [Fact]
    public async Task SetNotificationFaultsAsync_DeliversTwoCopiesWithOneRequestId_WhenDuplicateIsSet()
    {
        await using var doku = await LunasSandbox.StartAsync();
        var invoice = NewInvoice();
        var set = await doku.SetNotificationFaultsAsync([NotificationFault.Duplicate(copies: 2)]);
        Assert.Equal("duplicate", Assert.Single(set).Kind);
        await doku.Client.CreatePaymentAsync(Order(invoice));

        await doku.PayAsync(invoice, "VIRTUAL_ACCOUNT_BCA");
        var first = await doku.WaitForNotificationAsync(invoice, DokuTransactionStatus.Success);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (doku.Notifications.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(2, doku.Notifications.Count(n => n.RequestId == first.RequestId));
    }

    [Fact]
    public async Task ResendNotificationAsync_DeliversTheSameBodyAgain_WhenTheInvoiceWasNotified()
    {
        await using var doku = await LunasSandbox.StartAsync();
        var invoice = NewInvoice();
        await doku.Client.CreatePaymentAsync(Order(invoice));
        await doku.PayAsync(invoice, "VIRTUAL_ACCOUNT_BCA");
        var first = await doku.WaitForNotificationAsync(invoice, DokuTransactionStatus.Success);

        await doku.ResendNotificationAsync(invoice);

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (doku.Notifications.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(2, doku.Notifications.Count);
        Assert.All(doku.Notifications, n => Assert.Equal(first.RawJson, n.RawJson));
    }
}
