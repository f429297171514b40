using Lunas.Server.Payments;

namespace Lunas.Server.Notifications;

/// <summary>
/// Sends due notifications: woken at once after a payment commits, and polling for retries and for rows written by
/// other instances. Claims are leased, so two dispatchers on one database never send the same attempt twice.
/// </summary>
public sealed partial class NotificationDispatcher(
    NotificationStore store, NotificationSender sender, Outbox outbox, LunasOptions options, ILogger<NotificationDispatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Notifications;
        if (!settings.Enabled)
        {
            LogDisabled(logger);
            return;
        }
        var schedule = settings.ParsedRetrySchedule();
        // The lease outlives the slowest possible claim (every round of sends hitting the timeout, plus recording), so
        // an attempt in flight is never claimed by another dispatcher.
        const int rounds = 4;
        var limit = settings.Concurrency * rounds;
        var lease = settings.Timeout * rounds + TimeSpan.FromSeconds(30);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var claimId = Guid.NewGuid().ToString("N");
                var due = await store.ClaimDueAsync(claimId, limit, lease, stoppingToken);
                if (due.Count == 0)
                {
                    await outbox.WaitAsync(settings.PollInterval, stoppingToken);
                    continue;
                }
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = stoppingToken },
                    async (notification, token) =>
                    {
                        // One notification's trouble stays its own: the others of the claim are still sent and recorded.
                        try
                        {
                            var attempt = await sender.SendAsync(notification, notification.NotificationId, "SCHEDULED", token);
                            if (!await store.RecordAsync(notification, claimId, attempt, schedule))
                            {
                                LogLeaseLost(logger, notification.NotificationId);
                            }
                            if (!attempt.Delivered)
                            {
                                LogFailedAttempt(logger, notification.NotificationId, notification.InvoiceNumber, attempt.Url, attempt.Error);
                            }
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                        {
                            LogRecordFailure(logger, ex, notification.NotificationId);
                        }
                    });
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailure(logger, ex);
                await Task.Delay(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Notification dispatch is disabled on this instance (Lunas:Notifications:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "Notification {NotificationId} for {Invoice} to {Url} not delivered: {Error}")]
    private static partial void LogFailedAttempt(ILogger logger, string notificationId, string invoice, string url, string? error);

    [LoggerMessage(4, LogLevel.Error, "Notification {NotificationId}: the attempt could not be recorded; its lease will expire and it is retried")]
    private static partial void LogRecordFailure(ILogger logger, Exception exception, string notificationId);

    [LoggerMessage(5, LogLevel.Warning,
        "Notification {NotificationId}: its lease ran out before the attempt was recorded; the attempt is logged, the schedule left to the new holder (raise Lunas:Notifications:Timeout's margin if this repeats)")]
    private static partial void LogLeaseLost(ILogger logger, string notificationId);

    [LoggerMessage(3, LogLevel.Error, "Notification dispatch loop failed; retrying")]
    private static partial void LogLoopFailure(ILogger logger, Exception exception);
}
