using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Lunas.Protocol.Signing;
using Lunas.Protocol.Wire;
using Lunas.Server.Merchants;

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

    public NotificationSender(MerchantStore merchants, TimeProvider clock, LunasOptions options)
    {
        _merchants = merchants;
        _clock = clock;
        _timeout = options.Notifications.Timeout;
        var handler = new SocketsHttpHandler
        {
            // A redirect is a failed delivery (DOKU does not follow them either); the schedule retries it.
            AllowAutoRedirect = false,
            // A proxy would connect for us and bypass the private-address check; receivers are reached directly.
            UseProxy = false,
            ConnectTimeout = _timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = Math.Max(16, options.Notifications.Concurrency),
        };
        if (!options.Notifications.AllowPrivateAddresses)
        {
            handler.ConnectCallback = ConnectPublicOnlyAsync;
        }
        // The HTTP client's only policy is a timeout; the durable schedule is the retry policy.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <param name="requestId">The notification's own id for scheduled attempts (so a receiver can drop a retry it
    /// already processed); a fresh one for a manual resend.</param>
    public async Task<DeliveryAttempt> SendAsync(NotificationRow notification, string requestId, string kind,
        CancellationToken cancellationToken)
    {
        var started = _clock.GetUtcNow();
        var url = notification.Url!;
        var stopwatch = Stopwatch.StartNew();
        int? statusCode = null;
        string? error = null, excerpt = null;
        try
        {
            var merchant = await _merchants.FindAsync(notification.MerchantId, cancellationToken)
                           ?? throw new InvalidOperationException($"merchant {notification.MerchantId} no longer exists");
            var uri = new Uri(url);
            var body = Encoding.UTF8.GetBytes(notification.Body);
            var timestamp = DokuSignature.FormatTimestamp(started);
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Add(DokuHeaders.ClientId, merchant.ClientId);
            request.Headers.Add(DokuHeaders.RequestId, requestId);
            request.Headers.Add(DokuHeaders.RequestTimestamp, timestamp);
            // Decision (spec section 1): the target is the URL's path; a query string is not part of it.
            request.Headers.Add(DokuHeaders.Signature, DokuSignature.SignBody(merchant.SecretKey, merchant.ClientId, requestId, timestamp,
                uri.AbsolutePath, body, hasBody: true));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_timeout);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            statusCode = (int)response.StatusCode;
            excerpt = await ReadExcerptAsync(response, timeout.Token);
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
            error = $"timeout: no answer within {_timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException ex)
        {
            error = Describe(ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.Message;
        }
        return new DeliveryAttempt(Guid.CreateVersion7(started).ToString("N"), notification.NotificationId, requestId, 0, kind, url, started,
            statusCode, error, (int)Math.Min(int.MaxValue, stopwatch.ElapsedMilliseconds), excerpt);
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
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused";
                case AuthenticationException tls:
                    return "TLS failure: " + tls.Message;
                case SocketException socket:
                    return $"network error: {socket.SocketErrorCode}";
            }
        }
        return ex.HttpRequestError == HttpRequestError.NameResolutionError ? "DNS lookup failed: " + ex.Message : ex.Message;
    }

    private static async ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to private addresses, which Lunas:Notifications:AllowPrivateAddresses forbids");
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal
            || address.IsIPv6Multicast || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None)) return true;
        var b = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
               && (b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168)
                   || (b[0] == 169 && b[1] == 254) || b[0] == 0 || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] >= 224);
    }

    public void Dispose() => _http.Dispose();
}
