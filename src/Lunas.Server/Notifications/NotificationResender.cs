using Lunas.Server.Merchants;
using Lunas.Server.Payments;

namespace Lunas.Server.Notifications;

/// <summary>What a resend ended in: the notification and its attempts, or a refusal (404, 409) with its reason.</summary>
public sealed record ResendOutcome(int Status, string? Error, NotificationRow? Row = null, IReadOnlyList<DeliveryAttempt>? Attempts = null);

/// <summary>Sends one notification again now: the resend API and the console both come here.</summary>
public sealed class NotificationResender(NotificationStore store, PaymentStore payments, MerchantStore merchants, NotificationSender sender)
{
    public async Task<ResendOutcome> ResendAsync(string merchantId, string id, CancellationToken cancellationToken)
    {
        var row = await store.FindAsync(merchantId, id, cancellationToken);
        if (row is null) return new ResendOutcome(404, $"notification {id} is not found");
        if (row.Url is null)
        {
            // Undeliverable when written; the merchant may have set a notification URL since.
            var session = await payments.FindBySessionIdAsync(row.SessionId, cancellationToken);
            var merchant = await merchants.FindAsync(row.MerchantId, cancellationToken);
            var url = session is null ? null : Outbox.Destination(session, session.ChannelMethod, merchant);
            if (url is null)
            {
                return new ResendOutcome(409, $"notification {id} has no destination: set the merchant's NotificationUrl (lunas merchants) and resend");
            }
            await store.SetDestinationAsync(row.NotificationId, url, cancellationToken);
            row = row with { Url = url, Status = Outbox.Failed };
        }
        // A fresh Request-Id: a resend is a new delivery the merchant asked for, not a retry of the scheduled one.
        var attempt = await sender.SendAsync(row, Guid.NewGuid().ToString(), "RESEND", cancellationToken);
        await store.RecordResendAsync(attempt, CancellationToken.None);
        var (fresh, attempts) = (await store.ListForInvoiceAsync(merchantId, row.InvoiceNumber, CancellationToken.None))
            .First(n => n.Row.NotificationId == row.NotificationId);
        return new ResendOutcome(200, null, fresh, attempts);
    }
}
