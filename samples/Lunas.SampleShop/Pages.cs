using System.Globalization;
using System.Net;
using Lunas.Client;

namespace Lunas.SampleShop;

/// <summary>The shop's three pages, as plain HTML.</summary>
public static class Pages
{
    private const string Style = """
        <style>
          body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
          .card { border: 1px solid #ddd; border-radius: .5rem; padding: 1.5rem; }
          .price { font-size: 1.4rem; font-weight: 600; }
          button, .button { background: #e5173f; color: #fff; border: 0; border-radius: .3rem; padding: .6rem 1.2rem;
                            font-size: 1rem; cursor: pointer; text-decoration: none; display: inline-block; }
          button.secondary { background: #555; }
          .status { font-weight: 700; padding: .2rem .6rem; border-radius: .3rem; }
          .PAID { background: #d7f5dd; color: #11652a; } .PENDING { background: #fff3cd; color: #7a5b00; }
          .EXPIRED, .CANCELLED { background: #eee; color: #555; } .REFUNDED { background: #dde8ff; color: #1d3f8a; }
          form { display: inline; } dt { color: #666; } dd { margin: 0 0 .6rem 0; }
        </style>
        """;

    public static string Home() => $"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Toko Kopi (Lunas sample)</title>{Style}</head>
        <body><h1>Toko Kopi</h1>
        <div class="card">
          <h2>{Catalog.Name}</h2>
          <p>Single-origin arabica from Aceh, roasted this week.</p>
          <p class="price">{Rupiah(Catalog.Price)}</p>
          <form method="post" action="/orders">
            <label>Quantity <input name="quantity" type="number" min="1" max="5" value="1"></label>
            <button type="submit">Buy</button>
          </form>
        </div>
        <p><small>Payments by DOKU Checkout through the Lunas.Client SDK.</small></p>
        </body></html>
        """;

    public static string Order(OrderView order, bool sandbox)
    {
        var pending = order.Status == OrderStatus.Pending;
        var refundable = order.Status == OrderStatus.Paid && order.Channel == SandboxChannels.Card;
        var invoice = WebUtility.HtmlEncode(order.InvoiceNumber);
        return $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Order {invoice}</title>
            {(pending ? "<meta http-equiv=\"refresh\" content=\"3\">" : "")}{Style}</head>
            <body><h1>Order {invoice}</h1>
            <div class="card">
              <p><span class="status {order.Status}" id="status">{order.Status}</span></p>
              <dl>
                <dt>Item</dt><dd>{order.Quantity} × {Catalog.Name}</dd>
                <dt>Total</dt><dd>{Rupiah(order.Amount)}</dd>
                {(order.Channel is null ? "" : $"<dt>Paid with</dt><dd>{WebUtility.HtmlEncode(order.Channel)}</dd>")}
                {(order.LastEvent is null ? "" : $"<dt>Last word from DOKU</dt><dd>{WebUtility.HtmlEncode(order.LastEvent)}</dd>")}
              </dl>
              {(pending && order.PaymentUrl is not null ? $"<a class=\"button\" href=\"{WebUtility.HtmlEncode(order.PaymentUrl)}\">Pay now</a>" : "")}
              {(pending ? $"<form method=\"post\" action=\"/orders/{invoice}/refresh\"><button class=\"secondary\">Check status with DOKU</button></form>" : "")}
              {(pending && sandbox ? $"<form method=\"post\" action=\"/orders/{invoice}/simulate-payment\"><button class=\"secondary\">Simulate the BCA transfer (Lunas sandbox)</button></form>" : "")}
              {(pending && sandbox ? $"<form method=\"post\" action=\"/orders/{invoice}/simulate-payment\"><input type=\"hidden\" name=\"channel\" value=\"{SandboxChannels.Card}\"><button class=\"secondary\">Simulate a card payment (Lunas sandbox)</button></form>" : "")}
              {(pending ? $"<form method=\"post\" action=\"/orders/{invoice}/cancel\"><button class=\"secondary\" id=\"cancel\">Cancel order</button></form>" : "")}
              {(refundable ? $"<form method=\"post\" action=\"/orders/{invoice}/refund\"><button id=\"refund\">Refund</button></form>" : "")}
            </div>
            <p><a href="/">Back to the shop</a></p>
            </body></html>
            """;
    }

    public static string Error(DokuApiException error) => $"""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout failed</title>{Style}</head>
        <body><h1>Checkout failed</h1>
        <div class="card"><ul>{string.Concat(error.ErrorMessages.Select(m => $"<li>{WebUtility.HtmlEncode(m)}</li>"))}</ul>
        <p><small>Request-Id {WebUtility.HtmlEncode(error.RequestId)}</small></p></div>
        <p><a href="/">Back to the shop</a></p></body></html>
        """;

    private static string Rupiah(long amount) => "Rp " + amount.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');
}
