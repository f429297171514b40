using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Lunas.Client;

// Lunas-only sandbox calls for testing a notification receiver. The real DOKU has none of them: against it (or any host
// without them) each fails with a DokuApiException saying so.
public sealed partial class DokuCheckoutClient
{
    /// <summary>The Lunas notification-faults path.</summary>
    public const string NotificationFaultsPath = "/sandbox/v1/notification-faults";

    /// <summary>The Lunas receiver-check path.</summary>
    public const string ReceiverChecksPath = "/sandbox/v1/receiver-checks";

    /// <summary>
    /// Lunas only: sets the faults applied to this merchant's next notifications (replacing any set before; an empty list
    /// clears them), and returns them as stored. A wrong fault throws <see cref="DokuApiException"/> 400 naming its field
    /// (<c>faults[1].copies …</c>); a host that is not a Lunas sandbox, a <see cref="DokuApiException"/> saying so.
    /// </summary>
    /// <param name="faults">The faults, in the order notifications take them.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<NotificationFault>> SetNotificationFaultsAsync(IEnumerable<NotificationFault> faults,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(faults);
        var list = new NotificationFaultList { Faults = faults.Select(f => new NotificationFault
        {
            Kind = f.Kind, Copies = f.Copies, Seconds = f.Seconds, Attempts = f.Attempts, Times = f.Times, Channel = f.Channel,
        }).ToList() };
        var body = JsonSerializer.SerializeToUtf8Bytes(list, LunasNotificationTestingJsonContext.Default.NotificationFaultList);
        return (await LunasOnlyAsync(HttpMethod.Put, NotificationFaultsPath, body, LunasNotificationTestingJsonContext.Default.NotificationFaultList,
            cancellationToken).ConfigureAwait(false)).Value.Faults;
    }

    /// <summary>Lunas only: the faults set for this merchant, each with how many times it has left.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<NotificationFault>> GetNotificationFaultsAsync(CancellationToken cancellationToken = default)
        => (await LunasOnlyAsync(HttpMethod.Get, NotificationFaultsPath, null, LunasNotificationTestingJsonContext.Default.NotificationFaultList,
            cancellationToken).ConfigureAwait(false)).Value.Faults;

    /// <summary>Lunas only: clears this merchant's notification faults.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task ClearNotificationFaultsAsync(CancellationToken cancellationToken = default)
        => LunasOnlyAsync(HttpMethod.Delete, NotificationFaultsPath, null, LunasNotificationTestingJsonContext.Default.NotificationFaultList,
            cancellationToken);

    /// <summary>
    /// Lunas only: sends a receiver a battery of notifications (a correct one, its repeat, and forged or broken ones that
    /// must be refused with a 4xx) and reports each case. The notification is made up (invoice <c>LUNAS-CHECK-…</c>).
    /// A URL Lunas may not contact throws <see cref="DokuApiException"/> 400 naming <c>url</c>.
    /// </summary>
    /// <param name="url">The receiver; the merchant's notification URL at Lunas when null.</param>
    /// <param name="cancellationToken">Cancels the call (the check itself is bounded, about 30 seconds at most).</param>
    public async Task<ReceiverCheckReport> CheckReceiverAsync(string? url = null, CancellationToken cancellationToken = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new ReceiverCheckRequest { Url = url },
            LunasNotificationTestingJsonContext.Default.ReceiverCheckRequest);
        var (report, text) = await LunasOnlyAsync(HttpMethod.Post, ReceiverChecksPath, body,
            LunasNotificationTestingJsonContext.Default.ReceiverCheckReport, cancellationToken).ConfigureAwait(false);
        report.RawJson = text;
        return report;
    }

    private async Task<(T Value, string Text)> LunasOnlyAsync<T>(HttpMethod method, string path, byte[]? body, JsonTypeInfo<T> type,
        CancellationToken cancellationToken) where T : class
    {
        var requestId = DokuHttpSigning.NewRequestId();
        var reply = await SendAsync(method, path, body, requestId, cancellationToken).ConfigureAwait(false);
        if (reply.Status is 404 or 405)
        {
            throw new DokuApiException(reply.Status, [$"{method} {path} is a Lunas sandbox call: {_baseUrl} does not offer it "
                + "(the real DOKU has no such API, and Lunas maps it only while Lunas:Sandbox:Enabled is true)"], requestId, reply.Text);
        }
        if (!reply.IsSuccess) throw Error(reply, requestId);
        VerifySignature(reply, requestId);
        return TryParse(reply.Body, type) is { } value
            ? (value, reply.Text)
            : throw new DokuApiException(reply.Status, [$"the answer of {path} is not a Lunas sandbox answer"], requestId, reply.Text);
    }
}
