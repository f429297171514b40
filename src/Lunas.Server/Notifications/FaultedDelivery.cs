using static Lunas.Server.Notifications.NotificationFaults;

namespace Lunas.Server.Notifications;

/// <summary>
/// A scheduled attempt with the sandbox fault its notification took (see <see cref="NotificationFaultStore"/>): the
/// attempt that decides the schedule, and the copies a fault sent beside it, each marked with the fault.
/// </summary>
public sealed class FaultedDelivery(NotificationSender sender, TimeProvider clock)
{
    public async Task<(DeliveryAttempt Attempt, IReadOnlyList<DeliveryAttempt> Extra)> SendAsync(NotificationRow row,
        CancellationToken cancellationToken)
    {
        if (row.Fault == Drop && row.FaultValue > 0) return (Dropped(row), []);
        if (row.Attempts > 0 || row.Fault is null or Drop) return (await SendAsync(row, Tamper.None, cancellationToken), []);
        switch (row.Fault)
        {
            case Duplicate:
                var first = await SendAsync(row, Tamper.None, cancellationToken);
                var copies = new List<DeliveryAttempt>();
                // A receiver that timed out gets no more copies: they would outlast the claim's lease.
                for (var i = 1; i < (row.FaultValue ?? 2) && !(copies.LastOrDefault() ?? first).TimedOut; i++)
                {
                    copies.Add(await SendAsync(row, Tamper.None, cancellationToken) with { Fault = Duplicate });
                }
                return (first, copies);
            case BadSignature:
                var forged = await SendAsync(row, Tamper.WrongSignature, cancellationToken) with { Fault = BadSignature };
                return (await SendAsync(row, Tamper.None, cancellationToken), [forged]);
            default:
                // delay and out_of_order changed when the attempt goes, not what it is.
                return (await SendAsync(row, Tamper.None, cancellationToken) with { Fault = row.Fault }, []);
        }
    }

    private Task<DeliveryAttempt> SendAsync(NotificationRow row, Tamper tamper, CancellationToken cancellationToken)
        => sender.SendAsync(row, row.NotificationId, "SCHEDULED", tamper, sender.Timeout, cancellationToken);

    private DeliveryAttempt Dropped(NotificationRow row)
    {
        var now = clock.GetUtcNow();
        return new DeliveryAttempt(Guid.CreateVersion7(now).ToString("N"), row.NotificationId, row.NotificationId, 0, "SCHEDULED", row.Url!,
            now, null, "network error (sandbox fault drop): nothing was sent", 0, null) { Fault = Drop };
    }
}
