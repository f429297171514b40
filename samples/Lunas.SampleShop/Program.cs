using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Lunas.Client;
using Lunas.Protocol.Checkout;
using Lunas.SampleShop;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
// Doku:BaseUrl, Doku:ClientId, Doku:SecretKey (environment: Doku__BaseUrl, ...); appsettings.json points at a local Lunas.
builder.Services.AddDokuCheckout(builder.Configuration.GetSection("Doku"));
builder.Services.AddHttpClient("sandbox");
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<OrderBook>();
var app = builder.Build();
var orders = app.Services.GetRequiredService<OrderBook>();

app.MapGet("/", () => Results.Content(Pages.Home(), "text/html; charset=utf-8"));

app.MapPost("/orders", async (HttpContext context, DokuCheckoutClient doku, TimeProvider clock, CancellationToken cancellationToken) =>
{
    var form = await context.Request.ReadFormAsync(cancellationToken);
    var quantity = int.TryParse(form["quantity"], out var q) ? Math.Clamp(q, 1, 5) : 1;
    var now = clock.GetUtcNow();
    // At most 30 characters, so card channels can take it; random so two browsers never collide.
    var invoice = $"SHOP-{now:yyyyMMddHHmmss}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3))}";
    var orderUrl = $"{PublicUrl(context)}/orders/{invoice}";
    var order = new Order { InvoiceNumber = invoice, Amount = Catalog.Price * quantity, Quantity = quantity, CreatedAt = now };
    orders.Add(order);

    var request = new CheckoutRequest
    {
        Order = new OrderInfo
        {
            InvoiceNumber = invoice,
            Amount = order.Amount,
            Currency = "IDR",
            CallbackUrl = orderUrl,
            CallbackUrlResult = orderUrl,
            AutoRedirect = true,
            LineItems =
            [
                new LineItem
                {
                    Id = Catalog.Sku, Sku = Catalog.Sku, Name = Catalog.Name, Price = Catalog.Price, Quantity = quantity,
                    Category = Catalog.Category, Url = PublicUrl(context) + "/", Type = "PHYSICAL",
                },
            ],
        },
        Payment = new PaymentInfo { PaymentDueDate = 60 },
        Customer = new CustomerInfo { Id = "CUST-0001", Name = "Budi Santoso", Email = "budi@example.com", Phone = "6281234567890" },
    };
    try
    {
        var created = await doku.CreatePaymentAsync(request, cancellationToken);
        lock (order)
        {
            order.RequestId = created.RequestId;
            order.PaymentUrl = created.PaymentUrl;
        }
        return Results.Redirect(created.PaymentUrl);
    }
    catch (DokuApiException ex)
    {
        app.Logger.LogWarning("Checkout for {Invoice} failed: {Error}", invoice, ex.Message);
        return Results.Content(Pages.Error(ex), "text/html; charset=utf-8", statusCode: 502);
    }
});

// DOKU (or Lunas) POSTs here; the helper verifies the signature before the handler sees anything.
app.MapDokuNotifications("/payments/notifications", (DokuNotification notification, CancellationToken _) =>
{
    orders.Apply(notification, "notification " + notification.RequestId);
    return Task.CompletedTask;
});

app.MapGet("/orders.json", () => Results.Json(orders.All().Select(OrderView.Of).ToList(), ShopJson.Default.ListOrderView));

app.MapGet("/orders/{invoice}", (string invoice, string? format) =>
{
    var json = format == "json" || invoice.EndsWith(".json", StringComparison.Ordinal);
    var order = orders.Find(json && invoice.EndsWith(".json", StringComparison.Ordinal) ? invoice[..^5] : invoice);
    if (order is null)
    {
        return Results.NotFound();
    }
    var view = OrderView.Of(order);
    return json
        ? Results.Json(view, ShopJson.Default.OrderView)
        : Results.Content(Pages.Order(view, SandboxAvailable()), "text/html; charset=utf-8");
});

// Asks DOKU directly (status API) instead of waiting for the notification.
app.MapPost("/orders/{invoice}/refresh", async (string invoice, DokuCheckoutClient doku, CancellationToken cancellationToken) =>
{
    if (orders.Find(invoice) is null)
    {
        return Results.NotFound();
    }
    try
    {
        orders.Apply(await doku.GetStatusAsync(invoice, cancellationToken), "status check");
    }
    catch (DokuApiException ex)
    {
        app.Logger.LogWarning("Status of {Invoice}: {Error}", invoice, ex.Message);
    }
    return Results.Redirect($"/orders/{invoice}");
});

// The customer changed their mind before paying: the checkout link stops working (no notification follows).
app.MapPost("/orders/{invoice}/cancel", async (string invoice, DokuCheckoutClient doku, CancellationToken cancellationToken) =>
{
    if (orders.Find(invoice) is not { Status: OrderStatus.Pending } order)
    {
        return Results.NotFound();
    }
    try
    {
        var cancelled = await doku.CancelOrderAsync(new CancelOrderRequest
        {
            InvoiceNumber = invoice, OriginalRequestId = order.RequestId, Note = "Cancelled by the customer in the shop",
        }, cancellationToken);
        orders.Set(order, OrderStatus.Cancelled, $"cancel: {cancelled.Order.Status}");
    }
    catch (DokuApiException ex)
    {
        // ORDER_ALREADY_PAID: the payment won the race; its notification (or a status check) marks the order paid.
        app.Logger.LogWarning("Cancel of {Invoice} refused: {Code} {Error}", invoice, ex.ErrorCode, ex.Message);
    }
    return Results.Redirect($"/orders/{invoice}");
});

// A returned order paid by card: the whole amount back (a VOID before settlement, a FULL_REFUND after). The Request-Id
// is derived from the invoice, so pressing the button twice (or a retry) never refunds twice.
app.MapPost("/orders/{invoice}/refund", async (string invoice, DokuCheckoutClient doku, CancellationToken cancellationToken) =>
{
    if (orders.Find(invoice) is not { Status: OrderStatus.Paid, Channel: SandboxChannels.Card, RequestId: { } requestId } order)
    {
        return Results.NotFound();
    }
    try
    {
        var refund = await doku.RefundCardAsync(new CardRefundRequest
        {
            InvoiceNumber = invoice, OriginalRequestId = requestId, Amount = order.Amount,
        }, "refund-" + invoice, cancellationToken);
        if (refund.IsSuccess)
        {
            orders.Set(order, OrderStatus.Refunded, $"refund: {refund.Refund.Type} {refund.Refund.Status}");
        }
        else
        {
            app.Logger.LogWarning("Refund of {Invoice} failed: {Message}", invoice, refund.Refund.Message);
        }
    }
    catch (DokuApiException ex)
    {
        app.Logger.LogWarning("Refund of {Invoice} refused: {Code} {Error}", invoice, ex.ErrorCode, ex.Message);
    }
    return Results.Redirect($"/orders/{invoice}");
});

// Lunas only: what the customer's bank (or card issuer) would do. Pays the order's BCA virtual account, or by card
// (form field channel=CREDIT_CARD), through the simulator.
app.MapPost("/orders/{invoice}/simulate-payment", async (string invoice, HttpContext context, IHttpClientFactory factory,
    IOptions<DokuCheckoutOptions> options, TimeProvider clock, CancellationToken cancellationToken) =>
{
    if (orders.Find(invoice) is null || !SandboxAvailable())
    {
        return Results.NotFound();
    }
    var channel = SandboxChannels.Pick(context.Request.HasFormContentType
        ? (await context.Request.ReadFormAsync(cancellationToken))["channel"].ToString() : null);
    var doku = options.Value;
    var body = JsonSerializer.SerializeToUtf8Bytes(new SandboxPayment(invoice, channel, "SUCCESS"), ShopJson.Default.SandboxPayment);
    using var message = new HttpRequestMessage(HttpMethod.Post, doku.BaseUrl.TrimEnd('/') + "/sandbox/v1/payments") { Content = new ByteArrayContent(body) };
    message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    DokuHttpSigning.SignRequest(message, doku.ClientId, doku.SecretKey, DokuHttpSigning.NewRequestId(), clock.GetUtcNow(), body);
    using var response = await factory.CreateClient("sandbox").SendAsync(message, cancellationToken);
    if (!response.IsSuccessStatusCode)
    {
        app.Logger.LogWarning("Simulator refused {Invoice}: {Status} {Body}", invoice, (int)response.StatusCode,
            await response.Content.ReadAsStringAsync(cancellationToken));
    }
    return Results.Redirect($"/orders/{invoice}");
});

app.Run();

string PublicUrl(HttpContext context)
    => app.Configuration["Shop:PublicUrl"] is { Length: > 0 } url ? url.TrimEnd('/') : $"{context.Request.Scheme}://{context.Request.Host}";

bool SandboxAvailable()
{
    var host = new Uri(app.Services.GetRequiredService<IOptions<DokuCheckoutOptions>>().Value.BaseUrl).Host;
    return !host.EndsWith("doku.com", StringComparison.OrdinalIgnoreCase);
}
