using System.Data.Common;
using System.Text.Json;
using Lunas.Protocol.Channels;
using Lunas.Server.Storage;
using Lunas.Server.Telemetry;

namespace Lunas.Server.Payments;

/// <summary>
/// The checkout session's store, the one class that writes <c>checkout_sessions</c> and <c>payment_attempts</c>: reads
/// and row mapping here; creating a session, the payment steps and expiry in the other parts. Every state change is a
/// conditional UPDATE whose row count decides, inside one write transaction, so two payments racing on one order give
/// one success. The rules it applies are <see cref="PaymentRules"/>.
/// </summary>
public sealed partial class PaymentStore(Database database, WriteBatcher batcher, MerchantClock clocks, Outbox outbox, LunasOptions options,
    LunasMetrics metrics, IPayCodeSource? codes = null)
{
    private const string SessionColumns = $"""
        s.session_id, s.token_id, s.merchant_id, m.name, s.request_id, s.invoice_number, s.amount, s.status,
        s.order_status, s.channel, s.paid_attempt_id, s.payment_methods, s.created_at, s.expires_at,
        s.transaction_date, s.request_body, s.recovered_at, s.retry_closed,
        EXISTS (SELECT 1 FROM checkout_sessions p
                WHERE p.merchant_id = s.merchant_id AND p.invoice_number = s.invoice_number AND p.status IN {PaymentRules.SettledSql}) AS invoice_paid,
        s.authorize_id, s.hold_until, s.captured_amount, s.refunded_amount, s.settles_at, m.clock_offset_ms
        """;

    private const string AttemptColumns = "attempt_id, session_id, channel, status, pay_code, details, created_at, completed_at";

    public Task<SessionRecord?> FindByTokenAsync(string tokenId, CancellationToken cancellationToken)
        => FindAsync("s.token_id = @key", ("@key", tokenId), cancellationToken);

    /// <summary>
    /// Just the status of a page's session, for the page's poll every two seconds: no request body, no join. A session
    /// due to expire goes the full way, so the poll also applies expiry.
    /// </summary>
    public async Task<(TransactionStatus Status, OrderStatus OrderStatus)?> FindStateByTokenAsync(string tokenId, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var command = connection.Command(
            """
            SELECT s.status, s.order_status, s.expires_at, s.retry_closed, m.clock_offset_ms
            FROM checkout_sessions s JOIN merchants m ON m.client_id = s.merchant_id WHERE s.token_id = @token
            """).With("@token", tokenId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return null;
            var status = StatusNames.ParseTransaction(reader.GetString(0));
            var due = reader.GetInt64(2) <= clocks.Now(TimeSpan.FromMilliseconds(reader.GetInt64(4))).ToUnixTimeMilliseconds()
                      && PaymentRules.IsOpen(status) && reader.GetInt64(3) == 0;
            if (!due) return (status, StatusNames.ParseOrder(reader.GetString(1)));
        }
        return await FindByTokenAsync(tokenId, cancellationToken) is { } session ? (session.Status, session.OrderStatus) : null;
    }

    /// <summary>The paid session of an invoice, else its newest one; or the session created with that Request-Id.</summary>
    public async Task<SessionRecord?> FindForMerchantAsync(string merchantId, string invoiceOrRequestId, CancellationToken cancellationToken)
        // Two lookups, each on its own index (an OR across the two columns would scan); the invoice wins.
        => await FindAsync("s.merchant_id = @mid AND s.invoice_number = @key", ("@key", invoiceOrRequestId), cancellationToken, ("@mid", merchantId))
           ?? await FindAsync("s.merchant_id = @mid AND s.request_id = @key", ("@key", invoiceOrRequestId), cancellationToken, ("@mid", merchantId));

    /// <summary>The session a create call with this Request-Id made.</summary>
    public Task<SessionRecord?> FindByRequestIdAsync(string merchantId, string requestId, CancellationToken cancellationToken)
        => FindAsync("s.merchant_id = @mid AND s.request_id = @key", ("@key", requestId), cancellationToken, ("@mid", merchantId));

    /// <summary>The session whose card AUTHORIZE has this authorize_id.</summary>
    public Task<SessionRecord?> FindByAuthorizeIdAsync(string merchantId, string authorizeId, CancellationToken cancellationToken)
        => FindAsync("s.merchant_id = @mid AND s.authorize_id = @key", ("@key", authorizeId), cancellationToken, ("@mid", merchantId));

    /// <summary>Due to expire, or a card hold past its window: the next touch writes that change first.</summary>
    private bool NeedsTouch(SessionRecord session)
        => PaymentRules.IsDue(session, Now(session)) || PaymentRules.HasLapsed(session, Now(session));

    /// <summary>The session's merchant's now (its sandbox clock).</summary>
    private DateTimeOffset Now(SessionRecord session) => clocks.Now(session);

    private async Task<SessionRecord?> FindAsync(string where, (string, object) key, CancellationToken cancellationToken,
        (string, object)? extra = null)
    {
        SessionRecord? session;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            // A plain read first: status checks and page polls must not queue for the writer.
            session = await ReadSessionAsync(connection, where, key, extra, cancellationToken);
        }
        if (session is null || !NeedsTouch(session))
        {
            return session;
        }
        // Due: expire it (if no one else has) and read again, as one write through the group commit (WriteBatcher's rule).
        var (expired, fresh) = await batcher.WriteAsync(new IsolatedWrite<(bool, SessionRecord?)>(async batch =>
        {
            var due = await ReadSessionAsync(batch, where, key, extra);
            if (due is null) return (false, null);
            // Read again either way: on PostgreSQL a concurrent expiry (the sweeper) may have won the row meanwhile.
            var expired = await ExpireIfDueAsync(batch, due);
            return (expired, await ReadSessionAsync(batch, where, key, extra));
        }), cancellationToken);
        if (expired) outbox.Wake();
        return fresh;
    }

    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {AttemptColumns} FROM payment_attempts WHERE session_id = @sid ORDER BY created_at, attempt_id")
            .With("@sid", sessionId);
        return await ReadAttemptsAsync(command, cancellationToken);
    }

    public async Task<AttemptRecord?> FindAttemptByCodeAsync(ChannelFamily family, string payCode, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("").With("@code", payCode);
        // channel IN (…) AND pay_code = … uses the unique (channel, pay_code) index instead of scanning every attempt.
        var channels = new List<string>();
        foreach (var method in PaymentMethods.All.Where(m => m.Family == family))
        {
            var name = "@c" + channels.Count;
            channels.Add(name);
            command.With(name, method.Value);
        }
        command.CommandText = $"""
            SELECT {AttemptColumns} FROM payment_attempts
            WHERE channel IN ({string.Join(", ", channels)}) AND pay_code = @code
            ORDER BY created_at DESC LIMIT 1
            """;
        return (await ReadAttemptsAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task<SessionRecord?> FindBySessionIdAsync(string sessionId, CancellationToken cancellationToken)
        => await FindAsync("s.session_id = @key", ("@key", sessionId), cancellationToken);

    private static string SessionSql(string where) => $"""
        SELECT {SessionColumns}
        FROM checkout_sessions s JOIN merchants m ON m.client_id = s.merchant_id
        WHERE {where}
        ORDER BY CASE WHEN s.status IN {PaymentRules.SettledSql} THEN 0 ELSE 1 END, s.created_at DESC, s.session_id DESC LIMIT 1
        """;

    /// <summary>The session matching <paramref name="where"/> (the paid one first, else the newest), outside any write.</summary>
    private static async Task<SessionRecord?> ReadSessionAsync(DbConnection connection, string where,
        (string Name, object Value) key, (string Name, object Value)? extra, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(SessionSql(where));
        return await ReadSessionAsync(command, key, extra, cancellationToken);
    }

    /// <summary>The same inside a write, with the batch's prepared command.</summary>
    private static Task<SessionRecord?> ReadSessionAsync(BatchContext batch, string where, (string Name, object Value) key,
        (string Name, object Value)? extra = null)
        => ReadSessionAsync(batch.Command(SessionSql(where)), key, extra, CancellationToken.None);

    private static Task<SessionRecord?> ReadSessionAsync(BatchContext batch, string sessionId)
        => ReadSessionAsync(batch, "s.session_id = @key", ("@key", sessionId));

    private static async Task<SessionRecord?> ReadSessionAsync(DbCommand command, (string Name, object Value) key,
        (string Name, object Value)? extra, CancellationToken cancellationToken)
    {
        command.With(key.Name, key.Value);
        if (extra is { } e) command.With(e.Name, e.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new SessionRecord
        {
            SessionId = reader.GetString(0), TokenId = reader.GetString(1), MerchantId = reader.GetString(2),
            MerchantName = reader.GetString(3), RequestId = reader.GetString(4), InvoiceNumber = reader.GetString(5),
            Amount = reader.GetInt64(6), Status = StatusNames.ParseTransaction(reader.GetString(7)),
            OrderStatus = StatusNames.ParseOrder(reader.GetString(8)),
            Channel = reader.IsDBNull(9) ? null : reader.GetString(9), PaidAttemptId = reader.IsDBNull(10) ? null : reader.GetString(10),
            PaymentMethods = reader.GetString(11).Split(',', StringSplitOptions.RemoveEmptyEntries),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(12)),
            ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(13)),
            TransactionDate = reader.IsDBNull(14) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(14)),
            RequestBody = reader.GetString(15),
            RecoveredAt = reader.IsDBNull(16) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(16)),
            RetryClosed = reader.GetInt64(17) != 0,
            InvoicePaid = Convert.ToBoolean(reader.GetValue(18), System.Globalization.CultureInfo.InvariantCulture),
            AuthorizeId = reader.IsDBNull(19) ? null : reader.GetString(19), HoldUntil = Instant(reader, 20),
            CapturedAmount = reader.IsDBNull(21) ? null : reader.GetInt64(21), RefundedAmount = reader.GetInt64(22),
            SettlesAt = Instant(reader, 23), ClockOffset = TimeSpan.FromMilliseconds(reader.GetInt64(24)),
        };
    }

    private static DateTimeOffset? Instant(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    private static async Task<IReadOnlyList<AttemptRecord>> ReadAttemptsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<AttemptRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new AttemptRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                StatusNames.ParseTransaction(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                JsonSerializer.Deserialize(reader.GetString(5), PaymentJsonContext.Default.AttemptDetails) ?? new AttemptDetails(),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }
        return list;
    }

    /// <summary>Removes the merchant's sessions and their attempts inside the caller's write (the sandbox reset); how many of each.</summary>
    public static async Task<(int Sessions, int Attempts)> DeleteMerchantAsync(BatchContext batch, string merchantId)
    {
        var attempts = await batch.Command("""
                DELETE FROM payment_attempts WHERE session_id IN (SELECT session_id FROM checkout_sessions WHERE merchant_id = @mid)
                """).With("@mid", merchantId).ExecuteNonQueryAsync(CancellationToken.None);
        var sessions = await batch.Command("DELETE FROM checkout_sessions WHERE merchant_id = @mid").With("@mid", merchantId)
            .ExecuteNonQueryAsync(CancellationToken.None);
        return (sessions, attempts);
    }

    private static string Serialize(AttemptDetails details) => JsonSerializer.Serialize(details, PaymentJsonContext.Default.AttemptDetails);
}
