using Lunas.Protocol.Wire;
using Lunas.Server.Payments;
using Lunas.Server.PostPayment;
using Lunas.Server.Security;
using Lunas.Server.OpenApi;

namespace Lunas.Server.Status;

/// <summary><c>GET /orders/v1/status/{invoice_number or Request-Id}</c> (spec section 3), correct the moment a payment completes.</summary>
public static class StatusApi
{
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet(DokuPaths.StatusPrefix + "{id}", GetStatusAsync).RequireDokuSignature(hasBody: false)
            .Describe(OpenApiSetup.CheckoutTag, "GetStatus", "Check an order's status",
                "`{id}` is the invoice number or the Request-Id of the create-payment call. The body is a notification's, "
                + "with `order.status` added.")
            .Answers<Lunas.Client.DokuOrderStatus>(200, "The order and its latest transaction.")
            .Fails(400, "The id in the path does not decode to clean text (invalid UTF-8 or a control character).")
            .Fails(404, "No checkout of this merchant has this invoice number or Request-Id.");
        return app;
    }

    private static async Task<ApiReply> GetStatusAsync(HttpContext context, SignedRequest signed, PaymentStore store,
        OperationStore operations, CancellationToken cancellationToken)
    {
        if (Infrastructure.RouteText.Segment(context, 0, out var id) is not TextProblem.None and var problem)
        {
            return ApiReply.Error(400, $"the order id in the path {TextGuard.Describe(problem)}");
        }
        var session = await store.FindForMerchantAsync(signed.ClientId, id, cancellationToken);
        Adjustment? adjustment;
        if (session is not null)
        {
            adjustment = await operations.LatestAsync(session.SessionId, cancellationToken);
        }
        else if (await operations.FindByRequestIdAsync(signed.ClientId, id, cancellationToken) is { } made)
        {
            // The Request-Id of a capture, void or refund: that change, on its order.
            (session, adjustment) = (await store.FindBySessionIdAsync(made.SessionId, cancellationToken), made.Adjustment);
        }
        else
        {
            adjustment = null;
        }
        if (session is null)
        {
            return ApiReply.Error(404, $"order {id} is not found: no checkout with this invoice number or Request-Id");
        }
        return new ApiReply(200, await DescribeAsync(store, session, cancellationToken, adjustment));
    }

    /// <summary>The status body of a session: the paid attempt, else the latest one; and a capture, void or refund of it.</summary>
    /// <param name="known">An attempt the caller holds (a step's), used when it is the order's paid one.</param>
    public static async Task<byte[]> DescribeAsync(PaymentStore store, SessionRecord session, CancellationToken cancellationToken,
        Adjustment? adjustment = null, AttemptRecord? known = null)
    {
        if (session.PaidAttemptId is { } paid && known?.AttemptId == paid)
        {
            // The attempt the order was just paid with: the one the lookup below would pick.
            return PaymentEnvelope.Write(session, known, withOrderStatus: true, adjustment);
        }
        var attempts = await store.AttemptsAsync(session.SessionId, cancellationToken);
        var attempt = attempts.FirstOrDefault(a => a.AttemptId == session.PaidAttemptId)
                      ?? attempts.LastOrDefault(a => a.Channel == session.Channel)
                      ?? attempts.LastOrDefault();
        return PaymentEnvelope.Write(session, attempt, withOrderStatus: true, adjustment);
    }
}
