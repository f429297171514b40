using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;
using Lunas.Server.Merchants;
using Lunas.Server.Telemetry;

namespace Lunas.Server.Notifications;

/// <summary>
/// One POST of a notification, signed the DOKU way with a fresh Request-Id, whose Request-Target is the path of the
/// receiver's URL. Every outcome, success or not, becomes a <see cref="DeliveryAttempt"/>; nothing here throws.
/// </summary>
public sealed class NotificationSender : IDisposable
{
    public const int ExcerptBytes = 512;

    private readonly HttpClient _http;
    private readonly MerchantStore _merchants;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _timeout;

    private readonly DestinationPolicy _policy;
    private readonly DestinationResolver _resolver;
    private readonly LunasMetrics _metrics;

    public NotificationSender(MerchantStore merchants, TimeProvider clock, LunasOptions options, DestinationPolicy policy,
        DestinationResolver resolver, LunasMetrics metrics)
    {
        _merchants = merchants;
        _metrics = metrics;
        _clock = clock;
        _policy = policy;
        _resolver = resolver;
        _timeout = options.Notifications.Timeout;
        var handler = new SocketsHttpHandler
        {
            // A redirect is a failed delivery (DOKU does not follow them either); the schedule retries it.
            AllowAutoRedirect = false,
            // A proxy would connect for us and bypass the destination policy; receivers are reached directly.
            UseProxy = false,
            ConnectTimeout = _timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = Math.Max(16, options.Notifications.ConcurrencyPerHost),
            // Every new connection resolves and checks its addresses here, so a name that changes what it resolves to
            // (DNS rebinding) is checked again each time.
            ConnectCallback = ConnectAllowedAsync,
        };
        // The HTTP client's only policy is a timeout; the durable schedule is the retry policy.
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>How long a notification's receiver has to answer (Lunas:Notifications:Timeout).</summary>
    public TimeSpan Timeout => _timeout;

    /// <param name="requestId">The notification's own id for scheduled attempts (so a receiver can drop a retry it
    /// already processed); a fresh one for a manual resend.</param>
    public Task<DeliveryAttempt> SendAsync(NotificationRow notification, string requestId, string kind,
        CancellationToken cancellationToken)
        => SendAsync(notification, requestId, kind, Tamper.None, _timeout, cancellationToken);

    /// <summary>A send made wrong on purpose (<paramref name="tamper"/>), within <paramref name="timeout"/>: sandbox faults and receiver checks.</summary>
    public async Task<DeliveryAttempt> SendAsync(NotificationRow notification, string requestId, string kind, Tamper tamper,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _clock.GetUtcNow();
        var url = notification.Url!;
        var stopwatch = Stopwatch.StartNew();
        int? statusCode = null;
        string? error = null, excerpt = null;
        var timedOut = false;
        try
        {
            var merchant = await _merchants.FindAsync(notification.MerchantId, cancellationToken)
                           ?? throw new InvalidOperationException($"merchant {notification.MerchantId} no longer exists");
            using var request = Build(merchant, new Uri(url), Encoding.UTF8.GetBytes(notification.Body), requestId, started, tamper);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
            statusCode = (int)response.StatusCode;
            excerpt = await ReadExcerptAsync(response, limit.Token);
            if (statusCode is >= 300 and < 400)
            {
                error = $"redirect {statusCode} to {response.Headers.Location} (not followed)";
            }
            else if (statusCode is < 200 or >= 300)
            {
                error = $"HTTP {statusCode}";
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"timeout: no answer within {timeout.TotalSeconds:0.###} s";
            timedOut = true;
        }
        catch (HttpRequestException ex)
        {
            error = Describe(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.Message;
        }
        _metrics.NotificationSent(stopwatch.Elapsed, error is null ? null
            : timedOut ? LunasMetrics.Timeout : statusCode is null ? LunasMetrics.Transport : LunasMetrics.HttpStatus);
        return new DeliveryAttempt(Guid.CreateVersion7(started).ToString("N"), notification.NotificationId, requestId, 0, kind, url, started,
            statusCode, error, (int)Math.Min(int.MaxValue, stopwatch.ElapsedMilliseconds), excerpt) { TimedOut = timedOut };
    }

    private static HttpRequestMessage Build(Merchant merchant, Uri uri, byte[] body, string requestId, DateTimeOffset now, Tamper tamper)
    {
        var timestamp = DokuSignature.FormatTimestamp(tamper == Tamper.StaleTimestamp ? now.AddMinutes(-10) : now);
        // Decision (spec section 1): the target is the URL's path; a query string is not part of it.
        var target = tamper == Tamper.WrongTarget ? uri.AbsolutePath.TrimEnd('/') + "/not-this-path" : uri.AbsolutePath;
        var key = tamper == Tamper.WrongSignature ? merchant.SecretKey + "-not-the-key" : merchant.SecretKey;
        var signature = DokuSignature.SignBody(key, merchant.ClientId, requestId, timestamp, target, body, hasBody: true);
        var sent = tamper == Tamper.BodyChanged ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"SUCCESS\"", "\"FAILED\"",
            StringComparison.Ordinal) + " ") : body;
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(sent) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add(DokuHeaders.ClientId, merchant.ClientId);
        request.Headers.Add(DokuHeaders.RequestId, requestId);
        request.Headers.Add(DokuHeaders.RequestTimestamp, timestamp);
        if (tamper != Tamper.MissingSignature) request.Headers.Add(DokuHeaders.Signature, signature);
        return request;
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[ExcerptBytes];
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        // Stored as text: a NUL (which PostgreSQL's TEXT refuses) or other control bytes become U+FFFD.
        return string.Create(Encoding.UTF8.GetCharCount(buffer, 0, read), (buffer, read), static (span, state) =>
        {
            Encoding.UTF8.GetChars(state.buffer.AsSpan(0, state.read), span);
            for (var i = 0; i < span.Length; i++)
            {
                if (char.IsControl(span[i]) && span[i] is not ('\n' or '\r' or '\t')) span[i] = '\uFFFD';
            }
        });
    }

    private static string Describe(HttpRequestException ex)
    {
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case DestinationRefusedException refused:
                    return refused.Message;
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain }:
                    return "DNS lookup failed: " + inner.Message;
                case AuthenticationException tls:
                    return "TLS failure: " + tls.Message;
                case SocketException socket:
                    return $"network error: {socket.SocketErrorCode}";
            }
        }
        return ex.HttpRequestError == HttpRequestError.NameResolutionError ? "DNS lookup failed: " + ex.Message : ex.Message;
    }

    private async ValueTask<Stream> ConnectAllowedAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var allowed = new List<IPAddress>();
        string? refusal = null;
        foreach (var address in await _resolver.ResolveAsync(host, cancellationToken))
        {
            if (_policy.Refusal(address) is { } why) refusal ??= why;
            else allowed.Add(address);
        }
        if (allowed.Count == 0)
        {
            throw new DestinationRefusedException(refusal is null
                ? $"DNS lookup failed: {host} has no address"
                : $"{DestinationRefusedException.Prefix}: {host}: {refusal}");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed.ToArray(), context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>Name resolution of notification destinations: the system's, replaceable (tests map names to addresses).</summary>
public class DestinationResolver
{
    public virtual Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
        => IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var literal)
            ? Task.FromResult(new[] { literal })
            : Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>How a send is made wrong on purpose; <see cref="None"/> for every real notification.</summary>
public enum Tamper
{
    None,
    WrongSignature,
    BodyChanged,
    StaleTimestamp,
    MissingSignature,
    WrongTarget,
}

/// <summary>No address of the destination is allowed by the <see cref="DestinationPolicy"/>: nothing was contacted.</summary>
public sealed class DestinationRefusedException(string message) : Exception(message)
{
    public const string Prefix = "destination not allowed by policy";
}
