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
        var script = Server.BaseUrl + "/jokul-checkout-js/v1/jokul-checkout-1.0.0.js";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Toko Merchant</title>
            <script src="{{HtmlEncoder.Default.Encode(script)}}"></script></head>
            <body><h1>Your cart</h1><button id="checkout-button" data-payment-url="{{HtmlEncoder.Default.Encode(order.Url)}}">Checkout now</button>
            <script>
              document.getElementById('checkout-button').addEventListener('click', function () {
                loadJokulCheckout(this.getAttribute('data-payment-url'));
              });
            </script></body></html>
            """;
        // The merchant's site: another origin (its own port on 127.0.0.1), as a real shop would be.
        await using var merchant = await MerchantSite.StartAsync(html);
        await OpenAsync(merchant.Url);

        await Page.Locator("#checkout-button").ClickAsync();

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

    /// <summary>A one-page merchant website on a random loopback port.</summary>
    private sealed class MerchantSite : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private MerchantSite(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<MerchantSite> StartAsync(string html)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.MapGet("/", () => Results.Content(html, "text/html; charset=utf-8"));
            await app.StartAsync();
            var address = app.Urls.First();
            return new MerchantSite(app, address.TrimEnd('/') + "/");
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
