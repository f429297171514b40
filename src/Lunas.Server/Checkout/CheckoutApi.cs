using System.Text;
using Lunas.Protocol.Checkout;
using Lunas.Protocol.Signing;
using Lunas.Server.Infrastructure;
using Lunas.Server.Security;

namespace Lunas.Server.Checkout;

/// <summary><c>POST /checkout/v1/payment</c>: verify, validate, create the session durably, answer as DOKU does.</summary>
public static class CheckoutApi
{
    public const string Path = "/checkout/v1/payment";
    public const string PagePathPrefix = "/checkout-link-v2/";

    public static IEndpointRouteBuilder MapCheckout(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, CreatePaymentAsync);
        return app;
    }

    public static async Task CreatePaymentAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<LunasOptions>();
        var clock = services.GetRequiredService<TimeProvider>();
        var cancellationToken = context.RequestAborted;

        var body = await RequestBody.ReadAsync(context.Request, options.MaxBodyBytes, cancellationToken);
        var auth = await services.GetRequiredService<RequestAuthenticator>()
            .AuthenticateAsync(context.Request, body.Bytes, hasBody: true, cancellationToken);
        if (body.TooLarge)
        {
            await Reply(413, ErrorBody.Create([$"request body is larger than {options.MaxBodyBytes} bytes"]));
            return;
        }
        if (!auth.Succeeded)
        {
            await Reply(401, ErrorBody.Create([auth.Error ?? "unauthorized"], withMessage: true));
            return;
        }
        var merchant = auth.Merchant!;

        var errors = new List<string>();
        var request = CheckoutRequestReader.Read(body.Bytes, errors);
        var offered = request is null ? [] : CheckoutRules.Validate(request, merchant.PaymentMethodTypes, errors);
        if (errors.Count > 0 || request is null)
        {
            await Reply(400, ErrorBody.Create(errors));
            return;
        }

        var due = request.Payment?.PaymentDueDate ?? CheckoutRules.DefaultPaymentDueDate;
        var identity = SessionIdentity.Create(clock.GetUtcNow(), due);
        var url = PublicBaseUrl(context, options) + PagePathPrefix + identity.TokenId;
        var headers = context.Request.Headers;
        var responseBody = CheckoutResponse.Write(request, offered, identity, url, new CheckoutResponse.Headers(
            auth.RequestId, headers["Signature"].ToString(), headers[DokuSignature.RequestTimestamp].ToString(), auth.ClientId));

        var outcome = await services.GetRequiredService<CheckoutStore>().CreateAsync(new NewSession(
            merchant.ClientId, auth.RequestId, DokuSignature.Digest(body.Bytes.Span), identity,
            request.Order.InvoiceNumber, request.Order.Amount, string.Join(',', offered.Select(m => m.Value)),
            CheckoutStore.Utf8(body.Bytes.Span), CheckoutStore.Utf8(responseBody)), CancellationToken.None);

        switch (outcome.Kind)
        {
            case CreateOutcomeKind.Created:
                await Reply(200, responseBody);
                break;
            case CreateOutcomeKind.Replayed when outcome.SameBody:
                await Reply(409, Encoding.UTF8.GetBytes(outcome.Body!));
                break;
            case CreateOutcomeKind.Replayed:
                await Reply(409, ErrorBody.Create([
                    $"Request-Id {auth.RequestId} was already used with a different body; use a new Request-Id for a new request"]));
                break;
            default:
                await Reply(400, ErrorBody.Create([$"order.invoice_number {request.Order.InvoiceNumber} is already paid"]));
                break;
        }

        Task Reply(int status, byte[] bytes)
            => ResponseSigner.WriteSignedAsync(context, status, bytes, auth, clock, CancellationToken.None);
    }

    public static string PublicBaseUrl(HttpContext context, LunasOptions options)
        => string.IsNullOrEmpty(options.PublicBaseUrl)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : options.PublicBaseUrl.TrimEnd('/');
}
