using System.Text;
using Lunas.Server.Payments;
using Lunas.Server.Storage;

namespace Lunas.Server.PostPayment;

/// <summary>What an operation answered, and what it changed (the order it touched, the capture, void or refund made).</summary>
public sealed record OperationReply(int Status, byte[] Body, string? SessionId = null, Adjustment? Adjustment = null, bool Applied = false);

/// <summary>An earlier request with the same Request-Id: its answer, and whether this request's body is the same.</summary>
public sealed record Replay(int Status, string Body, bool SameBody);

/// <summary>A cancel, capture or refund request on an order, as an order's timeline shows it.</summary>
public sealed record OperationRow(string RequestId, string Operation, string? Type, long? Amount, int Status, string Body, DateTimeOffset At);

/// <summary>
/// The table <c>payment_operations</c>: one row per cancel, capture or refund request, keyed by (merchant, Request-Id).
/// The row is inserted first, in the same isolated write as the operation, so the unique key decides: a repeat (at
/// the same moment, on another instance) finds the row and gets the first answer, and never applies twice.
/// </summary>
public sealed class OperationStore(Database database, WriteBatcher batcher, Outbox outbox, TimeProvider clock)
{
    private const string ReplaySql = "SELECT body_digest, response_status, response_body FROM payment_operations WHERE merchant_id = @mid AND request_id = @rid";

    public async Task<(OperationReply? Reply, Replay? Replay)> RunAsync(string merchantId, string requestId, string digest, string operation,
        Func<BatchContext, Task<OperationReply>> body)
    {
        // Not the caller's token: once queued, the write completes even if the caller goes away.
        var result = await batcher.WriteAsync(new IsolatedWrite<(OperationReply?, Replay?)>(async batch =>
        {
            var insert = batch.Command("""
                INSERT INTO payment_operations (merchant_id, request_id, body_digest, operation, created_at)
                VALUES (@mid, @rid, @digest, @op, @now)
                ON CONFLICT (merchant_id, request_id) DO NOTHING
                """).With("@mid", merchantId).With("@rid", requestId).With("@digest", digest).With("@op", operation)
                .With("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
            if (await insert.ExecuteNonQueryAsync(CancellationToken.None) == 0)
            {
                return (null, await ReadReplayAsync(batch, merchantId, requestId, digest));
            }
            var reply = await body(batch);
            var record = batch.Command("""
                UPDATE payment_operations SET session_id = @sid, type = @type, amount = @amount, applied = @applied,
                    response_status = @status, response_body = @body
                WHERE merchant_id = @mid AND request_id = @rid
                """).With("@sid", reply.SessionId).With("@type", reply.Adjustment?.Type).With("@amount", reply.Adjustment?.Amount)
                .With("@applied", reply.Applied ? 1 : 0).With("@status", reply.Status).With("@body", Encoding.UTF8.GetString(reply.Body))
                .With("@mid", merchantId).With("@rid", requestId);
            await record.ExecuteNonQueryAsync(CancellationToken.None);
            return (reply, null);
        }), CancellationToken.None);
        if (result.Item1?.Adjustment is not null) outbox.Wake();
        return result;
    }

    /// <summary>The earlier use of a Request-Id (a request that fails validation is still a replay when it was used).</summary>
    public async Task<Replay?> FindReplayAsync(string merchantId, string requestId, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command(ReplaySql).With("@mid", merchantId).With("@rid", requestId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(2)
            ? new Replay(reader.GetInt32(1), reader.GetString(2), reader.GetString(0) == digest)
            : null;
    }

    private static async Task<Replay> ReadReplayAsync(BatchContext batch, string merchantId, string requestId, string digest)
    {
        var select = batch.Command(ReplaySql).With("@mid", merchantId).With("@rid", requestId);
        await using var reader = await select.ExecuteReaderAsync(CancellationToken.None);
        if (!await reader.ReadAsync(CancellationToken.None) || reader.IsDBNull(2))
        {
            throw new InvalidOperationException("A Request-Id conflicted but its operation is not visible.");
        }
        return new Replay(reader.GetInt32(1), reader.GetString(2), reader.GetString(0) == digest);
    }

    /// <summary>The answer of the cancel that cancelled this order (a later cancel answers the same).</summary>
    public static async Task<byte[]?> CancelAnswerAsync(BatchContext batch, string sessionId)
    {
        var select = batch.Command("""
            SELECT response_body FROM payment_operations WHERE session_id = @sid AND operation = 'CANCEL' AND applied = 1
            ORDER BY created_at LIMIT 1
            """).With("@sid", sessionId);
        return await select.ExecuteScalarAsync(CancellationToken.None) is string body ? Encoding.UTF8.GetBytes(body) : null;
    }

    /// <summary>The latest capture, void or refund of an order, as the status API reports it.</summary>
    public async Task<Adjustment?> LatestAsync(string sessionId, CancellationToken cancellationToken)
        => (await FindAsync("session_id = @key", sessionId, null, cancellationToken))?.Adjustment;

    /// <summary>The capture, void or refund made by the request with this Request-Id, and its order.</summary>
    public Task<(string SessionId, Adjustment Adjustment)?> FindByRequestIdAsync(string merchantId, string requestId,
        CancellationToken cancellationToken)
        => FindAsync("merchant_id = @mid AND request_id = @key", requestId, merchantId, cancellationToken);

    private async Task<(string SessionId, Adjustment Adjustment)?> FindAsync(string where, string key, string? merchantId,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command($"""
            SELECT session_id, type, request_id, amount, created_at FROM payment_operations
            WHERE {where} AND applied = 1 AND type IS NOT NULL ORDER BY created_at DESC, request_id DESC LIMIT 1
            """).With("@key", key);
        if (merchantId is not null) select.With("@mid", merchantId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return (reader.GetString(0), new Adjustment(reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
    }

    /// <summary>Every answered operation on an order, oldest first.</summary>
    public async Task<IReadOnlyList<OperationRow>> ListForSessionAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("""
            SELECT request_id, operation, type, amount, response_status, response_body, created_at FROM payment_operations
            WHERE session_id = @sid AND response_body IS NOT NULL ORDER BY created_at, request_id
            """).With("@sid", sessionId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var list = new List<OperationRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new OperationRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt32(4), reader.GetString(5),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
        }
        return list;
    }

    /// <summary>Removes the merchant's operation records inside the caller's write (the sandbox reset); how many.</summary>
    public static Task<int> DeleteMerchantAsync(BatchContext batch, string merchantId)
        => batch.Command("DELETE FROM payment_operations WHERE merchant_id = @mid").With("@mid", merchantId)
            .ExecuteNonQueryAsync(CancellationToken.None);
}
