using Lunas.Protocol.Wire;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lunas.Client;

// After checkout: cancel, capture, void and refund. Each call is signed, retried and replay-safe as create is.
public sealed partial class DokuCheckoutClient
{
    /// <summary>The cancel-order path.</summary>
    public const string CancelOrderPath = DokuPaths.CancelOrder;

    /// <summary>The card capture path.</summary>
    public const string CapturePath = DokuPaths.CardCapture;

    /// <summary>The card void and refund path.</summary>
    public const string CardRefundPath = DokuPaths.CardRefund;

    /// <summary>The ShopeePay refund path.</summary>
    public const string ShopeePayRefundPath = DokuPaths.ShopeePayRefund;

    /// <summary>The Akulaku refund path.</summary>
    public const string AkulakuRefundPath = DokuPaths.AkulakuRefund;

    /// <summary>
    /// Cancels an unpaid checkout order, with a new Request-Id. Cancelling a cancelled order succeeds again. A paid,
    /// expired or not cancellable order throws <see cref="DokuApiException"/> with status 400 and an
    /// <see cref="DokuApiException.ErrorCode"/>; an unknown invoice, 404. No notification follows.
    /// </summary>
    /// <param name="request">The invoice, optionally the checkout's Request-Id, and a note.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<CancelOrderResult> CancelOrderAsync(CancelOrderRequest request, CancellationToken cancellationToken = default)
        => CancelOrderAsync(request, DokuHttpSigning.NewRequestId(), cancellationToken);

    /// <summary>Cancels an unpaid checkout order with the given Request-Id (a repeat answers the original result, <see cref="DokuOperationResult.Replayed"/> set).</summary>
    /// <param name="request">The invoice, optionally the checkout's Request-Id, and a note.</param>
    /// <param name="requestId">The Request-Id: at most 128 printable ASCII characters.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<CancelOrderResult> CancelOrderAsync(CancelOrderRequest request, string requestId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync(CancelOrderPath, request, request.Validate, DokuJsonContext.Default.CancelOrderRequest,
            DokuJsonContext.Default.CancelOrderResult, "cancel-order response (no order.invoice_number)", requestId, cancellationToken);
    }

    /// <summary>
    /// Captures a card authorization, in full or in part, with a new Request-Id. An issuer decline is a result with
    /// <see cref="CaptureResult.IsSuccess"/> false; an unknown authorization throws <see cref="DokuApiException"/> 404,
    /// a captured, voided or lapsed one 400 <c>INVALID_STATE</c>. A notification follows a successful capture.
    /// </summary>
    /// <param name="request">The authorize id and the optional amount.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<CaptureResult> CaptureAsync(CaptureRequest request, CancellationToken cancellationToken = default)
        => CaptureAsync(request, DokuHttpSigning.NewRequestId(), cancellationToken);

    /// <summary>
    /// Captures a card authorization with the given Request-Id. Derive it from your own capture record: a repeat after
    /// a crash then answers the original capture (<see cref="DokuOperationResult.Replayed"/>) and never captures twice.
    /// </summary>
    /// <param name="request">The authorize id and the optional amount.</param>
    /// <param name="requestId">The Request-Id: at most 128 printable ASCII characters.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<CaptureResult> CaptureAsync(CaptureRequest request, string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync(CapturePath, request, request.Validate, DokuJsonContext.Default.CaptureRequest,
            DokuJsonContext.Default.CaptureResult, "capture response (no payment.status)", requestId, cancellationToken);
    }

    /// <summary>
    /// Voids or refunds a card payment, with a new Request-Id. Before settlement only the full amount succeeds (type
    /// <c>VOID</c>; a partial amount is a result with <see cref="CardRefundResult.IsSuccess"/> false); after it,
    /// <c>PARTIAL_REFUND</c> or <c>FULL_REFUND</c> up to the paid amount. More than that, an unpaid or non-card order
    /// throws <see cref="DokuApiException"/> 400; an unknown invoice or Request-Id, 404.
    /// </summary>
    /// <param name="request">The invoice, the original Request-Id and the amount.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<CardRefundResult> RefundCardAsync(CardRefundRequest request, CancellationToken cancellationToken = default)
        => RefundCardAsync(request, DokuHttpSigning.NewRequestId(), cancellationToken);

    /// <summary>
    /// Voids or refunds a card payment with the given Request-Id. Derive it from your own refund record: a repeat then
    /// answers the original refund (<see cref="DokuOperationResult.Replayed"/>) and never refunds twice. The refund's
    /// status can later be read with <c>GetStatusAsync(requestId)</c>.
    /// </summary>
    /// <param name="request">The invoice, the original Request-Id and the amount.</param>
    /// <param name="requestId">The Request-Id: at most 128 printable ASCII characters.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<CardRefundResult> RefundCardAsync(CardRefundRequest request, string requestId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync(CardRefundPath, request, request.Validate, DokuJsonContext.Default.CardRefundRequest,
            DokuJsonContext.Default.CardRefundResult, "card refund response (no refund.status)", requestId, cancellationToken);
    }

    /// <summary>Refunds a ShopeePay payment in full, with a new Request-Id. Identifiers that do not match throw <see cref="DokuApiException"/> 404.</summary>
    /// <param name="request">The invoice and the identifiers of the payment notification.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<WalletRefundResult> RefundShopeePayAsync(ShopeePayRefundRequest request, CancellationToken cancellationToken = default)
        => RefundShopeePayAsync(request, DokuHttpSigning.NewRequestId(), cancellationToken);

    /// <summary>Refunds a ShopeePay payment in full with the given Request-Id (a repeat answers the original refund).</summary>
    /// <param name="request">The invoice and the identifiers of the payment notification.</param>
    /// <param name="requestId">The Request-Id: at most 128 printable ASCII characters.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<WalletRefundResult> RefundShopeePayAsync(ShopeePayRefundRequest request, string requestId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync(ShopeePayRefundPath, request, request.Validate, DokuJsonContext.Default.ShopeePayRefundRequest,
            DokuJsonContext.Default.WalletRefundResult, "ShopeePay refund response", requestId, cancellationToken);
    }

    /// <summary>Refunds an Akulaku payment in full, with a new Request-Id. Identifiers that do not match throw <see cref="DokuApiException"/> 404.</summary>
    /// <param name="request">The invoice, the identifiers of the payment notification and your refund reference.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<WalletRefundResult> RefundAkulakuAsync(AkulakuRefundRequest request, CancellationToken cancellationToken = default)
        => RefundAkulakuAsync(request, DokuHttpSigning.NewRequestId(), cancellationToken);

    /// <summary>Refunds an Akulaku payment in full with the given Request-Id (a repeat answers the original refund).</summary>
    /// <param name="request">The invoice, the identifiers of the payment notification and your refund reference.</param>
    /// <param name="requestId">The Request-Id: at most 128 printable ASCII characters.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<WalletRefundResult> RefundAkulakuAsync(AkulakuRefundRequest request, string requestId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PostAsync(AkulakuRefundPath, request, request.Validate, DokuJsonContext.Default.AkulakuRefundRequest,
            DokuJsonContext.Default.WalletRefundResult, "Akulaku refund response", requestId, cancellationToken);
    }

    private async Task<TResult> PostAsync<TRequest, TResult>(string path, TRequest request, Func<IReadOnlyList<string>> validate,
        JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResult> resultType, string expected, string requestId,
        CancellationToken cancellationToken)
        where TResult : DokuOperationResult
    {
        DokuHttpSigning.CheckRequestId(requestId);
        if (_options.ValidateRequests && validate() is { Count: > 0 } errors)
        {
            throw new DokuValidationException(errors, requestId);
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var reply = await SendAsync(HttpMethod.Post, path, body, requestId, cancellationToken).ConfigureAwait(false);
        var result = Answer(reply, requestId, resultType, r => r.IsComplete, expected);
        result.RequestId = requestId;
        result.Replayed = reply.Status == 409;
        result.RawJson = reply.Text;
        return result;
    }
}
