using System.Text.Json;
using Lunas.Client;
using Lunas.Protocol.Wire;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the endpoint DOKU POSTs payment notifications to.</summary>
public static class DokuNotificationEndpointExtensions
{
    private const string MissingRegistration =
        "MapDokuNotifications needs services.AddDokuCheckout(...) to register the DokuNotificationVerifier.";

    private static readonly byte[] Acknowledged = """{"message":["OK"]}"""u8.ToArray();

    /// <summary>
    /// Maps <c>POST <paramref name="pattern"/></c>: reads the raw body, verifies the signature with the
    /// <see cref="DokuNotificationVerifier"/> registered by <c>AddDokuCheckout</c>, parses a
    /// <see cref="DokuNotification"/> and calls <paramref name="handler"/>. Answers 200 when the handler completes,
    /// 401 when the signature is invalid (the body says why; the handler is not called), 400 when the body is not a
    /// notification, 413 when it is too large. An exception from the handler becomes a 500, so DOKU delivers again.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="pattern">The path of the notification URL configured at DOKU, e.g. <c>/payments/notifications</c>.</param>
    /// <param name="handler">The merchant's handler. It may run more than once for one notification (DOKU retries); make it idempotent.</param>
    public static IEndpointConventionBuilder MapDokuNotifications(this IEndpointRouteBuilder endpoints, string pattern,
        Func<DokuNotification, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return endpoints.MapDokuNotifications(pattern, (notification, _, cancellationToken) => handler(notification, cancellationToken));
    }

    /// <summary>
    /// Like <see cref="MapDokuNotifications(IEndpointRouteBuilder, string, Func{DokuNotification, CancellationToken, Task})"/>,
    /// with the <see cref="HttpContext"/> (for <c>RequestServices</c>) passed to the handler.
    /// </summary>
    /// <param name="endpoints">The application's routes.</param>
    /// <param name="pattern">The path of the notification URL configured at DOKU.</param>
    /// <param name="handler">The merchant's handler; make it idempotent.</param>
    public static IEndpointConventionBuilder MapDokuNotifications(this IEndpointRouteBuilder endpoints, string pattern,
        Func<DokuNotification, HttpContext, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(handler);
        // Resolved once here: all three are singletons, so a request never looks them up.
        var services = endpoints.ServiceProvider;
        var verifier = services.GetService<DokuNotificationVerifier>() ?? throw new InvalidOperationException(MissingRegistration);
        var receiver = new Receiver(verifier, services.GetRequiredService<IOptions<DokuCheckoutOptions>>().Value,
            services.GetService<ILoggerFactory>()?.CreateLogger("Lunas.Client.DokuNotifications"), handler);
        return endpoints.MapPost(pattern, (RequestDelegate)(context => HandleAsync(context, receiver)));
    }

    private sealed record Receiver(DokuNotificationVerifier Verifier, DokuCheckoutOptions Options, ILogger? Logger,
        Func<DokuNotification, HttpContext, CancellationToken, Task> Handler);

    private static async Task HandleAsync(HttpContext context, Receiver receiver)
    {
        var (verifier, options, logger, handler) = receiver;
        var cancellationToken = context.RequestAborted;

        var body = await ReadBodyAsync(context.Request, options.MaxNotificationBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"the notification body is larger than {options.MaxNotificationBytes} bytes", cancellationToken).ConfigureAwait(false);
            return;
        }

        var path = RequestTarget(context.Request);
        var verification = verifier.Verify(context.Request.Headers, body, path);
        if (!verification.IsValid)
        {
            logger?.LogWarning("DOKU notification to {Path} rejected: {Reason}", path, verification.Reason);
            await WriteAsync(context, StatusCodes.Status401Unauthorized, verification.Reason!, cancellationToken).ConfigureAwait(false);
            return;
        }

        DokuNotification notification;
        try
        {
            notification = DokuNotification.Parse(body);
        }
        catch (JsonException ex)
        {
            logger?.LogWarning("DOKU notification to {Path} is signed but not a notification: {Error}", path, ex.Message);
            await WriteAsync(context, StatusCodes.Status400BadRequest, "the body is not a DOKU notification: " + ex.Message,
                cancellationToken).ConfigureAwait(false);
            return;
        }
        notification.RequestId = context.Request.Headers[DokuHttpSigning.RequestIdHeader].ToString();
        notification.ClientId = context.Request.Headers[DokuHttpSigning.ClientIdHeader].ToString();

        await handler(notification, context, cancellationToken).ConfigureAwait(false);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Acknowledged, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The path as the sender wrote it (still percent-encoded, before any path base was stripped), without the query.</summary>
    private static string RequestTarget(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            var query = raw.IndexOf('?', StringComparison.Ordinal);
            return query < 0 ? raw : raw[..query];
        }
        return (request.PathBase + request.Path).ToUriComponent();
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }
        using var buffer = new MemoryStream(request.ContentLength is > 0 and var length ? (int)length : 1024);
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static Task WriteAsync(HttpContext context, int status, string error, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, DokuJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("error_messages");
            writer.WriteStringValue(error);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(stream.ToArray(), cancellationToken).AsTask();
    }
}
