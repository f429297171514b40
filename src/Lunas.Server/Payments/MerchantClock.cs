using System.Collections.Concurrent;
using System.Data.Common;
using Lunas.Server.Storage;

namespace Lunas.Server.Payments;

/// <summary>
/// "Now" for one merchant: the injected clock plus the merchant's sandbox offset (<c>merchants.clock_offset_ms</c>, moved
/// forward by <c>POST /sandbox/v1/clock</c>). Every merchant-scoped decision (expiry, recovery, card hold and settlement,
/// the retry schedule, the page's countdown) asks here; signature timestamps and leases stay on the real clock. A
/// session read carries its merchant's offset (<see cref="SessionRecord.ClockOffset"/>, joined in the same statement),
/// and SQL that picks due rows across merchants applies each row's offset itself (<see cref="DueSql"/>).
/// </summary>
public sealed class MerchantClock(WriteBatcher batcher, Database database, TimeProvider clock)
{
    /// <summary>The largest single advance: more is a typo, not a test.</summary>
    public static readonly TimeSpan MaxAdvance = TimeSpan.FromDays(3653);

    /// <summary>The largest total offset, so a merchant's time stays far inside what dates can hold.</summary>
    public static readonly TimeSpan MaxOffset = TimeSpan.FromDays(36525);

    /// <summary>
    /// How long this instance reuses an offset for new sessions (the create path, where a query per request costs
    /// throughput). An advance or reset here replaces it at once; one made on another instance is seen within this time.
    /// </summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (TimeSpan Offset, long LoadedAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>The real time, for what is not the merchant's (leases, signatures).</summary>
    public DateTimeOffset RealNow => clock.GetUtcNow();

    /// <summary>The merchant's now, for an offset read with the data the decision is about.</summary>
    public DateTimeOffset Now(TimeSpan offset) => clock.GetUtcNow() + offset;

    /// <summary>The session's merchant's now, with the offset read together with the session.</summary>
    public DateTimeOffset Now(SessionRecord session) => Now(session.ClockOffset);

    /// <summary>The merchant's offset, read from the database.</summary>
    public async Task<TimeSpan> OffsetAsync(string merchantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var offset = await ReadOffsetAsync(connection, null, merchantId, cancellationToken);
        Remember(merchantId, offset);
        return offset;
    }

    /// <summary>The merchant's now for a new session: the offset may be up to <see cref="CacheLifetime"/> old.</summary>
    public async ValueTask<DateTimeOffset> NowForNewAsync(string merchantId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(merchantId, out var entry) && clock.GetElapsedTime(entry.LoadedAt) < CacheLifetime)
        {
            return Now(entry.Offset);
        }
        return Now(await OffsetAsync(merchantId, cancellationToken));
    }

    /// <summary>Moves the merchant's time forward; null when the total would pass <see cref="MaxOffset"/>.</summary>
    public async Task<TimeSpan?> AdvanceAsync(string merchantId, TimeSpan by, CancellationToken cancellationToken)
    {
        var offset = await batcher.WriteAsync(new IsolatedWrite<TimeSpan?>(async batch =>
        {
            // The condition is in the UPDATE: two advances racing on two instances add up, and neither passes the cap.
            var moved = await batch.Command("""
                    UPDATE merchants SET clock_offset_ms = clock_offset_ms + @by
                    WHERE client_id = @mid AND clock_offset_ms + @by <= @max
                    """)
                .With("@by", (long)by.TotalMilliseconds).With("@mid", merchantId).With("@max", (long)MaxOffset.TotalMilliseconds)
                .ExecuteNonQueryAsync(CancellationToken.None);
            return moved == 1 ? await ReadOffsetAsync(batch, merchantId) : (TimeSpan?)null;
        }), cancellationToken);
        if (offset is { } value) Remember(merchantId, value);
        return offset;
    }

    /// <summary>Sets the merchant's offset back to zero inside the caller's write; <see cref="Forget"/> after the commit.</summary>
    public static Task ResetAsync(BatchContext batch, string merchantId)
        => batch.Command("UPDATE merchants SET clock_offset_ms = 0 WHERE client_id = @mid").With("@mid", merchantId)
            .ExecuteNonQueryAsync(CancellationToken.None);

    public void Forget(string merchantId) => _cache.TryRemove(merchantId, out _);

    private const string OffsetSql = "SELECT clock_offset_ms FROM merchants WHERE client_id = @mid";

    public static async Task<TimeSpan> ReadOffsetAsync(DbConnection connection, DbTransaction? transaction, string merchantId,
        CancellationToken cancellationToken)
    {
        await using var read = connection.Command(OffsetSql, transaction).With("@mid", merchantId);
        return OffsetOf(await read.ExecuteScalarAsync(cancellationToken));
    }

    /// <summary>The same inside a write, in its order (after what the write deferred).</summary>
    public static async Task<TimeSpan> ReadOffsetAsync(BatchContext batch, string merchantId)
        => OffsetOf(await batch.Command(OffsetSql).With("@mid", merchantId).ExecuteScalarAsync(CancellationToken.None));

    private static TimeSpan OffsetOf(object? value) => value is { } v and not DBNull
        ? TimeSpan.FromMilliseconds(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture))
        : TimeSpan.Zero;

    /// <summary>
    /// SQL: <paramref name="column"/> (milliseconds) is at or before its row's merchant's now, <paramref name="now"/> being
    /// the real time. The first bound, by the largest offset of any merchant (computed once per statement), keeps an index
    /// on the column usable as a range; the second, by the row's own merchant, is exact.
    /// </summary>
    public static string DueSql(string column, string merchantColumn, string now)
        => $"""
            {column} <= {now} + (SELECT COALESCE(MAX(mx.clock_offset_ms), 0) FROM merchants mx)
            AND {column} <= {now} + COALESCE((SELECT mc.clock_offset_ms FROM merchants mc WHERE mc.client_id = {merchantColumn}), 0)
            """;

    private void Remember(string merchantId, TimeSpan offset) => _cache[merchantId] = (offset, clock.GetTimestamp());
}
