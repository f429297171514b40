using Lunas.Server.Storage;

namespace Lunas.Server.Security;

/// <summary>
/// A Request-Id is single-use per merchant on every signed POST. Create payment has its own key in checkout_sessions
/// (a replay there answers the original body); the other POSTs mark theirs in used_request_ids, before they act or (a
/// simulator step) in the same transaction as what they change, which a refused mark undoes. The mark is a row, not
/// memory, so several instances on one PostgreSQL database refuse each other's replays.
/// </summary>
public sealed class ReplayGuard(WriteBatcher batcher, LunasOptions options, TimeProvider clock, ILogger<ReplayGuard> logger)
    : BackgroundService
{
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a mark is kept: a request passes the timestamp check only within the tolerance either side of its
    /// stamp, so after twice the tolerance since its first use no copy of it can pass again; a minute more covers
    /// clocks of instances that disagree a little.
    /// </summary>
    public TimeSpan Retention => 2 * options.TimestampTolerance + TimeSpan.FromMinutes(1);

    /// <summary>
    /// Marks the Request-Id used; false when it already was (here or by a create payment). Through the group-commit
    /// batcher, so the mark shares a commit with whatever else is being written.
    /// </summary>
    public Task<bool> TryUseAsync(string merchantId, string requestId, CancellationToken cancellationToken)
        => batcher.WriteAsync(new MarkWrite(merchantId, requestId, clock.GetUtcNow().ToUnixTimeMilliseconds()), cancellationToken);

    /// <summary>Removes the marks older than <see cref="Retention"/>; returns how many.</summary>
    public Task<int> PruneAsync(CancellationToken cancellationToken)
        => batcher.WriteAsync(new PruneWrite((clock.GetUtcNow() - Retention).ToUnixTimeMilliseconds()), cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PruneInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Pruning used Request-Ids failed; retrying next interval");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The same mark, made by the request's first write in that write's own transaction (<see cref="WritePrerequisite"/>):
    /// a replay is refused by the write itself, and an accepted step costs one commit. The caller marks with
    /// <see cref="TryUseAsync"/> after all when no write carried it.
    /// </summary>
    public WritePrerequisite MarkWithFirstWrite(string merchantId, string requestId)
        => new FirstWriteMark(merchantId, requestId, clock.GetUtcNow().ToUnixTimeMilliseconds());

    private static async Task<bool> MarkAsync(BatchContext batch, string merchantId, string requestId, long now)
        => await Mark(batch, merchantId, requestId, now).ExecuteNonQueryAsync(CancellationToken.None) == 1;

    private static System.Data.Common.DbCommand Mark(BatchContext batch, string merchantId, string requestId, long now)
        // The unique key decides; the WHERE also refuses an id a create payment of the same merchant used.
        => batch.Command("""
            INSERT INTO used_request_ids (merchant_id, request_id, created_at)
            SELECT @mid, @rid, @now
            WHERE NOT EXISTS (SELECT 1 FROM checkout_sessions WHERE merchant_id = @mid AND request_id = @rid)
            ON CONFLICT (merchant_id, request_id) DO NOTHING
            """)
            .With("@mid", merchantId).With("@rid", requestId).With("@now", now);

    private sealed class MarkWrite(string merchantId, string requestId, long now) : BatchedWrite<bool>
    {
        protected override Task<bool> ExecuteAsync(BatchContext batch, CancellationToken cancellationToken)
            => MarkAsync(batch, merchantId, requestId, now);
    }

    private sealed class FirstWriteMark(string merchantId, string requestId, long now) : WritePrerequisite
    {
        public override System.Data.Common.DbCommand Statement(BatchContext batch) => Mark(batch, merchantId, requestId, now);
    }

    private sealed class PruneWrite(long before) : BatchedWrite<int>
    {
        protected override Task<int> ExecuteAsync(BatchContext batch, CancellationToken cancellationToken)
            => batch.Command("DELETE FROM used_request_ids WHERE created_at < @before").With("@before", before)
                .ExecuteNonQueryAsync(cancellationToken);
    }
}
