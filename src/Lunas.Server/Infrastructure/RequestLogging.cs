using System.Diagnostics;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Infrastructure;

/// <summary>
/// One line per request (method, path, status, duration, Client-Id), and the one place unexpected exceptions become
/// a 500 with <c>error_messages</c> instead of a stack trace. A page token is the customer's whole authority over the
/// page, so page paths are logged with it replaced by <c>***</c>; ids that are not well formed are not logged at all.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger, LunasOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            if (ex is BadHttpRequestException or InvalidDataException)
            {
                // Malformed input that failed below our own checks (a broken form, a body over Kestrel's limit).
                var status = ex is BadHttpRequestException bad ? bad.StatusCode : 400;
                LogBadRequest(logger, context.Request.Method, Redact(context.Request.Path), ex.Message);
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await ErrorBody.WriteAsync(context, status, [ex.Message], CancellationToken.None);
                }
            }
            else
            {
                LogFailure(logger, ex, context.Request.Method, Redact(context.Request.Path));
                if (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await ErrorBody.WriteAsync(context, 500, ["internal error; the request was not completed"], CancellationToken.None);
                }
            }
        }
        finally
        {
            if (options.RequestLog && logger.IsEnabled(LogLevel.Information))
            {
                var headers = context.Request.Headers;
                LogRequest(logger, context.Request.Method, Redact(context.Request.Path), context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    Loggable(headers[DokuHeaders.ClientId].ToString(), DokuHeaders.MaxClientIdLength),
                    Loggable(headers[DokuHeaders.RequestId].ToString(), DokuHeaders.MaxRequestIdLength));
            }
        }
    }

    /// <summary><c>/checkout-link-v2/{token}/…</c> as <c>/checkout-link-v2/***/…</c>; other paths as they are.</summary>
    public static string Redact(PathString path)
    {
        var text = path.Value ?? "";
        if (!text.StartsWith(DokuPaths.CheckoutPagePrefix, StringComparison.OrdinalIgnoreCase)) return text;
        var start = DokuPaths.CheckoutPagePrefix.Length;
        var end = text.IndexOf('/', start);
        var segment = end < 0 ? text[start..] : text[start..end];
        return segment == "assets" ? text : text[..start] + "***" + (end < 0 ? "" : text[end..]);
    }

    private static string Loggable(string id, int maxLength)
        => id.Length <= maxLength && DokuHeaders.IsPrintableAscii(id) ? id : "(invalid)";

    [LoggerMessage(1, LogLevel.Information, "{Method} {Path} {Status} {ElapsedMs:0.0}ms client={ClientId} request={RequestId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double elapsedMs,
        string clientId, string requestId);

    [LoggerMessage(2, LogLevel.Error, "Unhandled exception on {Method} {Path}")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(3, LogLevel.Warning, "Bad request on {Method} {Path}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, string reason);
}
