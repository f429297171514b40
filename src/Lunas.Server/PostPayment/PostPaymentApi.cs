using Lunas.Protocol.Wire;
using Lunas.Protocol.Payments;
using Lunas.Server.Payments;
using Lunas.Server.Security;
using Lunas.Client;
using Lunas.Server.OpenApi;

namespace Lunas.Server.PostPayment;

/// <summary>
/// After checkout (post-payment spec): cancel an unpaid order, capture a card authorization, void or refund a card,
/// refund ShopeePay and Akulaku. Signed like every merchant API; each request runs once per Request-Id
/// (<see cref="OperationStore"/>), and its answer uses DOKU's Direct-API error shape.
/// </summary>
public static partial class PostPaymentApi
{
    public const string CancelPath = DokuPaths.CancelOrder;
    public const string CapturePath = DokuPaths.CardCapture;
    public const string CardRefundPath = DokuPaths.CardRefund;
    public const string CardRefundPostmanPath = DokuPaths.CardRefundPostman;
    public const string ShopeePayRefundPath = DokuPaths.ShopeePayRefund;
    public const string AkulakuRefundPath = DokuPaths.AkulakuRefund;

    public static IEndpointRouteBuilder MapPostPayment(this IEndpointRouteBuilder app)
    {
        app.MapPost(CancelPath, CancelAsync).RequireDokuSignature(hasBody: true)
            .Describe(OpenApiSetup.PostPaymentTag, "CancelOrder", "Cancel an unpaid order",
                "The payment page stops working; the status API answers `order.status` ORDER_CANCELLED. Needs Cancel Order "
                + "enabled for the merchant.")
            .Takes<CancelOrderRequest>().Answers<CancelOrderResult>(200, "Cancelled.").PostPaymentErrors();
        app.MapPost(CapturePath, CaptureAsync).RequireDokuSignature(hasBody: true)
            .Describe(OpenApiSetup.PostPaymentTag, "CaptureCard", "Capture a card authorization",
                "Once, in full or in part, an order created with `payment.type` AUTHORIZE and paid by card.")
            .Takes<CaptureRequest>().Answers<CaptureResult>(200, "Captured.").PostPaymentErrors();
        app.MapPost(CardRefundPath, RefundCardAsync).RequireDokuSignature(hasBody: true)
            .Describe(OpenApiSetup.PostPaymentTag, "RefundCard", "Void or refund a card payment",
                "A void before settlement (or of an authorization), a full or partial refund after; several partial refunds "
                + "up to the amount paid.")
            .Takes<CardRefundRequest>().Answers<CardRefundResult>(200, "Voided or refunded (or FAILED with why).").PostPaymentErrors();
        // DOKU's Postman collection calls this path but signs the one above; other clients sign this one.
        app.MapPost(CardRefundPostmanPath, RefundCardAsync).RequireDokuSignature(hasBody: true, alternativeTargets: [CardRefundPath])
            .Describe(OpenApiSetup.PostPaymentTag, "RefundCardPostman", "Void or refund a card payment (the Postman collection's path)",
                $"The same as `{CardRefundPath}`; a signature over either path is accepted.")
            .Takes<CardRefundRequest>().Answers<CardRefundResult>(200, "Voided or refunded (or FAILED with why).").PostPaymentErrors();
        app.MapPost(ShopeePayRefundPath, RefundShopeePayAsync).RequireDokuSignature(hasBody: true)
            .Describe(OpenApiSetup.PostPaymentTag, "RefundShopeePay", "Refund a ShopeePay payment",
                "Quoting the identifiers of the payment notification's `shopeepay_payment`.")
            .Takes<ShopeePayRefundRequest>().Answers<WalletRefundResult>(200, "Refunded.").PostPaymentErrors();
        app.MapPost(AkulakuRefundPath, RefundAkulakuAsync).RequireDokuSignature(hasBody: true)
            .Describe(OpenApiSetup.PostPaymentTag, "RefundAkulaku", "Refund an Akulaku paylater payment",
                "Quoting the identifiers of the payment notification's `peer_to_peer_info`.")
            .Takes<AkulakuRefundRequest>().Answers<WalletRefundResult>(200, "Refunded.").PostPaymentErrors();
        return app;
    }

    private static RouteHandlerBuilder PostPaymentErrors(this RouteHandlerBuilder builder) => builder
        .FailsDirect(400, "Invalid parameter (naming the field) or the payment's state does not allow it (INVALID_STATE, ORDER_ALREADY_PAID, …).")
        .FailsDirect(404, "No such order, authorization or payment of this merchant.")
        .FailsDirect(409, "The Request-Id was used before with another body (with the same body: the first answer again).");

    private static async Task<ApiReply> CancelAsync(SignedRequest signed, PaymentStore payments, OperationStore operations,
        PostPaymentOperations service, CancellationToken cancellationToken)
    {
        if (!signed.Merchant.CancelOrderEnabled) return new ApiReply(400, DirectBodies.CancelNotActivated);
        var fields = RequestFields.Parse(signed.Body, out var error);
        var invoice = fields?.String("order.invoice_number", required: true);
        var original = fields?.String("payment.original_request_id", required: false);
        var note = fields?.String("note", required: false, maxLength: 255);
        if (await InvalidAsync(signed, operations, fields, error, cancellationToken) is { } invalid) return invalid;

        var session = original is null
            ? await payments.FindForMerchantAsync(signed.ClientId, invoice!, cancellationToken)
            : await payments.FindByRequestIdAsync(signed.ClientId, original, cancellationToken);
        if (session is null || session.InvoiceNumber != invoice)
        {
            return await NotFoundAsync(signed, operations, original is null
                ? $"order.invoice_number {invoice} is not found"
                : $"payment.original_request_id {original} is not a checkout of order.invoice_number {invoice}", cancellationToken);
        }
        return Answer(signed, await service.CancelAsync(Key(signed), session, signed.Merchant.CancelConvenienceStore, note));
    }

    private static async Task<ApiReply> CaptureAsync(SignedRequest signed, PaymentStore payments, OperationStore operations,
        PostPaymentOperations service, CancellationToken cancellationToken)
    {
        var fields = RequestFields.Parse(signed.Body, out var error);
        var authorizeId = fields?.String("payment.authorize_id", required: true);
        var amount = fields?.Amount("payment.capture_amount", required: false);
        if (fields?.String("payment.currency", required: false) is { } currency && currency != "IDR")
        {
            fields.Errors.Add("payment.currency must be IDR");
        }
        if (await InvalidAsync(signed, operations, fields, error, cancellationToken) is { } invalid) return invalid;

        var session = await payments.FindByAuthorizeIdAsync(signed.ClientId, authorizeId!, cancellationToken);
        if (session is null)
        {
            return await NotFoundAsync(signed, operations, $"payment.authorize_id {authorizeId} is not found", cancellationToken);
        }
        return Answer(signed, await service.CaptureAsync(Key(signed), session, amount));
    }

    private static OperationKey Key(SignedRequest signed) => new(signed.ClientId, signed.RequestId, signed.Digest);

    /// <summary>The operation's answer; a repeat of this Request-Id gets the first answer with 409.</summary>
    private static ApiReply Answer(SignedRequest signed, (OperationReply? Reply, Replay? Replay) run)
        => run.Replay is { } replay ? DirectBodies.Replayed(replay, signed.RequestId) : run.Reply!.Reply();

    /// <summary>The 400 of a body that is not valid (or the replay, when this Request-Id was used before).</summary>
    private static async Task<ApiReply?> InvalidAsync(SignedRequest signed, OperationStore operations, RequestFields? fields,
        string? error, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> errors = fields is null ? [error!] : fields.Errors;
        if (errors.Count == 0) return null;
        var earlier = await operations.FindReplayAsync(signed.ClientId, signed.RequestId, signed.Digest, cancellationToken);
        return earlier is not null
            ? DirectBodies.Replayed(earlier, signed.RequestId)
            : DirectBodies.Error(400, DirectBodies.InvalidParameter, errors).Reply();
    }

    private static async Task<ApiReply> NotFoundAsync(SignedRequest signed, OperationStore operations, string message,
        CancellationToken cancellationToken)
    {
        var earlier = await operations.FindReplayAsync(signed.ClientId, signed.RequestId, signed.Digest, cancellationToken);
        return earlier is not null
            ? DirectBodies.Replayed(earlier, signed.RequestId)
            : DirectBodies.Error(404, DirectBodies.NotFound, message).Reply();
    }
}
