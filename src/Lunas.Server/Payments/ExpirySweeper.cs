namespace Lunas.Server.Payments;

/// <summary>Expires due sessions in the background, so an order expires (and is reported) even if nobody looks at it.</summary>
public sealed class ExpirySweeper(PaymentStore store, TimeProvider clock, ILogger<ExpirySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var expired = await store.ExpireDueAsync(stoppingToken);
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
}
