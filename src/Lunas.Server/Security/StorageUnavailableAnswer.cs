using System.Globalization;
using Lunas.Server.Storage;
using Lunas.Server.Infrastructure;

namespace Lunas.Server.Security;

/// <summary>
/// The one place a write that was not committed in time, or found no room (<see cref="StorageUnavailableException"/>),
/// becomes the HTTP answer: 503 with <c>error_messages</c> and <c>Retry-After</c>, signed like any other answer when the request was.
/// </summary>
public sealed partial class StorageUnavailableAnswer(RequestDelegate next, TimeProvider clock, ILogger<StorageUnavailableAnswer> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (StorageUnavailableException ex) when (!context.Response.HasStarted)
        {
            LogUnavailable(logger, context.Request.Method, context.Request.Path, ex.Message);
            var response = context.Response;
            response.Clear();
            response.Headers.RetryAfter = ex.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            var body = ErrorBody.Create([ex.Message]);
            if (context.Features.Get<Authentication>() is { } auth)
            {
                await ResponseSigner.WriteSignedAsync(context, StatusCodes.Status503ServiceUnavailable, body, auth, clock, CancellationToken.None);
            }
            else
            {
                await ErrorBody.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, [ex.Message], CancellationToken.None);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Storage unavailable on {Method} {Path}: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, PathString path, string reason);
}
