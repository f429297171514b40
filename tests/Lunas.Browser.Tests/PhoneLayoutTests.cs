using System.Text.Json;
using System.Text.Json.Nodes;
using Lunas.Browser.Tests.Infrastructure;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Lunas.Browser.Tests;

/// <summary>The page on a small phone: nothing wider than the screen, so nothing scrolls sideways.</summary>
public sealed class PhoneLayoutTests(BrowserFixture fixture) : PageTest(fixture)
{
    private const int Width = 360;

    protected override BrowserNewContextOptions ContextOptions => new()
    {
        ViewportSize = new ViewportSize { Width = Width, Height = 740 },
        IsMobile = true,
        HasTouch = true,
        DeviceScaleFactor = 2,
    };

    [Fact]
    public async Task Phone360_HasNoHorizontalScroll_OnMethodListCardFormAndVaInstructions()
    {
        var order = await CreateAsync(Request(Seed.NewInvoice(), r =>
        {
            r["order"]!["amount"] = 1_250_000;
            r["order"]!["line_items"] = new JsonArray(new JsonObject
            {
                ["id"] = "001", ["name"] = "Paket hampers lebaran premium isi kue kering nastar kastengel dan sirup", ["price"] = 1_250_000, ["quantity"] = 1,
            });
        }));
        await OpenAsync(order.Url);
        await ExpectAsync(() => Assertions.Expect(MethodButton("VIRTUAL_ACCOUNT_BCA")).ToBeVisibleAsync(), "the method list");
        await Page.Locator(".summary details summary").ClickAsync();
        await AssertFitsAsync("the method list");

        await MethodButton("CREDIT_CARD").ClickAsync();
        await ExpectAsync(() => Assertions.Expect(Page.Locator("#card_number")).ToBeVisibleAsync(), "the card form");
        await Page.Locator("details.test-cards summary").ClickAsync();
        await AssertFitsAsync("the card form");

        await OpenAsync(order.Url);
        await ChooseVirtualAccountAsync("VIRTUAL_ACCOUNT_BCA");
        await AssertFitsAsync("the virtual account instructions");
    }

    private async Task AssertFitsAsync(string what)
    {
        var result = await Page.EvaluateAsync<JsonElement>("""
            () => {
              const w = document.documentElement.clientWidth;
              const over = Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > w + 0.5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                          + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().replace(/\s+/g, '.') : '')
                          + ' right=' + Math.round(e.getBoundingClientRect().right));
              return { scrollWidth: document.documentElement.scrollWidth, over: over.slice(0, 5).join(', ') };
            }
            """);
        var scrollWidth = result.GetProperty("scrollWidth").GetInt32();
        Assert.True(scrollWidth <= Width,
            $"{what}: document is {scrollWidth}px wide on a {Width}px screen; past the edge: {result.GetProperty("over").GetString()}");
    }
}
