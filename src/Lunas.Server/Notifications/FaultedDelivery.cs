using static Lunas.Server.Notifications.NotificationFaults;

namespace Lunas.Server.Notifications;

/// <summary>
/// A scheduled attempt with the sandbox fault its notification took (see <see cref="NotificationFaultStore"/>): the
/// attempt that decides the schedule, and every attempt made in the order sent (it among them; the copies a fault sent
/// beside it marked with the fault).
/// </summary>
public sealed class FaultedDelivery(NotificationSender sender, TimeProvider clock)
{
    public async Task<(DeliveryAttempt Attempt, IReadOnlyList<DeliveryAttempt> Sent)> SendAsync(NotificationRow row,
        CancellationToken cancellationToken)
    {
        if (row.Fault == Drop && row.FaultValue > 0) return Alone(Dropped(row));
        if (row.Attempts > 0 || row.Fault is null or Drop) return Alone(await SendAsync(row, Tamper.None, cancellationToken));
        switch (row.Fault)
        {
            case Duplicate:
                var first = await SendAsync(row, Tamper.None, cancellationToken);
                var copies = new List<DeliveryAttempt> { first };
                // A receiver that timed out gets no more copies: they would outlast the claim's lease.
                for (var i = 1; i < (row.FaultValue ?? 2) && !copies[^1].TimedOut; i++)
                {
                    copies.Add(await SendAsync(row, Tamper.None, cancellationToken) with { Fault = Duplicate });
                }
                return (first, copies);
            case BadSignature:
                var forged = await SendAsync(row, Tamper.WrongSignature, cancellationToken) with { Fault = BadSignature };
                var right = await SendAsync(row, Tamper.None, cancellationToken);
                return (right, [forged, right]);
            default:
                // delay and out_of_order changed when the attempt goes, not what it is.
                return Alone(await SendAsync(row, Tamper.None, cancellationToken) with { Fault = row.Fault });
        }
    }

    private static (DeliveryAttempt, IReadOnlyList<DeliveryAttempt>) Alone(DeliveryAttempt attempt) => (attempt, [attempt]);

    private Task<DeliveryAttempt> SendAsync(NotificationRow row, Tamper tamper, CancellationToken cancellationToken)
        => sender.SendAsync(row, row.NotificationId, "SCHEDULED", tamper, sender.Timeout, cancellationToken);

    private DeliveryAttempt Dropped(NotificationRow row)
    {
        var now = clock.GetUtcNow();
        return new DeliveryAttempt(Guid.CreateVersion7(now).ToString("N"), row.NotificationId, row.NotificationId, 0, "SCHEDULED", row.Url!,
            now, null, "network error (sandbox fault drop): nothing was sent", 0, null) { Fault = Drop };
    }
}
