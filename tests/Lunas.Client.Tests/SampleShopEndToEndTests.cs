using Lunas.Tests.Shared;
using System.Net;
using System.Text;
using System.Text.Json;
using Lunas.Client.Tests.Infrastructure;

namespace Lunas.Client.Tests;

/// <summary>
/// The sample shop and Lunas as two real processes: a customer buys in the shop, is sent to the Lunas payment page,
/// pays by BCA virtual account through the simulator, and the shop marks the order paid from the notification; and
/// after checkout the shop's Cancel order and Refund buttons, through the SDK's post-payment calls.
/// </summary>
public sealed class SampleShopEndToEndTests : IAsyncLifetime
{
    private const string ClientId = "MCH-E2E-SHOP-0001";
    private const string SecretKey = "SK-E2E-SHOP-0123456789";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "lunas-client-e2e", Guid.NewGuid().ToString("N"));
    private AppProcess? _lunas;
    private AppProcess? _shop;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var lunasPort = AppProcess.FreePort();
        var shopPort = AppProcess.FreePort();
        var shopUrl = $"http://127.0.0.1:{shopPort}";
        _lunas = await AppProcess.StartAsync(Paths.ServerDll, lunasPort, new Dictionary<string, string>
        {
            ["Lunas__Merchants__0__ClientId"] = ClientId,
            ["Lunas__Merchants__0__SecretKey"] = SecretKey,
            ["Lunas__Merchants__0__Name"] = "Toko Kopi",
            ["Lunas__Merchants__0__NotificationUrl"] = shopUrl + "/payments/notifications",
            ["ConnectionStrings__Lunas"] = $"Data Source={Path.Combine(_directory, "lunas.db")}",
        }, "/checkout-link-v2/ping", _directory);
        _shop = await AppProcess.StartAsync(Paths.SampleShopDll, shopPort, new Dictionary<string, string>
        {
            ["Doku__BaseUrl"] = _lunas.BaseUrl,
            ["Doku__ClientId"] = ClientId,
            ["Doku__SecretKey"] = SecretKey,
            ["Shop__PublicUrl"] = shopUrl,
        }, "/", Path.GetDirectoryName(Paths.SampleShopDll)!);
    }

    public async Task DisposeAsync()
    {
        if (_shop is not null) await _shop.DisposeAsync();
        if (_lunas is not null) await _lunas.DisposeAsync();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task SampleShop_MarksOrderPaid_WhenVirtualAccountPaidThroughSimulator()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var shop = _shop!.BaseUrl;

        // The customer buys two bags: the shop creates the payment with the SDK and sends the browser to payment.url.
        using var buy = await browser.PostAsync(shop + "/orders", new FormUrlEncodedContent([new("quantity", "2")]));
        Assert.True(buy.StatusCode == HttpStatusCode.Redirect, $"{(int)buy.StatusCode}: {await buy.Content.ReadAsStringAsync()}\n{Logs()}");
        var paymentUrl = buy.Headers.Location!.ToString();
        Assert.StartsWith(_lunas!.BaseUrl + "/checkout-link-v2/", paymentUrl);
        using var page = await browser.GetAsync(paymentUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // On the payment page the customer picks the BCA virtual account.
        using var choose = await browser.PostAsync(paymentUrl + "/choose",
            new FormUrlEncodedContent([new("channel", "VIRTUAL_ACCOUNT_BCA")]));
        Assert.True((int)choose.StatusCode is >= 200 and < 400, $"choose: {(int)choose.StatusCode} {await choose.Content.ReadAsStringAsync()}");

        var order = await FindOrderAsync(browser, paymentUrl);
        var invoice = order.GetProperty("invoice_number").GetString()!;
        Assert.Equal("PENDING", order.GetProperty("status").GetString());
        Assert.Equal(170000, order.GetProperty("amount").GetInt64());

        // The bank: a BCA virtual account transfer, through the Lunas simulator.
        var (paid, body) = await PayThroughSimulatorAsync(invoice, "VIRTUAL_ACCOUNT_BCA");
        Assert.True(paid == 200, $"simulator: {paid} {body}");

        var current = await WaitForStatusAsync(browser, invoice, "PAID");
        Assert.Equal("VIRTUAL_ACCOUNT_BCA", current.GetProperty("channel").GetString());
        var html = await browser.GetStringAsync($"{shop}/orders/{invoice}");
        Assert.Contains("<span class=\"status PAID\" id=\"status\">PAID</span>", html);
    }

    [Fact]
    public async Task SampleShop_CancelsTheOrder_WhenCustomerPressesCancelBeforePaying()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var invoice = await BuyAsync(browser);
        Assert.Contains("id=\"cancel\"", await browser.GetStringAsync($"{_shop!.BaseUrl}/orders/{invoice}"));

        using var cancel = await browser.PostAsync($"{_shop.BaseUrl}/orders/{invoice}/cancel", new FormUrlEncodedContent([]));

        Assert.True(cancel.StatusCode == HttpStatusCode.Redirect, $"{(int)cancel.StatusCode}\n{Logs()}");
        var order = await GetJsonAsync(browser, $"{_shop.BaseUrl}/orders/{invoice}.json");
        Assert.True(order.GetProperty("status").GetString() == "CANCELLED", $"order is {order}\n{Logs()}");
        var status = await Doku().GetStatusAsync(invoice);
        Assert.True(status.IsCancelled, status.RawJson);
        var (paid, body) = await PayThroughSimulatorAsync(invoice, "VIRTUAL_ACCOUNT_BCA");
        Assert.True(paid == 409, $"simulator paid a cancelled order: {paid} {body}");
        Assert.Contains("<span class=\"status CANCELLED\" id=\"status\">CANCELLED</span>", await browser.GetStringAsync($"{_shop.BaseUrl}/orders/{invoice}"));
    }

    [Fact]
    public async Task SampleShop_RefundsTheCardPayment_WhenShopPressesRefund()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var invoice = await BuyAsync(browser);
        using var pay = await browser.PostAsync($"{_shop!.BaseUrl}/orders/{invoice}/simulate-payment",
            new FormUrlEncodedContent([new("channel", "CREDIT_CARD")]));
        var paid = await WaitForStatusAsync(browser, invoice, "PAID");
        Assert.Equal("CREDIT_CARD", paid.GetProperty("channel").GetString());
        Assert.Contains("id=\"refund\"", await browser.GetStringAsync($"{_shop.BaseUrl}/orders/{invoice}"));

        using var refund = await browser.PostAsync($"{_shop.BaseUrl}/orders/{invoice}/refund", new FormUrlEncodedContent([]));

        Assert.True(refund.StatusCode == HttpStatusCode.Redirect, $"{(int)refund.StatusCode}\n{Logs()}");
        var order = await WaitForStatusAsync(browser, invoice, "REFUNDED");
        // The shop records the refund's own answer, and then the VOIDED notification may arrive after it: either is last.
        var last = order.GetProperty("last_event").GetString();
        Assert.True(last is not null && (last.StartsWith("refund: VOID SUCCESS", StringComparison.Ordinal)
            || (last.StartsWith("notification ", StringComparison.Ordinal) && last.Contains(": VOIDED", StringComparison.Ordinal))), last);
        var status = await Doku().GetStatusAsync(invoice);
        Assert.True(status.Transaction.Status == DokuTransactionStatus.Voided, status.RawJson);
        using var again = await browser.PostAsync($"{_shop.BaseUrl}/orders/{invoice}/refund", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    /// <summary>Buys one bag in the shop and picks no channel yet; the invoice.</summary>
    private async Task<string> BuyAsync(HttpClient browser)
    {
        using var buy = await browser.PostAsync(_shop!.BaseUrl + "/orders", new FormUrlEncodedContent([new("quantity", "1")]));
        Assert.True(buy.StatusCode == HttpStatusCode.Redirect, $"{(int)buy.StatusCode}: {await buy.Content.ReadAsStringAsync()}\n{Logs()}");
        var order = await FindOrderAsync(browser, buy.Headers.Location!.ToString());
        return order.GetProperty("invoice_number").GetString()!;
    }

    private async Task<JsonElement> WaitForStatusAsync(HttpClient browser, string invoice, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonElement current;
        do
        {
            current = await GetJsonAsync(browser, $"{_shop!.BaseUrl}/orders/{invoice}.json");
            if (current.GetProperty("status").GetString() == expected) break;
            await Task.Delay(200);
        } while (DateTime.UtcNow < deadline);
        Assert.True(current.GetProperty("status").GetString() == expected, $"order is {current}, not {expected}\n{Logs()}");
        return current;
    }

    private DokuCheckoutClient Doku()
        => new(new HttpClient(), new DokuCheckoutOptions { BaseUrl = _lunas!.BaseUrl, ClientId = ClientId, SecretKey = SecretKey });

    private async Task<JsonElement> FindOrderAsync(HttpClient browser, string paymentUrl)
    {
        var orders = await GetJsonAsync(browser, _shop!.BaseUrl + "/orders.json");
        return orders.EnumerateArray().Single(o => o.GetProperty("payment_url").GetString() == paymentUrl);
    }

    private async Task<(int Status, string Body)> PayThroughSimulatorAsync(string invoice, string channel)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"invoice_number":"{{invoice}}","payment_method_type":"{{channel}}","result":"SUCCESS"}""");
        using var http = new HttpClient();
        using var message = new HttpRequestMessage(HttpMethod.Post, _lunas!.BaseUrl + "/sandbox/v1/payments") { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        DokuHttpSigning.SignRequest(message, ClientId, SecretKey, DokuHttpSigning.NewRequestId(), DateTimeOffset.UtcNow, body);
        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string url)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(url));
        return document.RootElement.Clone();
    }

    private string Logs() => $"--- lunas ---\n{_lunas?.Output}\n--- shop ---\n{_shop?.Output}";
}
