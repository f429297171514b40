using System.Text.Encodings.Web;
using Lunas.Browser.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Lunas.Browser.Tests;

/// <summary>DOKU's drop-in script as a merchant uses it: its own page, our script, <c>loadJokulCheckout(payment.url)</c>.</summary>
public sealed class JokulCheckoutTests(BrowserFixture fixture) : PageTest(fixture)
{
    [Fact]
    public async Task LoadJokulCheckout_ShowsPaymentPageInOverlay_WhenMerchantPageCallsIt()
    {
        var order = await CreateAsync();
        // The merchant's site: another origin (its own port on 127.0.0.1), as a real shop would be.
        await using var merchant = await MerchantSite.StartAsync();

        await CheckoutFromCartAsync(merchant, order);

        var overlay = Page.Locator("#jokul-checkout-overlay");
        await ExpectAsync(() => Assertions.Expect(overlay).ToBeVisibleAsync(), "the checkout overlay");
        await ExpectAsync(() => Assertions.Expect(overlay).ToHaveAttributeAsync("role", "dialog"), "the overlay as a dialog");
        var frame = overlay.Locator("iframe");
        await ExpectAsync(() => Assertions.Expect(frame).ToHaveAttributeAsync("src", order.Url), "the iframe of payment.url");
        await ExpectAsync(() => Assertions.Expect(frame).ToBeVisibleAsync(), "the iframe shown");
        var inFrame = overlay.FrameLocator("iframe");
        await ExpectTextAsync(inFrame.Locator(".summary .invoice"), order.Invoice, "the invoice number inside the iframe");
        await ExpectAsync(() => Assertions.Expect(inFrame.Locator("[data-channel=VIRTUAL_ACCOUNT_BCA]")).ToBeVisibleAsync(), "methods inside the iframe");

        await Page.Locator("#jokul-checkout-overlay button[aria-label='Close checkout']").ClickAsync();
        await ExpectAsync(() => Assertions.Expect(overlay).ToHaveCountAsync(0), "the overlay closed");
    }

    [Fact]
    public async Task Overlay_ClosesOnEscapeInsideThePage_AndGivesFocusBack()
    {
        var order = await CreateAsync();
        await using var merchant = await MerchantSite.StartAsync();
        var inFrame = await CheckoutFromCartAsync(merchant, order);
        var overlay = Page.Locator("#jokul-checkout-overlay");
        await ExpectTextAsync(inFrame.Locator(".summary .invoice"), order.Invoice, "the page inside the overlay");
        await ExpectAsync(() => Assertions.Expect(Page.Locator("h1")).ToHaveJSPropertyAsync("inert", true), "the merchant page inert behind the dialog");

        // Focus inside the cross-origin frame: the page asks the merchant's window to close the overlay.
        await inFrame.Locator(".summary .invoice").ClickAsync();
        await Page.Keyboard.PressAsync("Escape");

        await ExpectAsync(() => Assertions.Expect(overlay).ToHaveCountAsync(0), "the overlay closed by Escape");
        await ExpectAsync(() => Assertions.Expect(Page.Locator("#checkout-button")).ToBeFocusedAsync(), "focus back on the checkout button");
        await ExpectAsync(() => Assertions.Expect(Page.Locator("h1")).ToHaveJSPropertyAsync("inert", false), "the merchant page usable again");
    }

    [Fact]
    public async Task AutoRedirect_TakesTheWholeWindowToTheMerchant_WhenPaidInsideTheOverlay()
    {
        await using var merchant = await MerchantSite.StartAsync();
        var order = await CreateAsync(Request(Lunas.Server.Tests.Infrastructure.Seed.NewInvoice(), root =>
        {
            var o = root["order"]!.AsObject();
            o["callback_url"] = merchant.Url + "done";
            o["auto_redirect"] = true;
            root["payment"]!.AsObject()["payment_method_types"] = new System.Text.Json.Nodes.JsonArray("VIRTUAL_ACCOUNT_BCA");
        }));
        var inFrame = await CheckoutFromCartAsync(merchant, order);
        await inFrame.Locator(".methods [data-channel=\"VIRTUAL_ACCOUNT_BCA\"]").ClickAsync();
        var code = inFrame.Locator("#pay-code");
        await ExpectAsync(() => Assertions.Expect(code).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\s*\d{8,}\s*$")), "the VA number in the overlay");

        var (status, body) = await PayVirtualAccountAsync((await code.TextContentAsync())!.Trim());
        Assert.True(status == System.Net.HttpStatusCode.OK, body);

        // The page sees the payment (poll), shows the result, and after 3 s the merchant's window (not the frame) leaves.
        await ExpectAsync(() => Assertions.Expect(Page).ToHaveURLAsync(merchant.Url + "done", new PageAssertionsToHaveURLOptions { Timeout = 20_000 }),
            "the top window at the merchant's callback_url");
        await ExpectTextAsync(Page.Locator("h1"), "Thank you", "the merchant's own page, not framed");
    }

    /// <summary>Opens the merchant's cart for this order and clicks its checkout button; returns the overlay's frame.</summary>
    private async Task<IFrameLocator> CheckoutFromCartAsync(MerchantSite merchant, Checkout order)
    {
        merchant.Cart = CartPage(order.Url);
        await OpenAsync(merchant.Url);
        await Page.Locator("#checkout-button").ClickAsync();
        return Page.Locator("#jokul-checkout-overlay").FrameLocator("iframe");
    }

    private string CartPage(string paymentUrl)
    {
        var script = Server.BaseUrl + "/jokul-checkout-js/v1/jokul-checkout-1.0.0.js";
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Toko Merchant</title>
            <script src="{{HtmlEncoder.Default.Encode(script)}}"></script></head>
            <body><h1>Your cart</h1><button id="checkout-button" data-payment-url="{{HtmlEncoder.Default.Encode(paymentUrl)}}">Checkout now</button>
            <script>
              document.getElementById('checkout-button').addEventListener('click', function () {
                loadJokulCheckout(this.getAttribute('data-payment-url'));
              });
            </script></body></html>
            """;
    }

    /// <summary>A merchant website on a random loopback port: its cart page at "/", a thank-you page at "/done".</summary>
    private sealed class MerchantSite : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private MerchantSite(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public string Cart { get; set; } = "";

        public static async Task<MerchantSite> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            MerchantSite? site = null;
            app.MapGet("/", () => Results.Content(site!.Cart, "text/html; charset=utf-8"));
            app.MapGet("/done", () => Results.Content(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Done</title></head><body><h1>Thank you</h1></body></html>",
                "text/html; charset=utf-8"));
            await app.StartAsync();
            site = new MerchantSite(app, app.Urls.First().TrimEnd('/') + "/");
            return site;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
