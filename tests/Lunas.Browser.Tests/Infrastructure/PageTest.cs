using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace Lunas.Browser.Tests.Infrastructure;

/// <summary>An order created on the server: its invoice number and its hosted page.</summary>
public sealed record Checkout(string Invoice, string Url);

/// <summary>
/// Base of every browser test: a fresh Lunas (in process, fake clock, own SQLite database), a fresh browser context
/// and page on the class's shared Chromium. Dialogs and console errors of the page are recorded.
/// </summary>
public abstract class PageTest(BrowserFixture fixture) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>The page polls /state every 2 s and reloads: a payment must show within a poll, a reload and some slack.</summary>
    protected const float PollTimeout = 8_000;

    private TestDatabase _database = null!;

    protected TestServer Server { get; private set; } = null!;
    protected IBrowser Browser => fixture.Browser;
    protected IBrowserContext Context { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;

    /// <summary>Every alert/confirm/prompt the page opened (dismissed at once).</summary>
    protected List<string> Dialogs { get; } = [];

    /// <summary>Console errors and uncaught exceptions of the page.</summary>
    protected List<string> ConsoleErrors { get; } = [];

    /// <summary>Options of each test's context (viewport, device); the browser's defaults when null.</summary>
    protected virtual BrowserNewContextOptions? ContextOptions => null;

    /// <summary>Configuration keys for the test's server (e.g. the console operator's password).</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public virtual async Task InitializeAsync()
    {
        _database = TestDatabase.CreateSqlite();
        Server = await TestServer.StartAsync(_database, Settings);
        Context = await NewContextAsync(ContextOptions);
        Page = await Context.NewPageAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Context is not null) await Context.CloseAsync();
        if (Server is not null) await Server.DisposeAsync();
        _database?.Dispose();
    }

    /// <summary>A new context whose pages record dialogs and console errors into this test.</summary>
    protected async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions? options = null)
    {
        var context = await Browser.NewContextAsync(options ?? new BrowserNewContextOptions());
        context.SetDefaultTimeout(10_000);
        context.SetDefaultNavigationTimeout(15_000);
        context.Page += (_, page) => Watch(page);
        return context;
    }

    private void Watch(IPage page)
    {
        page.Dialog += (_, dialog) =>
        {
            lock (Dialogs) Dialogs.Add($"{dialog.Type}: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (ConsoleErrors) ConsoleErrors.Add(message.Text);
        };
        page.PageError += (_, error) => { lock (ConsoleErrors) ConsoleErrors.Add("uncaught: " + error); };
    }

    // ---- orders and the merchant's side ----

    /// <summary>Seed's Basic Request (20000, 60 minutes) with a new invoice number.</summary>
    protected static string BasicRequest(string invoice) => Seed.BasicRequest(invoice);

    /// <summary>A request built from the Basic Request with changes applied to its JSON.</summary>
    protected static string Request(string invoice, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(Seed.BasicRequest(invoice))!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    protected async Task<Checkout> CreateAsync(string? body = null)
    {
        var invoice = Seed.NewInvoice();
        using var response = await Server.CreatePaymentAsync(body ?? BasicRequest(invoice));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"create payment: {(int)response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        var r = json.RootElement.GetProperty("response");
        return new Checkout(r.GetProperty("order").GetProperty("invoice_number").GetString()!,
            r.GetProperty("payment").GetProperty("url").GetString()!);
    }

    /// <summary>The bank's side: a transfer to a virtual account number, through the sandbox simulator.</summary>
    protected async Task<(HttpStatusCode Status, string Body)> PayVirtualAccountAsync(string number)
    {
        using var response = await Server.PostSignedAsync("/sandbox/v1/virtual-accounts/payments",
            new JsonObject { ["virtual_account_number"] = number }.ToJsonString());
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The merchant's status API for an invoice.</summary>
    protected async Task<JsonElement> StatusAsync(string invoice)
    {
        using var response = await Server.GetSignedAsync("/orders/v1/status/" + Uri.EscapeDataString(invoice));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"status API: {(int)response.StatusCode} {text}");
        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    protected async Task AssertStatusAsync(string invoice, string transactionStatus, string? channel = null)
    {
        var status = await StatusAsync(invoice);
        Assert.Equal(transactionStatus, status.GetProperty("transaction").GetProperty("status").GetString());
        if (channel is not null) Assert.Equal(channel, status.GetProperty("channel").GetProperty("id").GetString());
    }

    // ---- the page ----

    protected ILocator SuccessHeading => Page.Locator(".result.success h2");
    protected ILocator FailedHeading => Page.Locator(".result.failed h2");
    protected ILocator ExpiredHeading => Page.Locator(".result.expired h2");

    protected ILocator MethodButton(string channel) => Page.Locator($".methods [data-channel=\"{channel}\"]");

    /// <summary>Opens the page; fails on anything but 200.</summary>
    protected async Task<IResponse> OpenAsync(string url, IPage? page = null)
    {
        var response = await (page ?? Page).GotoAsync(url);
        Assert.NotNull(response);
        Assert.True(response.Status == 200, $"GET {url}: {response.Status}");
        return response;
    }

    /// <summary>Chooses a virtual account on the method list and returns the number the page shows.</summary>
    protected async Task<string> ChooseVirtualAccountAsync(string channel = "VIRTUAL_ACCOUNT_BCA")
    {
        await MethodButton(channel).ClickAsync();
        var code = Page.Locator("#pay-code");
        await ExpectAsync(() => Assertions.Expect(code).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d{8,}\s*$")),
            "the virtual account number");
        return (await code.TextContentAsync())!.Trim();
    }

    /// <summary>Opens the card form and submits it with this card number (a future expiry, CVV 123).</summary>
    protected async Task PayByCardAsync(string number)
    {
        await MethodButton("CREDIT_CARD").ClickAsync();
        await Page.Locator("#card_number").FillAsync(number);
        await Page.Locator("#expiry").FillAsync(Server.Clock.GetUtcNow().AddYears(2).ToString("MM/yy", System.Globalization.CultureInfo.InvariantCulture));
        await Page.Locator("#cvv").FillAsync("123");
        await Page.Locator("form.card-form button[type=submit]").ClickAsync();
    }

    /// <summary>
    /// Runs an expect-style assertion; on failure the message also tells what the page showed, so a report says more
    /// than "timed out".
    /// </summary>
    protected async Task ExpectAsync(Func<Task> expectation, string what, IPage? page = null)
    {
        try
        {
            await expectation();
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            page ??= Page;
            string shown;
            try
            {
                shown = await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 1_000 });
            }
            catch (Exception inner) when (inner is PlaywrightException or TimeoutException)
            {
                shown = "(page unreadable: " + inner.Message + ")";
            }
            throw new XunitException($"expected {what} at {page.Url}\n{ex.Message}\n--- page shows ---\n{shown}\n" +
                                     $"--- console errors ---\n{string.Join("\n", ConsoleErrors)}");
        }
    }

    protected Task ExpectTextAsync(ILocator locator, string text, string what, float? timeout = null)
        => ExpectAsync(() => Assertions.Expect(locator).ToHaveTextAsync(text, new LocatorAssertionsToHaveTextOptions { Timeout = timeout }), what,
            locator.Page);
}
