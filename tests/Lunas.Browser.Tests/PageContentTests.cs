using System.Text.Json.Nodes;
using Lunas.Browser.Tests.Infrastructure;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Lunas.Browser.Tests;

/// <summary>What the page shows of the merchant's data, in which language, and under which security policy.</summary>
public sealed class PageContentTests(BrowserFixture fixture) : PageTest(fixture)
{
    private const string Payload = "<img src=x onerror=alert(1)><script>alert(2)</script>";

    [Fact]
    public async Task LineItemName_IsShownAsLiteralText_WhenItContainsHtml()
    {
        var order = await CreateAsync(Request(Seed.NewInvoice(), r =>
        {
            r["order"]!["amount"] = 20000;
            r["order"]!["line_items"] = new JsonArray(new JsonObject
            {
                ["id"] = "001", ["name"] = Payload, ["price"] = 10000, ["quantity"] = 2,
            });
        }));
        await OpenAsync(order.Url);
        await Page.Locator(".summary details summary").ClickAsync();

        var name = Page.Locator(".items .item-name");
        await ExpectAsync(() => Assertions.Expect(name).ToBeVisibleAsync(), "the line item");
        Assert.Equal(Payload, await name.TextContentAsync());
        await ExpectTextAsync(Page.Locator(".items .item-price"), "Rp20.000", "the line item's total");
        // The markup stayed text: no element was made from it anywhere in the document.
        Assert.Equal(0, await Page.Locator("img[src=x]").CountAsync());
        Assert.Equal(0, await name.Locator("*").CountAsync());
        var scripts = await Page.EvaluateAsync<string[]>(
            "() => Array.from(document.scripts, s => (s.getAttribute('src') || '') + '|' + s.textContent)");
        Assert.All(scripts, s => Assert.DoesNotContain("alert", s, StringComparison.Ordinal));
        Assert.All(scripts, s => Assert.False(s.StartsWith('|'), "a script without src: " + s));

        // Had anything run, its dialog would have opened by the time the page is idle.
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))");
        Assert.Empty(Dialogs);
    }

    [Fact]
    public async Task Page_ShowsIndonesianAndRupiah_WhenOrderLanguageIsId()
    {
        var order = await CreateAsync(Request(Seed.NewInvoice(), r =>
        {
            r["order"]!["amount"] = 80000;
            r["order"]!["language"] = "ID";
        }));
        await OpenAsync(order.Url);

        await ExpectTextAsync(Page.Locator("#methods-title"), "Pilih metode pembayaran", "the Indonesian method list");
        await ExpectAsync(() => Assertions.Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "id"), "html lang=id");
        await ExpectTextAsync(Page.Locator(".summary .amount"), "Rp80.000", "the amount in rupiah");
        await ExpectTextAsync(Page.Locator(".summary dt").First, "Nomor tagihan", "the Indonesian invoice label");

        await MethodButton("CREDIT_CARD").ClickAsync();
        await ExpectTextAsync(Page.Locator("form.card-form button[type=submit]"), "Bayar Rp80.000", "the Indonesian pay button");
    }

    [Fact]
    public async Task Page_SendsCspWithSelfOnlyScripts_WhenOpened()
    {
        var order = await CreateAsync();

        var response = await OpenAsync(order.Url);

        var csp = await response.HeaderValueAsync("content-security-policy");
        Assert.False(string.IsNullOrEmpty(csp), "no Content-Security-Policy header");
        var directives = csp!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..], StringComparer.OrdinalIgnoreCase);
        Assert.True(directives.TryGetValue("script-src", out var scripts), "no script-src in: " + csp);
        Assert.Contains("'self'", scripts);
        Assert.DoesNotContain("'unsafe-inline'", csp, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'unsafe-eval'", csp, StringComparison.OrdinalIgnoreCase);

        // The page lives with its own policy: its script and style load, and nothing of it is refused.
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var background = await Page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(244, 246, 250)", background);
        Assert.DoesNotContain(ConsoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Countdown_DoesNotReloadThePage_WhenTheDeviceClockIsHoursAhead()
    {
        var order = await CreateAsync();
        await Page.Clock.InstallAsync(new ClockInstallOptions { TimeDate = DateTime.UtcNow.AddHours(2) });
        var loads = 0;
        Page.Load += (_, _) => loads++;
        await OpenAsync(order.Url);

        await Page.Clock.RunForAsync(10_000);

        Assert.Equal(1, loads);
        var shown = await Page.Locator("#countdown").TextContentAsync();
        Assert.StartsWith("00:59:", shown, StringComparison.Ordinal);
    }
}
