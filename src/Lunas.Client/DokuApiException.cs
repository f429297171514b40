namespace Lunas.Client;

/// <summary>
/// Every failure of a DOKU call: an error answer (<see cref="Status"/> with DOKU's <c>error_messages</c>), a request
/// that failed validation before it was sent, a response whose signature does not match, or no answer at all.
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

    /// <summary>The HTTP status code of DOKU's answer, or null when no answer was received or nothing was sent.</summary>
    public int? Status { get; }

    /// <summary>DOKU's <c>error_messages</c> (each names the field it is about), or what went wrong on this side.</summary>
    public IReadOnlyList<string> ErrorMessages { get; }

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
/// A create-payment request broke the rules of DOKU's create-payment page and was not sent.
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
