using System.Text;
using Lunas.Protocol.Checkout;
using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;
using Lunas.Server.Infrastructure;
using Lunas.Server.Notifications;
using Lunas.Server.Payments;
using Lunas.Server.Security;
using Lunas.Server.OpenApi;

namespace Lunas.Server.Checkout;

/// <summary><c>POST /checkout/v1/payment</c>: verify, validate, create the session durably, answer as DOKU does.</summary>
public static class CheckoutApi
{
    public const string Path = DokuPaths.CreatePayment;
    public const string PagePathPrefix = DokuPaths.CheckoutPagePrefix;

    public static IEndpointRouteBuilder MapCheckout(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, CreatePaymentAsync).RequireDokuSignature(hasBody: true)
            .Describe(OpenApiSetup.CheckoutTag, "CreatePayment", "Create a payment",
                "Creates a checkout session and answers with the payment page's URL (`response.payment.url`). Idempotent on "
                + "Request-Id: the same Request-Id with the same body answers 409 with the first answer's body.")
            .Takes<CheckoutRequest>()
            .Answers<Lunas.Client.CheckoutResponse>(200, "Created: send the customer to response.payment.url.")
            .Fails(400, "A field is missing or invalid (each message names it), or the invoice is already paid.")
            .Answers<Lunas.Client.CheckoutResponse>(409, "The Request-Id was used before with this body: the first answer again. "
                + "With another body: an error_messages body.");
        return app;
    }

    public static async Task<ApiReply> CreatePaymentAsync(HttpContext context, SignedRequest signed, PaymentStore store,
        LunasOptions options, DestinationPolicy destinations, MerchantClock clocks, CancellationToken cancellationToken)
    {
        var merchant = signed.Merchant;
        var body = signed.Body;
        var errors = new ValidationErrors();
        var request = CheckoutRequestReader.Read(body, errors);
        var offered = request is null ? [] : CheckoutRules.Validate(request, merchant.PaymentMethodTypes, errors);
        destinations.Validate(request?.AdditionalInfo, errors);
        if (errors.Count > 0 || request is null)
        {
            // A used Request-Id is answered as a replay even when the body is now invalid (for example the merchant's
            // channels changed since): the lookup costs nothing on the valid path, where the insert decides.
            var earlier = await store.FindReplayAsync(merchant.ClientId, signed.RequestId, signed.Digest, cancellationToken);
            return earlier is null ? new ApiReply(400, ErrorBody.Create(errors.Messages())) : Replay(earlier, signed.RequestId);
        }

        var identity = SessionIdentity.Create(await clocks.NowForNewAsync(merchant.ClientId, cancellationToken),
            CheckoutRules.PaymentDueMinutes(request));
        var url = PublicBaseUrl(context, options) + PagePathPrefix + identity.TokenId;
        var headers = context.Request.Headers;
        var signature = headers[DokuHeaders.Signature].ToString();
        var timestamp = headers[DokuHeaders.RequestTimestamp].ToString();
        var responseBody = CheckoutResponse.Write(request, offered, identity, url,
            new CheckoutResponse.Headers(signed.RequestId, signature, timestamp, merchant.ClientId));

        // Not the request's token: once queued, the write completes even if the caller disconnects. The answer itself is
        // not stored: a replay writes it again from the request and these (CheckoutResponse.Rewrite).
        var outcome = await store.CreateAsync(new NewSession(
            merchant.ClientId, signed.RequestId, signed.Digest, identity,
            request.Order.InvoiceNumber, request.Order.Amount, string.Join(',', offered.Select(m => m.Value)),
            Encoding.UTF8.GetString(body.Span), url, signature, timestamp), CancellationToken.None);

        return outcome.Kind switch
        {
            CreateOutcomeKind.Created => new ApiReply(200, responseBody),
            CreateOutcomeKind.Replayed => Replay(outcome, signed.RequestId),
            _ => ApiReply.Error(400, $"order.invoice_number {request.Order.InvoiceNumber} is already paid"),
        };
    }

    private static ApiReply Replay(CreateOutcome outcome, string requestId)
        => !outcome.SameBody
            ? ApiReply.Error(409, $"Request-Id {requestId} was already used with a different body; use a new Request-Id for a new request")
            : CheckoutResponse.Rewrite(outcome.Answer!) is { } original
                ? new ApiReply(409, original)
                : ApiReply.Error(409, $"Request-Id {requestId} was already used; this Lunas can no longer write that request's answer again");

    public static string PublicBaseUrl(HttpContext context, LunasOptions options)
        => string.IsNullOrEmpty(options.PublicBaseUrl)
            ? $"{context.Request.Scheme}://{context.Request.Host}"
            : options.PublicBaseUrl.TrimEnd('/');
}
