namespace Lunas.Client;

/// <summary>
/// Every failure of a DOKU call: an error answer (<see cref="Status"/> with DOKU's <c>error_messages</c>, or with the
/// Direct-API <c>error</c> object of the post-payment APIs, read into <see cref="ErrorCode"/> and
/// <see cref="ErrorType"/>), a request that failed validation before it was sent, a response whose signature does not
/// match, or no answer at all.
/// </summary>
/// <remarks>
/// <see cref="RequestId"/> is the idempotency key of the call. After a timeout or a network failure the payment may
/// have been created anyway: call <c>CreatePaymentAsync(request, exception.RequestId)</c> again and DOKU answers with
/// the original payment instead of creating a second one.
/// </remarks>
public class DokuApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status of the answer; null when there was none.</param>
    /// <param name="errorMessages">DOKU's <c>error_messages</c>, or a description of the failure.</param>
    /// <param name="requestId">The Request-Id the call was sent with.</param>
    /// <param name="responseBody">The response body, when there was one.</param>
    /// <param name="innerException">The transport failure, if any.</param>
    public DokuApiException(int? status, IReadOnlyList<string> errorMessages, string requestId, string? responseBody = null,
        Exception? innerException = null)
        : base(Describe(status, errorMessages, requestId), innerException)
    {
        Status = status;
        ErrorMessages = errorMessages;
        RequestId = requestId;
        ResponseBody = responseBody;
    }

    /// <summary>Creates the exception for an answer with DOKU's Direct-API <c>error</c> object.</summary>
    /// <param name="status">The HTTP status of the answer.</param>
    /// <param name="errorMessages">The answer's messages (<c>message</c>, <c>error.message</c> or <c>error_messages</c>).</param>
    /// <param name="requestId">The Request-Id the call was sent with.</param>
    /// <param name="responseBody">The response body.</param>
    /// <param name="errorCode"><c>error.code</c>, e.g. <c>INVALID_PARAMETER</c>; null when the answer has none.</param>
    /// <param name="errorType"><c>error.type</c>, e.g. <c>Invalid Parameter</c>; null when the answer has none.</param>
    public DokuApiException(int? status, IReadOnlyList<string> errorMessages, string requestId, string? responseBody,
        string? errorCode, string? errorType)
        : this(status, errorMessages, requestId, responseBody)
    {
        ErrorCode = errorCode;
        ErrorType = errorType;
    }

    /// <summary>The HTTP status code of DOKU's answer, or null when no answer was received or nothing was sent.</summary>
    public int? Status { get; }

    /// <summary>
    /// DOKU's <c>error_messages</c> (each names the field it is about), or for a Direct-API answer its <c>message</c>
    /// list or <c>error.message</c>, or what went wrong on this side.
    /// </summary>
    public IReadOnlyList<string> ErrorMessages { get; }

    /// <summary>
    /// <c>error.code</c> of a Direct-API error answer (capture, refunds, cancel order), e.g. <c>INVALID_PARAMETER</c>,
    /// <c>NOT_FOUND</c> or <c>INVALID_STATE</c> (see <see cref="DokuErrorCodes"/>); null for Checkout's
    /// <c>error_messages</c> answers and for answers without a code.
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary><c>error.type</c> of a Direct-API error answer, e.g. <c>Invalid Parameter</c>; null when there is none.</summary>
    public string? ErrorType { get; }

    /// <summary>The Request-Id of the call: quote it to DOKU support, or reuse it to retry idempotently.</summary>
    public string RequestId { get; }

    /// <summary>The raw response body, when a response was received.</summary>
    public string? ResponseBody { get; }

    /// <summary>
    /// True when sending the same request again with the same <see cref="RequestId"/> may succeed: no answer was
    /// received, or the answer was 502, 503 or 504.
    /// </summary>
    public bool IsTransient => Status is null or 502 or 503 or 504 && this is not DokuValidationException;

    private static string Describe(int? status, IReadOnlyList<string> errors, string requestId)
    {
        var what = status is { } code ? $"DOKU answered HTTP {code}" : "DOKU call failed";
        return errors.Count == 0
            ? $"{what} (Request-Id {requestId})."
            : $"{what} (Request-Id {requestId}): {string.Join("; ", errors)}";
    }
}

/// <summary>
/// A request broke DOKU's rules (for a create payment, those of DOKU's create-payment page; for the post-payment calls,
/// the mandatory fields and limits of their bodies) and was not sent.
/// <see cref="DokuApiException.Status"/> is null and <see cref="DokuApiException.ErrorMessages"/> lists every problem,
/// each starting with the field path, in the words DOKU's 400 would use.
/// </summary>
public sealed class DokuValidationException : DokuApiException
{
    /// <summary>Creates the exception for a request that was not sent.</summary>
    /// <param name="errorMessages">Every rule the request breaks.</param>
    /// <param name="requestId">The Request-Id the request would have been sent with.</param>
    public DokuValidationException(IReadOnlyList<string> errorMessages, string requestId)
        : base(null, errorMessages, requestId)
    {
    }
}

/// <summary>
/// A response's <c>Signature</c> header does not match its body (or is missing while
/// <see cref="DokuCheckoutOptions.RequireResponseSignature"/> is set): the answer was not acted upon.
/// </summary>
public sealed class DokuSignatureException : DokuApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The HTTP status of the rejected response.</param>
    /// <param name="reason">Why the signature was rejected.</param>
    /// <param name="requestId">The Request-Id of the call.</param>
    /// <param name="responseBody">The rejected response body.</param>
    public DokuSignatureException(int status, string reason, string requestId, string? responseBody)
        : base(status, [reason], requestId, responseBody)
    {
    }
}

/// <summary>
/// Values of <see cref="DokuApiException.ErrorCode"/> the post-payment APIs answer with (DOKU documents
/// <c>INVALID_PARAMETER</c>; the others are Lunas's, following spec <c>doku-post-payment.md</c>). DOKU may send others.
/// </summary>
public static class DokuErrorCodes
{
    /// <summary>A field is missing or wrong; the message names it.</summary>
    public const string InvalidParameter = "INVALID_PARAMETER";

    /// <summary>No such invoice, Request-Id or authorization for this merchant.</summary>
    public const string NotFound = "NOT_FOUND";

    /// <summary>The payment is not in a state that allows the operation (not paid, already captured, voided, refunded).</summary>
    public const string InvalidState = "INVALID_STATE";

    /// <summary>Cancel order: the order is already paid.</summary>
    public const string OrderAlreadyPaid = "ORDER_ALREADY_PAID";

    /// <summary>Cancel order: the order has expired.</summary>
    public const string OrderExpired = "ORDER_EXPIRED";

    /// <summary>Cancel order: the channel the customer chose cannot be cancelled (cards, e-wallets, some VAs, …).</summary>
    public const string ChannelNotSupported = "CHANNEL_NOT_SUPPORTED";
}
