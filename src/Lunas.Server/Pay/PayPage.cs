using System.Globalization;
using System.Text.Encodings.Web;
using Lunas.Server.Checkout;
using Lunas.Server.Storage;

namespace Lunas.Server.Pay;

public sealed record PageSession(string TokenId, string MerchantName, string InvoiceNumber, long Amount, string Status,
    DateTimeOffset ExpiresAt, IReadOnlyList<string> PaymentMethods);

public sealed class PayStore(Database database)
{
    public async Task<PageSession?> FindByTokenAsync(string tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT s.token_id, m.name, s.invoice_number, s.amount, s.status, s.expires_at, s.payment_methods
            FROM checkout_sessions s JOIN merchants m ON m.client_id = s.merchant_id
            WHERE s.token_id = @token
            """).With("@token", tokenId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        return new PageSession(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
            reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
            reader.GetString(6).Split(',', StringSplitOptions.RemoveEmptyEntries));
    }
}

/// <summary>The hosted checkout page at <c>payment.url</c>.</summary>
public static class PayPage
{
    public static IEndpointRouteBuilder MapPay(this IEndpointRouteBuilder app)
    {
        app.MapGet(CheckoutApi.PagePathPrefix + "{token}", ShowAsync);
        return app;
    }

    private static async Task ShowAsync(HttpContext context, string token)
    {
        var session = await context.RequestServices.GetRequiredService<PayStore>().FindByTokenAsync(token, context.RequestAborted);
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors *; base-uri 'none'";
        context.Response.ContentType = "text/html; charset=utf-8";
        if (session is null)
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("<!doctype html><title>Not found</title><p>This checkout link does not exist.</p>", context.RequestAborted);
            return;
        }
        var html = HtmlEncoder.Default;
        var amount = "Rp" + session.Amount.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');
        await context.Response.WriteAsync($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Pay {html.Encode(session.InvoiceNumber)}</title></head>
            <body><main><h1>{html.Encode(session.MerchantName)}</h1>
            <p>Invoice <strong>{html.Encode(session.InvoiceNumber)}</strong></p>
            <p>Amount <strong>{amount}</strong></p>
            <p>Status {html.Encode(session.Status)}</p>
            <ul>{string.Concat(session.PaymentMethods.Select(m => $"<li>{html.Encode(m)}</li>"))}</ul>
            </main></body></html>
            """, context.RequestAborted);
    }
}
