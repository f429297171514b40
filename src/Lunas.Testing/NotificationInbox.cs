using System.Text.Json;
using Lunas.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lunas.Testing;

// A Kestrel listener on 127.0.0.1 in the test process that stands in for the merchant's notification receiver. A
// notification that fails verification is answered 401 and kept out of the inbox, as a careful merchant would.
internal sealed class NotificationInbox : IAsyncDisposable
{
    public const string Path = "/lunas-testing/notifications";

    private readonly WebApplication _app;
    private readonly List<DokuNotification> _received = [];
    private readonly List<string> _rejections = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NotificationInbox(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<NotificationInbox> StartAsync(DokuNotificationVerifier verifier, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var inbox = new NotificationInbox(builder.Build());
        inbox._app.MapPost(Path, (HttpContext context) => inbox.ReceiveAsync(context, verifier));
        await inbox._app.StartAsync(cancellationToken).ConfigureAwait(false);
        inbox.Url = Lunas.Server.LunasApp.Addresses(inbox._app).First() + Path;
        return inbox;
    }

    public IReadOnlyList<DokuNotification> Received
    {
        get { lock (_received) return _received.ToArray(); }
    }

    public IReadOnlyList<string> Rejections
    {
        get { lock (_received) return _rejections.ToArray(); }
    }

    private async Task ReceiveAsync(HttpContext context, DokuNotificationVerifier verifier)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.ToArray();
        var check = verifier.Verify(context.Request.Headers, body, context.Request.Path.Value ?? Path);
        DokuNotification? notification = null;
        string? rejection = check.IsValid ? null : check.Reason;
        if (check.IsValid)
        {
            try
            {
                notification = DokuNotification.Parse(body);
            }
            catch (JsonException e)
            {
                rejection = e.Message;
            }
        }
        lock (_received)
        {
            if (notification is null)
            {
                _rejections.Add(rejection ?? "unreadable");
            }
            else
            {
                notification.RequestId = context.Request.Headers["Request-Id"].ToString();
                _received.Add(notification);
            }
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        context.Response.StatusCode = notification is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK;
    }

    /// <summary>The first received notification matching <paramref name="match"/>, waiting for it until the token fires.</summary>
    public async Task<DokuNotification> WaitAsync(Func<DokuNotification, bool> match, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_received)
            {
                if (_received.FirstOrDefault(match) is { } found) return found;
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Clear()
    {
        lock (_received)
        {
            _received.Clear();
            _rejections.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
