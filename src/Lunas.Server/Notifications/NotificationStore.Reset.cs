using Lunas.Server.Storage;

namespace Lunas.Server.Notifications;

// The sandbox reset's part of the outbox: a merchant's notifications and their delivery log go together.
public sealed partial class NotificationStore
{
    /// <summary>
    /// Removes the merchant's notifications, their attempts and its notification faults inside the caller's write; how
    /// many notifications and attempts.
    /// </summary>
    public static async Task<(int Notifications, int Attempts)> DeleteMerchantAsync(BatchContext batch, string merchantId)
    {
        var attempts = await batch.Command("""
                DELETE FROM notification_attempts
                WHERE notification_id IN (SELECT notification_id FROM notifications WHERE merchant_id = @mid)
                """).With("@mid", merchantId).ExecuteNonQueryAsync(CancellationToken.None);
        var notifications = await batch.Command("DELETE FROM notifications WHERE merchant_id = @mid").With("@mid", merchantId)
            .ExecuteNonQueryAsync(CancellationToken.None);
        await batch.Command("DELETE FROM notification_faults WHERE merchant_id = @mid").With("@mid", merchantId)
            .ExecuteNonQueryAsync(CancellationToken.None);
        return (notifications, attempts);
    }
}
