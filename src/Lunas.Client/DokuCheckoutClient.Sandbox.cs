using System.Globalization;
using System.Text;
using System.Text.Json.Serialization.Metadata;

namespace Lunas.Client;

// Lunas's sandbox test controls. These are not DOKU APIs: against the real DOKU each call fails with a DokuApiException
// that says so.
public sealed partial class DokuCheckoutClient
{
    /// <summary>Lunas only: the merchant's sandbox clock.</summary>
    public const string SandboxClockPath = "/sandbox/v1/clock";

    /// <summary>Lunas only: all of the merchant's sandbox data.</summary>
    public const string SandboxDataPath = "/sandbox/v1/data";

    /// <summary>
    /// <b>Lunas only</b> (not a DOKU API): the merchant's current time on Lunas and how far it runs ahead of real time.
    /// Against anything but a Lunas with its sandbox on, throws <see cref="DokuApiException"/> saying this is a Lunas
    /// sandbox call.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public async Task<LunasSandboxClock> GetSandboxClockAsync(CancellationToken cancellationToken = default)
    {
        var requestId = DokuHttpSigning.NewRequestId();
        var reply = await SendAsync(HttpMethod.Get, SandboxClockPath, null, requestId, cancellationToken).ConfigureAwait(false);
        return SandboxAnswer(reply, requestId, DokuJsonContext.Default.LunasSandboxClock, c => c.Now != default);
    }

    /// <summary>
    /// <b>Lunas only</b> (not a DOKU API): moves the merchant's time on Lunas forward by <paramref name="by"/>, so orders
    /// expire, recovery windows close, card holds lapse, settlement passes and notification retries fall due without
    /// waiting. Only this merchant's time moves; signatures stay on real time. Not retried (an advance is not idempotent).
    /// </summary>
    /// <param name="by">A positive whole number of seconds, at most ten years.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is not a positive whole number of seconds.</exception>
    public async Task<LunasSandboxClock> AdvanceSandboxClockAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        if (by <= TimeSpan.Zero || by.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "the sandbox clock moves forward by a positive whole number of seconds");
        }
        var requestId = DokuHttpSigning.NewRequestId();
        var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"advance_seconds":{{by.Ticks / TimeSpan.TicksPerSecond}}}"""));
        var reply = await SendAsync(HttpMethod.Post, SandboxClockPath, body, requestId, cancellationToken, maxRetries: 0).ConfigureAwait(false);
        return SandboxAnswer(reply, requestId, DokuJsonContext.Default.LunasSandboxClock, c => c.Now != default);
    }

    /// <summary>
    /// <b>Lunas only</b> (not a DOKU API): removes everything of the merchant on Lunas (orders, attempts, notifications,
    /// post-payment records) and puts its clock back on real time; other merchants keep theirs. For a clean start
    /// before each test.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call, including its retries.</param>
    public async Task<LunasSandboxReset> ResetSandboxDataAsync(CancellationToken cancellationToken = default)
    {
        var requestId = DokuHttpSigning.NewRequestId();
        var reply = await SendAsync(HttpMethod.Delete, SandboxDataPath, null, requestId, cancellationToken).ConfigureAwait(false);
        return SandboxAnswer(reply, requestId, DokuJsonContext.Default.LunasSandboxReset, r => r is { Removed: not null, Clock: not null });
    }

    // Lunas answers its own errors (a bad advance, a wrong key) with error_messages; anything else (a 404 or 405, or an
    // answer of another shape) means the host is not a Lunas with its sandbox on.
    private T SandboxAnswer<T>(Reply reply, string requestId, JsonTypeInfo<T> type, Func<T, bool> isComplete) where T : class
    {
        if (reply.IsSuccess && TryParse(reply.Body, type) is { } answer && isComplete(answer))
        {
            VerifySignature(reply, requestId);
            return answer;
        }
        if (reply.IsSuccess || reply.Status is 404 or 405 || TryParse(reply.Body, DokuJsonContext.Default.DokuErrorBody) is not { ErrorMessages.Count: > 0 })
        {
            throw new DokuApiException(reply.Status,
                [$"this is a Lunas sandbox call; {_baseUrl} did not answer {reply.Target} as Lunas does (HTTP {reply.Status}). The real DOKU has no such API: point BaseUrl at a Lunas with its sandbox on (Lunas:Sandbox:Enabled)."],
                requestId, reply.Text);
        }
        throw Error(reply, requestId);
    }
}
