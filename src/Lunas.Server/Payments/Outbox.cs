using System.Data.Common;
using Lunas.Server.Merchants;
using Lunas.Server.Storage;

namespace Lunas.Server.Payments;

/// <summary>
/// Writes a notification row inside the caller's transaction, so a payment's state change and the notification that
/// reports it commit together or not at all. The body is fixed at that moment; retries send the same body. It lives with
/// the payment transactions that write it; Notifications only reads, sends and records (and waits on <see cref="Wake"/>).
/// </summary>
public sealed class Outbox(MerchantStore merchants, MerchantClock clocks)
{
    public const string Pending = "PENDING";
    public const string Delivered = "DELIVERED";
    public const string Failed = "FAILED";
    public const string Undeliverable = "UNDELIVERABLE";

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <param name="adjustment">A capture, void or refund this notification reports (each gets its own notification).</param>
    public async Task AddAsync(BatchContext batch, SessionRecord session, AttemptRecord? attempt,
        CancellationToken cancellationToken, Adjustment? adjustment = null)
    {
        var merchant = await merchants.FindAsync(session.MerchantId, cancellationToken);
        var url = Destination(session, attempt?.Method, merchant);
        // Due at once on the merchant's clock: the retry schedule runs on it from here.
        var now = clocks.Now(session).ToUnixTimeMilliseconds();
        var insert = batch.Command("""
            INSERT INTO notifications (notification_id, merchant_id, session_id, invoice_number, event, url, body, status,
                attempts, created_at, next_attempt_at)
            VALUES (@id, @mid, @sid, @inv, @event, @url, @body, @status, 0, @now, @now)
            """)
            // The notification id is also the Request-Id its scheduled attempts are sent with; time-ordered (UUIDv7) so the
            // outbox's key index grows at its edge.
            .With("@id", Guid.CreateVersion7(clocks.RealNow).ToString()).With("@mid", session.MerchantId).With("@sid", session.SessionId)
            .With("@inv", session.InvoiceNumber).With("@event", PaymentEnvelope.ReportedStatus(session, adjustment)).With("@url", url)
            .With("@body", System.Text.Encoding.UTF8.GetString(PaymentEnvelope.Write(session, attempt, withOrderStatus: false, adjustment)))
            .With("@status", url is null ? Undeliverable : Pending).With("@now", now);
        // Nothing reads its row count: it travels with the write's next statement (PostgreSQL).
        await batch.DeferAsync(insert);
    }

    /// <summary>
    /// Where a notification of this order goes: the order's <c>override_notification_url</c>; for DOKU Wallet its
    /// <c>doku_wallet_notify_url</c>; else the merchant's URL for the channel's family, else the merchant's URL; else
    /// nowhere (the notification is recorded as undeliverable).
    /// </summary>
    public static string? Destination(SessionRecord session, Lunas.Protocol.Channels.PaymentMethod? method, Merchant? merchant)
    {
        var info = session.Request.AdditionalInfo;
        if (info?.OverrideNotificationUrl is { Length: > 0 } overridden) return overridden;
        if (method?.Value == "EMONEY_DOKU" && info?.DokuWalletNotifyUrl is { Length: > 0 } wallet) return wallet;
        return merchant?.NotificationUrlFor(method?.ServiceId);
    }

    /// <summary>Called after a commit that added notifications: the dispatcher sends now instead of at its next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try { _wake.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _wake.WaitAsync(timeout, cancellationToken);
}
