using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Lunas.Protocol.Checkout;
using Lunas.Protocol.Wire;

namespace Lunas.Client;

/// <summary>
/// The DOKU Checkout API from a merchant's backend: create a payment (and send the customer to its
/// <see cref="CheckoutResponse.PaymentUrl"/>), check a payment's status, and after checkout cancel an unpaid order,
/// capture a card authorization, void or refund a card payment, and refund ShopeePay and Akulaku payments. Every call is signed with a fresh
/// timestamp; a transient failure is retried with the same Request-Id, so a retried create never makes a second
/// payment. Register it with <c>services.AddDokuCheckout(...)</c>, or construct it with any <see cref="HttpClient"/>.
/// </summary>
/// <remarks>Thread-safe: one instance can serve any number of concurrent calls.</remarks>
public sealed partial class DokuCheckoutClient
{
    /// <summary>The create-payment path.</summary>
    public const string CreatePaymentPath = DokuPaths.CreatePayment;

    /// <summary>The status path, followed by the invoice number or the Request-Id of the checkout.</summary>
    public const string StatusPathPrefix = DokuPaths.StatusPrefix;

    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly ProductInfoHeaderValue UserAgent =
        new("Lunas.Client", typeof(DokuCheckoutClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly HttpClient _http;
    private readonly DokuCheckoutOptions _options;
    private readonly TimeProvider _clock;
    private readonly string _baseUrl;

    /// <summary>Creates a client over <paramref name="httpClient"/> (its <c>BaseAddress</c> is not used).</summary>
    /// <param name="httpClient">The HTTP client; from <c>IHttpClientFactory</c> when registered with <c>AddDokuCheckout</c>.</param>
    /// <param name="options">Base URL, credentials and retry settings; checked here, an <see cref="ArgumentException"/> names every problem.</param>
    /// <param name="timeProvider">The clock for timestamps and retry delays; the system clock when null.</param>
    public DokuCheckoutClient(HttpClient httpClient, DokuCheckoutOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _http = httpClient;
        _options = options;
        _clock = timeProvider ?? TimeProvider.System;
        _baseUrl = options.BaseUrl.TrimEnd('/');
    }

    /// <summary>
    /// Creates a checkout page with a new Request-Id. Throws <see cref="DokuValidationException"/> (nothing sent) when
    /// the request breaks the rules of DOKU's create-payment page, <see cref="DokuApiException"/> for DOKU's error
    /// answers, and <see cref="DokuSignatureException"/> when the answer's signature does not match.
    /// </summary>
    /// <param name="request">The order, payment options and customer data.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public Task<CheckoutResponse> CreatePaymentAsync(CheckoutRequest request, CancellationToken cancellationToken = default)
        => CreatePaymentAsync(request, DokuHttpSigning.NewRequestId(), cancellationToken);

    /// <summary>
    /// Creates a checkout page with the given Request-Id, DOKU's idempotency key. Use it to make creation idempotent
    /// beyond this process: derive the Request-Id from your order, and a repeat of the call (after a crash, or after a
    /// <see cref="DokuApiException"/> with no answer) returns the payment the first call made, with
    /// <see cref="CheckoutResponse.Replayed"/> set, instead of creating another.
    /// </summary>
    /// <param name="request">The order, payment options and customer data.</param>
    /// <param name="requestId">The Request-Id: unique per payment, at most 128 printable ASCII characters.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public async Task<CheckoutResponse> CreatePaymentAsync(CheckoutRequest request, string requestId,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        DokuHttpSigning.CheckRequestId(requestId);
        if (_options.ValidateRequests && Validate(request) is { Count: > 0 } errors)
        {
            throw new DokuValidationException(errors, requestId);
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(request, DokuJsonContext.Default.CheckoutRequest);
        var reply = await SendAsync(HttpMethod.Post, CreatePaymentPath, body, requestId, cancellationToken).ConfigureAwait(false);
        var response = Answer(reply, requestId, DokuJsonContext.Default.CheckoutResponse, r => r is { Response.Payment.Url.Length: > 0 },
            "create-payment response (no response.payment.url)");
        response.RequestId = requestId;
        response.Replayed = reply.Status == 409;
        response.RawJson = reply.Text;
        return response;
    }

    /// <summary>
    /// The current state of a payment, by the invoice number or by the Request-Id the checkout was created with.
    /// An unknown one throws <see cref="DokuApiException"/> with status 404.
    /// </summary>
    /// <param name="invoiceNumberOrRequestId">The invoice number, or the Request-Id of the create-payment call.</param>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public async Task<DokuOrderStatus> GetStatusAsync(string invoiceNumberOrRequestId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(invoiceNumberOrRequestId);
        var requestId = DokuHttpSigning.NewRequestId();
        var reply = await SendAsync(HttpMethod.Get, StatusPathPrefix + Uri.EscapeDataString(invoiceNumberOrRequestId), null,
            requestId, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw Error(reply, requestId);
        }
        VerifySignature(reply, requestId);
        var status = TryParse(reply.Body, DokuJsonContext.Default.DokuOrderStatus);
        if (status is not { IsComplete: true })
        {
            throw new DokuApiException(reply.Status, ["the answer is not a DOKU status response (no order.invoice_number or transaction.status)"],
                requestId, reply.Text);
        }
        status.RawJson = reply.Text;
        return status;
    }

    /// <summary>
    /// Every rule of DOKU's create-payment page that <paramref name="request"/> breaks (field lengths, allowed values,
    /// each requested channel's conditions), each message starting with the field path; empty when it is valid.
    /// The same rules Lunas enforces, from <c>Lunas.Protocol</c>.
    /// </summary>
    /// <param name="request">The request to check.</param>
    public static IReadOnlyList<string> Validate(CheckoutRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new ValidationErrors();
        CheckoutRules.Validate(request, enabled: null, errors);
        return errors.Messages();
    }

    // maxRetries overrides the options' retries: 0 for a call that is not idempotent.
    private async Task<Reply> SendAsync(HttpMethod method, string path, byte[]? body, string requestId,
        CancellationToken cancellationToken, int? maxRetries = null)
    {
        var uri = new Uri(_baseUrl + path, UriKind.Absolute);
        var retries = maxRetries ?? _options.MaxRetries;
        for (var attempt = 0; ; attempt++)
        {
            using var message = new HttpRequestMessage(method, uri);
            if (body is not null)
            {
                message.Content = new ByteArrayContent(body);
                message.Content.Headers.ContentType = JsonType;
            }
            message.Headers.UserAgent.Add(UserAgent);
            // Same Request-Id on every attempt (the idempotency key); a fresh timestamp and signature each time.
            DokuHttpSigning.SignRequest(message, _options.ClientId, _options.SecretKey, requestId, _clock.GetUtcNow(), body);

            Exception failure;
            using (var timeout = new CancellationTokenSource(_options.AttemptTimeout, _clock))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, linked.Token)
                        .ConfigureAwait(false);
                    var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
                    var reply = new Reply((int)response.StatusCode, response.ReasonPhrase, bytes, uri.AbsolutePath,
                        response.Headers.Contains(DokuHttpSigning.SignatureHeader), Header(response, DokuHttpSigning.SignatureHeader),
                        Header(response, DokuHttpSigning.ResponseTimestampHeader));
                    if (reply.Status is not (502 or 503 or 504) || attempt >= retries)
                    {
                        return reply;
                    }
                    failure = new HttpRequestException($"HTTP {reply.Status}");
                }
                catch (HttpRequestException ex)
                {
                    failure = ex;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new TimeoutException(
                        $"no answer within {_options.AttemptTimeout.TotalSeconds:0.###} s from {uri.GetLeftPart(UriPartial.Authority)}", ex);
                }
            }
            if (attempt >= retries)
            {
                throw new DokuApiException(null,
                    [$"{failure.Message} (after {attempt + 1} attempt(s); send again with the same Request-Id to get the original answer)"],
                    requestId, innerException: failure);
            }
            var delay = _options.RetryDelay * Math.Pow(2, attempt);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void VerifySignature(Reply reply, string requestId)
    {
        if (!_options.VerifyResponseSignatures)
        {
            return;
        }
        if (!reply.HasSignature)
        {
            if (_options.RequireResponseSignature)
            {
                throw new DokuSignatureException(reply.Status, "the response has no Signature header (RequireResponseSignature is set)",
                    requestId, reply.Text);
            }
            return;
        }
        var result = DokuHttpSigning.VerifyResponse(reply.Signature, reply.ResponseTimestamp, reply.Body, reply.Target,
            _options.ClientId, requestId, _options.SecretKey);
        if (!result.IsValid)
        {
            throw new DokuSignatureException(reply.Status, result.Reason!, requestId, reply.Text);
        }
    }

    // 409 with the original success body: this Request-Id already did it (a replay), and that is its answer. A 409 with
    // an error body (another body under this Request-Id, or a replayed refusal) is an error.
    private T Answer<T>(Reply reply, string requestId, JsonTypeInfo<T> type, Func<T, bool> isComplete, string expected) where T : class
    {
        if (reply.IsSuccess || (reply.Status == 409 && TryParse(reply.Body, DokuJsonContext.Default.DokuErrorBody) is not { IsError: true }))
        {
            if (TryParse(reply.Body, type) is { } answer && isComplete(answer))
            {
                VerifySignature(reply, requestId);
                return answer;
            }
            if (reply.IsSuccess)
            {
                VerifySignature(reply, requestId);
                throw new DokuApiException(reply.Status, [$"the answer is not a DOKU {expected}"], requestId, reply.Text);
            }
        }
        throw Error(reply, requestId);
    }

    // Error answers are reported whatever their signature: they are never acted upon, and a wrong Secret Key makes
    // DOKU's 401 carry a signature this side cannot verify.
    private static DokuApiException Error(Reply reply, string requestId)
    {
        var body = TryParse(reply.Body, DokuJsonContext.Default.DokuErrorBody);
        var messages = body?.ErrorMessages is { Count: > 0 } errors ? errors
            : body?.Message is { Count: > 0 } message ? message
            : body?.Error?.Message is { Length: > 0 } text ? [text]
            : [$"HTTP {reply.Status} {reply.ReasonPhrase}".TrimEnd() + (reply.Body.Length > 0 ? ": " + Excerpt(reply.Text) : "")];
        return new DokuApiException(reply.Status, messages, requestId, reply.Text, body?.Error?.Code, body?.Error?.Type);
    }

    private static T? TryParse<T>(byte[] body, JsonTypeInfo<T> type) where T : class
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) && values.Take(2).ToList() is [var only] ? only : null;

    private static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private sealed record Reply(int Status, string? ReasonPhrase, byte[] Body, string Target, bool HasSignature,
        string? Signature, string? ResponseTimestamp)
    {
        public bool IsSuccess => Status is >= 200 and < 300;

        public string Text => Encoding.UTF8.GetString(Body);
    }
}
