using System.Net;
using System.Text.Json;
using Lunas.Browser.Tests.Infrastructure;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace Lunas.Browser.Tests;

/// <summary>The back office in Chromium: sign-in, finding and paying an order, resend, key rotation, and the layout.</summary>
public sealed class ConsoleTests(BrowserFixture fixture) : PageTest(fixture)
{
    private const string OperatorPassword = "operator-pass-123";
    private const string OtherClientId = "MCH-0002-20000000000000";
    private const string OtherSecretKey = "SK-OTHERKEY-0987654321";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Lunas:Console:OperatorPassword"] = OperatorPassword,
        ["Lunas:Merchants:1:ClientId"] = OtherClientId,
        ["Lunas:Merchants:1:SecretKey"] = OtherSecretKey,
        ["Lunas:Merchants:1:Name"] = "Toko Lain",
    };

    private async Task SignInAsync(string clientId = TestServer.ClientId, string secret = TestServer.SecretKey, IPage? page = null)
    {
        page ??= Page;
        await page.GotoAsync(Server.BaseUrl + "/");
        await page.GetByLabel("Client-Id").FillAsync(clientId);
        await page.GetByLabel("Secret Key").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await ExpectAsync(() => Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync(), "a session", page);
    }

    private async Task OpenOrderAsync(string invoice)
    {
        await Page.GotoAsync(Server.BaseUrl + "/console/orders");
        await Page.GetByLabel("Invoice, Request-Id or customer email").FillAsync(invoice);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Page.GetByRole(AriaRole.Link, new() { Name = invoice }).ClickAsync();
        await ExpectAsync(() => Assertions.Expect(Page.Locator("h1")).ToContainTextAsync(invoice), "the order page");
    }

    [Fact]
    public async Task Merchant_RefundsAPaidCardOrder_ThenTheStatusApiAnswersRefunded()
    {
        var order = await CreateAsync();
        using (var paid = await Server.PostSignedAsync("/sandbox/v1/payments",
                   $$"""{"invoice_number":"{{order.Invoice}}","payment_method_type":"CREDIT_CARD","result":"SUCCESS"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }
        Server.Clock.Advance(TimeSpan.FromHours(25));
        await SignInAsync();

        await OpenOrderAsync(order.Invoice);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Refund", Exact = true }).ClickAsync();

        await ExpectTextAsync(Page.Locator("#order-status"), "REFUNDED", "the order refunded");
        await AssertStatusAsync(order.Invoice, "REFUNDED", "CREDIT_CARD");
        Assert.Empty(ConsoleErrors);
    }

    [Fact]
    public async Task Merchant_FindsAnApiOrder_AndPaysIt_ThenTheStatusApiAnswersSuccess()
    {
        var order = await CreateAsync();
        await SignInAsync();

        await OpenOrderAsync(order.Invoice);
        await Page.GetByLabel("Channel").SelectOptionAsync("VIRTUAL_ACCOUNT_BCA");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Pay", Exact = true }).ClickAsync();

        await ExpectTextAsync(Page.Locator("#order-status"), "SUCCESS", "the order paid");
        await AssertStatusAsync(order.Invoice, "SUCCESS", "VIRTUAL_ACCOUNT_BCA");
        Assert.Empty(ConsoleErrors);
    }

    [Fact]
    public async Task Resend_DeliversTheNotificationAgain_ToTheUrlSetInTheConsole()
    {
        await using var receiver = await TestReceiver.StartAsync();
        // A receiver that takes a moment to answer the first notification, so the page below is always loaded
        // before Lunas has recorded the delivery (the race that made this test flaky now happens every run).
        receiver.Respond = async (n, context) =>
        {
            if (n == 1) await Task.Delay(500);
            context.Response.StatusCode = 200;
            await context.Response.WriteAsync("OK");
        };
        await SignInAsync();
        await Page.GotoAsync(Server.BaseUrl + "/console/notifications");
        await Page.GetByLabel("Notification URL").FillAsync(receiver.BaseUrl + "/notify");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await ExpectTextAsync(Page.Locator(".notice"), "Saved.", "the URL saved");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Server.Clock.Advance(TimeSpan.FromSeconds(31));
        var order = await CreateAsync();
        (await Server.PostSignedAsync("/sandbox/v1/payments",
            $"{{\"invoice_number\":\"{order.Invoice}\",\"payment_method_type\":\"VIRTUAL_ACCOUNT_BCA\",\"result\":\"SUCCESS\"}}")).Dispose();
        await receiver.WaitForAsync(1);

        // The receiver has the notification before Lunas records its answer (DELIVERED is written after the send
        // returns), so the delivered list may not show it yet: load the page again until it does, within a bound.
        var resend = Page.GetByRole(AriaRole.Button, new() { Name = $"Resend {order.Invoice} SUCCESS" });
        await GotoUntilAsync(Server.BaseUrl + "/console/notifications?state=delivered", resend, "the delivered notification's Resend button");
        await resend.ClickAsync();

        var received = await receiver.WaitForAsync(2);
        Assert.Equal(2, received.Count(r => r.Text.Contains(order.Invoice, StringComparison.Ordinal)));
        await ExpectTextAsync(Page.Locator(".notice"), "Done.", "the resend reported");
    }

    [Fact]
    public async Task NotificationFaults_SetInTheConsole_AreListedAndTakeEffect_ThenClear()
    {
        await using var receiver = await TestReceiver.StartAsync();
        await SignInAsync();
        await SaveNotificationUrlAsync(receiver.BaseUrl + "/notify");

        await Page.GetByLabel("Fault", new() { Exact = true }).SelectOptionAsync("duplicate");
        await Page.GetByLabel("Number", new() { Exact = true }).FillAsync("3");
        await Page.GetByLabel("Times (notifications it applies to)").FillAsync("1");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Set fault" }).ClickAsync();
        await ExpectTextAsync(Page.Locator(".notice"), "Fault set.", "the fault set");
        var row = Page.Locator("#faults tbody tr");
        await ExpectAsync(() => Assertions.Expect(row).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"duplicate\s*3 copies\s*Any channel\s*1\s*1")),
            "the fault listed, one time left");

        // It takes effect: the next notification arrives three times, and the fault has no time left.
        var order = await CreateAsync();
        (await Server.PostSignedAsync("/sandbox/v1/payments",
            $"{{\"invoice_number\":\"{order.Invoice}\",\"payment_method_type\":\"VIRTUAL_ACCOUNT_BCA\",\"result\":\"SUCCESS\"}}")).Dispose();
        var received = await receiver.WaitForAsync(3);
        Assert.Equal(3, received.Count(r => r.Text.Contains(order.Invoice, StringComparison.Ordinal)));
        await Page.GotoAsync(Server.BaseUrl + "/console/notifications");
        await ExpectAsync(() => Assertions.Expect(row.Locator("td").Last).ToHaveTextAsync("0"), "the fault used up");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Clear all faults" }).ClickAsync();
        await ExpectTextAsync(Page.Locator(".notice"), "Faults cleared.", "the faults cleared");
        await ExpectTextAsync(Page.Locator("#no-faults"), "No faults: notifications go out as usual.", "no faults listed");
        Assert.Empty(ConsoleErrors);
    }

    [Fact]
    public async Task NotificationFaults_BadNumber_IsRefusedNamingTheField()
    {
        await SignInAsync();
        await Page.GotoAsync(Server.BaseUrl + "/console/notifications");
        await Page.GetByLabel("Fault", new() { Exact = true }).SelectOptionAsync("delay");
        await Page.GetByLabel("Number", new() { Exact = true }).FillAsync("soon");
        var response = await Page.RunAndWaitForResponseAsync(() => Page.GetByRole(AriaRole.Button, new() { Name = "Set fault" }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/console/notification-faults");

        Assert.Equal(400, response.Status);
        await ExpectTextAsync(Page.Locator(".errors"), "Number: seconds must be a whole number from 1 to 86400", "the refusal");
        await Assertions.Expect(Page.GetByLabel("Number", new() { Exact = true })).ToHaveValueAsync("soon");
        await Assertions.Expect(Page.Locator("#no-faults")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ReceiverCheck_RunFromTheConsole_ShowsEachCaseOfTheReport()
    {
        await using var receiver = await TestReceiver.StartAsync();
        // A careful receiver: the DOKU signature over its own path, and a timestamp within 5 minutes of Lunas's clock.
        receiver.Respond = (n, context) =>
        {
            var request = receiver.Requests[n - 1];
            var fresh = request.Headers.TryGetValue("Request-Timestamp", out var at)
                        && DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, out var stamp)
                        && (Server.Clock.GetUtcNow() - stamp).Duration() <= TimeSpan.FromMinutes(5);
            var valid = fresh && request.Headers.ContainsKey("Signature") && TestReceiver.VerifyFromSpec(request, TestServer.SecretKey, "/notify");
            context.Response.StatusCode = valid ? 200 : 401;
            return Task.CompletedTask;
        };
        await SignInAsync();
        await SaveNotificationUrlAsync(receiver.BaseUrl + "/notify");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Run the receiver check" }).ClickAsync();

        await ExpectTextAsync(Page.Locator("#check-result"), "The receiver passed every case.", "the check's verdict");
        var cases = Page.Locator("#receiver-check tbody tr");
        await Assertions.Expect(cases).ToHaveCountAsync(7);
        await Assertions.Expect(cases.Nth(0)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"correct_notification\s*2xx\s*200\s*pass"));
        await Assertions.Expect(cases.Nth(2)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"wrong_signature\s*4xx\s*401\s*pass"));
        Assert.Equal(7, receiver.Requests.Count);
        Assert.Empty(ConsoleErrors);
    }

    private async Task SaveNotificationUrlAsync(string url)
    {
        await Page.GotoAsync(Server.BaseUrl + "/console/notifications");
        await Page.GetByLabel("Notification URL").FillAsync(url);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await ExpectTextAsync(Page.Locator(".notice"), "Saved.", "the URL saved");
    }

    /// <summary>
    /// Loads <paramref name="url"/> until <paramref name="locator"/> is on the page (server-rendered pages never update
    /// themselves), for at most <paramref name="within"/> (10 s); then fails with what the page shows.
    /// </summary>
    private async Task GotoUntilAsync(string url, ILocator locator, string what, TimeSpan? within = null)
    {
        await GotoUntilAsync(Page, url, async () => await locator.CountAsync() > 0, within ?? TimeSpan.FromSeconds(10));
        await ExpectAsync(() => Assertions.Expect(locator).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 1_000 }), what);
    }

    /// <summary>Loads <paramref name="url"/> until <paramref name="ready"/> holds or <paramref name="within"/> has passed.</summary>
    private static async Task GotoUntilAsync(IPage page, string url, Func<Task<bool>> ready, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        await page.GotoAsync(url);
        while (!await ready() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            await page.GotoAsync(url);
        }
    }

    [Fact]
    public async Task Operator_SeesEveryMerchant_WhileMerchantBGets404ForMerchantAsOrder()
    {
        var order = await CreateAsync();
        await SignInAsync("operator", OperatorPassword);
        await OpenOrderAsync(order.Invoice);
        var orderUrl = Page.Url;
        await Page.GotoAsync(Server.BaseUrl + "/console/merchants");
        await ExpectAsync(() => Assertions.Expect(Page.GetByText(OtherClientId)).ToBeVisibleAsync(), "the other merchant");

        var other = await Context.Browser!.NewContextAsync();
        var page = await other.NewPageAsync();
        await SignInAsync(OtherClientId, OtherSecretKey, page);
        var response = await page.GotoAsync(orderUrl);

        Assert.Equal(404, response!.Status);
        await other.CloseAsync();
    }

    [Fact]
    public async Task RotateKey_BothKeysSignAcceptedRequests_UntilTheWindowEnds()
    {
        await SignInAsync();
        await Page.GotoAsync(Server.BaseUrl + "/console/settings");
        await Page.GetByLabel("Old key keeps working for").SelectOptionAsync("1");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Generate a new key" }).ClickAsync();
        var newKey = (await Page.Locator("#new-key").TextContentAsync())!.Trim();

        Assert.Equal(HttpStatusCode.OK, await CreateWithAsync(TestServer.SecretKey));
        Assert.Equal(HttpStatusCode.OK, await CreateWithAsync(newKey));
        Server.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(HttpStatusCode.Unauthorized, await CreateWithAsync(TestServer.SecretKey));
        Assert.Equal(HttpStatusCode.OK, await CreateWithAsync(newKey));
    }

    private async Task<HttpStatusCode> CreateWithAsync(string secretKey)
    {
        using var response = await Server.PostSignedAsync("/checkout/v1/payment", BasicRequest(Seed.NewInvoice()), secretKey: secretKey);
        return response.StatusCode;
    }

    /// <summary>
    /// Every console screen at a small phone's and a laptop's width: nothing scrolls sideways. The 1280 px overview
    /// (screenshots/console-overview-1280.png beside the test assembly) is the README's docs/console.png.
    /// </summary>
    [Theory]
    [InlineData(360)]
    [InlineData(1280)]
    public async Task Screens_HaveNoHorizontalScroll(int width)
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var context = await NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        var order = await CreateAsync(Request(Seed.NewInvoice(), r => r["customer"] = new System.Text.Json.Nodes.JsonObject
        {
            ["name"] = "Anton Budiman Setiawan Wijaya", ["email"] = "anton.budiman.setiawan.wijaya@example-merchant.co.id",
        }));
        await SignInAsync(page: page);
        // The notification URL first, so the overview's delivery chart has deliveries to show.
        await page.GotoAsync(Server.BaseUrl + "/console/notifications");
        await page.GetByLabel("Notification URL").FillAsync(receiver.BaseUrl + "/payments/notifications/doku/checkout/merchant-callback-handler");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await PayAsync(order.Invoice, "CREDIT_CARD", "FAILED");
        foreach (var channel in new[] { "VIRTUAL_ACCOUNT_BCA", "VIRTUAL_ACCOUNT_BCA", "QRIS", "VIRTUAL_ACCOUNT_BANK_MANDIRI" })
        {
            await PayAsync((await CreateAsync()).Invoice, channel, "SUCCESS");
        }
        await CreateAsync();
        await receiver.WaitForAsync(4);

        // Delivered is recorded just after the receiver answers: reload (bounded) until no delivery is still pending.
        await GotoUntilAsync(page, Server.BaseUrl + "/console/overview",
            async () => await page.Locator("figure.chart", new() { HasText = "Notification delivery" })
                .Locator("td", new() { HasText = "PENDING" }).CountAsync() == 0, TimeSpan.FromSeconds(10));
        await ExpectAsync(() => Assertions.Expect(page.Locator(".chart svg").First).ToBeVisibleAsync(), "the overview's charts", page);
        await AssertFitsAsync(page, width, "the overview");
        await Screenshot(page, $"console-overview-{width}.png");
        await page.GotoAsync(Server.BaseUrl + "/console/orders");
        await AssertFitsAsync(page, width, "the orders list");
        await Screenshot(page, $"console-orders-{width}.png");
        await page.GotoAsync(Server.BaseUrl + "/console/orders?q=" + Uri.EscapeDataString(order.Invoice));
        await page.GetByRole(AriaRole.Link, new() { Name = order.Invoice }).ClickAsync();
        foreach (var summary in await page.Locator("details summary").AllAsync()) await summary.ClickAsync();
        await AssertFitsAsync(page, width, "the order page");
        await Screenshot(page, $"console-order-{width}.png");

        // The notifications page at its widest: the long URL, a fault listed, a receiver check's report.
        await page.GotoAsync(Server.BaseUrl + "/console/notifications");
        await page.GetByLabel("Fault", new() { Exact = true }).SelectOptionAsync("drop");
        await page.GetByLabel("Number", new() { Exact = true }).FillAsync("2");
        await page.GetByLabel("Channel").SelectOptionAsync("VIRTUAL_ACCOUNT_BANK_SYARIAH_MANDIRI");
        await page.GetByRole(AriaRole.Button, new() { Name = "Set fault" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run the receiver check" }).ClickAsync();
        await ExpectAsync(() => Assertions.Expect(page.Locator("#receiver-check tbody tr")).ToHaveCountAsync(7), "the receiver check's report", page);
        await AssertFitsAsync(page, width, "the notifications page");
        await Screenshot(page, $"console-notifications-{width}.png");
        await page.GotoAsync(Server.BaseUrl + "/console/settings");
        await AssertFitsAsync(page, width, "the settings page");
        await Screenshot(page, $"console-settings-{width}.png");
    }

    private async Task PayAsync(string invoice, string channel, string result)
    {
        using var response = await Server.PostSignedAsync("/sandbox/v1/payments",
            $$"""{"invoice_number":"{{invoice}}","payment_method_type":"{{channel}}","result":"{{result}}"}""");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"pay {invoice} by {channel}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = true });
    }

    private static async Task AssertFitsAsync(IPage page, int width, string what)
    {
        var result = await page.EvaluateAsync<JsonElement>("""
            () => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
                     over: Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                       .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className).join(', ') })
            """);
        Assert.True(result.GetProperty("scrollWidth").GetInt32() <= result.GetProperty("clientWidth").GetInt32(),
            $"{what} at {width}px: scrollWidth {result.GetProperty("scrollWidth")} > clientWidth {result.GetProperty("clientWidth")}; past the edge: {result.GetProperty("over")}");
    }
}
