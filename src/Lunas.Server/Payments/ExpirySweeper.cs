namespace Lunas.Server.Payments;

/// <summary>Expires due sessions in the background, so an order expires (and is reported) even if nobody looks at it.</summary>
public sealed class ExpirySweeper(PaymentStore store, Outbox outbox, TimeProvider clock, ILogger<ExpirySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private const int Page = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var expired = await ExpireDueAsync(stoppingToken);
                    if (expired > 0) logger.LogInformation("Expired {Count} checkout session(s)", expired);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Expiry sweep failed; retrying next interval");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Expires every due session; returns how many. Each expiry is its own small write through the group commit (no
    /// long transaction holding the writer or many row locks), page after page until none is due.
    /// </summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            var due = await store.DueSessionIdsAsync(Page, cancellationToken);
            var expired = await Task.WhenAll(due.Select(sessionId => store.ExpireAsync(sessionId, cancellationToken)));
            count += expired.Count(e => e);
            if (due.Count < Page || !expired.Any(e => e) || cancellationToken.IsCancellationRequested)
            {
                if (count > 0) outbox.Wake();
                return count;
            }
        }
    }
}
