using System.Data.Common;
using Lunas.Server.Storage;
using Lunas.Server.Telemetry;

namespace Lunas.Server.Payments;

public enum CreateOutcomeKind
{
    Created,
    Replayed,
    InvoicePaid,
}

/// <param name="Answer">For a replay: what the original answer is written from (<see cref="StoredAnswer"/>).</param>
/// <param name="SameBody">For a replay: whether the request body was byte-identical to the original.</param>
public sealed record CreateOutcome(CreateOutcomeKind Kind, StoredAnswer? Answer = null, bool SameBody = false);

/// <param name="PaymentUrl">The <c>payment.url</c> answered (its base depends on the request's host).</param>
/// <param name="Signature">The request's <c>Signature</c> header, echoed in the answer.</param>
/// <param name="Timestamp">The request's <c>Request-Timestamp</c> header, echoed in the answer.</param>
public sealed record NewSession(
    string MerchantId, string RequestId, string BodyDigest, SessionIdentity Identity, string InvoiceNumber, long Amount,
    string PaymentMethods, string RequestBody, string PaymentUrl, string Signature, string Timestamp);

/// <summary>
/// What a create answered, as stored: the answer itself for sessions created before migration 016, else what it is
/// written again from (<c>CheckoutResponse.Rewrite</c>): the request, the offered channels, the session's identity, the
/// payment URL and the request's headers.
/// </summary>
public sealed record StoredAnswer(
    string? Body, string RequestBody, string PaymentMethods, string SessionId, string TokenId, string? Uuid,
    DateTimeOffset CreatedAt, string? PaymentUrl, string RequestId, string? Signature, string? Timestamp, string ClientId)
{
    /// <summary>The columns <see cref="Read"/> reads, in its order (of <c>checkout_sessions</c>).</summary>
    public const string Columns = """
        response_body, request_body, payment_methods, session_id, token_id, uuid, created_at, payment_url,
        request_id, request_signature, request_timestamp, merchant_id
        """;

    /// <summary>Reads <see cref="Columns"/> starting at column <paramref name="first"/>.</summary>
    public static StoredAnswer Read(DbDataReader reader, int first)
    {
        string? Text(int i) => reader.IsDBNull(first + i) ? null : reader.GetString(first + i);
        var body = reader.GetString(first);
        return new StoredAnswer(body.Length == 0 ? null : body, reader.GetString(first + 1), reader.GetString(first + 2),
            reader.GetString(first + 3), reader.GetString(first + 4), Text(5), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 6)),
            Text(7), reader.GetString(first + 8), Text(9), Text(10), reader.GetString(first + 11));
    }
}

// Creating a session: through the group-commit batcher, idempotent on (merchant, Request-Id).
public sealed partial class PaymentStore
{
    public async Task<CreateOutcome> CreateAsync(NewSession session, CancellationToken cancellationToken)
    {
        var outcome = await batcher.WriteAsync(new CreateWrite(session), cancellationToken);
        if (outcome.Kind == CreateOutcomeKind.Created)
        {
            // Committed (the batcher answers after the commit); a replay or an invoice already paid is not a new payment.
            // The channel is known at creation only when the order offers one.
            metrics.PaymentCreated(session.PaymentMethods.Contains(',') ? null : session.PaymentMethods);
        }
        return outcome;
    }

    private static readonly CreateOutcome Created = new(CreateOutcomeKind.Created);

    /// <summary>
    /// The earlier use of a Request-Id, if any: a request that fails validation is still a replay (409) when its
    /// Request-Id was used before, as DOKU checks the Request-Id first.
    /// </summary>
    public async Task<CreateOutcome?> FindReplayAsync(string merchantId, string requestId, string bodyDigest,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command(ReplaySql).With("@mid", merchantId).With("@rid", requestId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CreateOutcome(CreateOutcomeKind.Replayed, StoredAnswer.Read(reader, 1), reader.GetString(0) == bodyDigest)
            : null;
    }

    private const string ReplaySql =
        $"SELECT body_digest, {StoredAnswer.Columns} FROM checkout_sessions WHERE merchant_id = @mid AND request_id = @rid";

    private sealed class CreateWrite(NewSession s) : PipelinedWrite<CreateOutcome>
    {
        // A settled session of this merchant's invoice: the insert's own condition, and what a 0-row insert looks for.
        private const string PaidInvoiceSql = $"merchant_id = @mid AND invoice_number = @inv AND status IN {PaymentRules.SettledSql}";

        protected internal override DbCommand FirstStatement(BatchContext batch)
        {
            // One statement on the common path: the insert itself checks that no session of the invoice is settled (the
            // partial unique index on settled invoices answers that), and the unique key on (merchant, Request-Id)
            // decides replays: a conflict inserts nothing. Never check-then-insert for the Request-Id. A paid invoice
            // skips the insert, so a Request-Id still being inserted by another instance is then not waited for: that
            // request answers "already paid", which it would have a moment later anyway.
            // The answer is not stored, only what it is written again from (migration 016): response_body is ''.
            var insert = batch.Command($"""
                INSERT INTO checkout_sessions (session_id, token_id, merchant_id, request_id, body_digest, invoice_number,
                    amount, status, payment_methods, created_at, expires_at, request_body, response_body, uuid, payment_url,
                    request_signature, request_timestamp)
                SELECT @sid, @tid, @mid, @rid, @digest, @inv, @amount, 'PENDING', @methods, @created, @expires, @req, '',
                    @uuid, @url, @sig, @ts
                WHERE NOT EXISTS (SELECT 1 FROM checkout_sessions WHERE {PaidInvoiceSql})
                ON CONFLICT (merchant_id, request_id) DO NOTHING
                """);
            insert.With("@sid", s.Identity.SessionId).With("@tid", s.Identity.TokenId).With("@mid", s.MerchantId)
                    .With("@rid", s.RequestId).With("@digest", s.BodyDigest).With("@inv", s.InvoiceNumber)
                    .With("@amount", s.Amount).With("@methods", s.PaymentMethods)
                    .With("@created", s.Identity.CreatedAt.ToUnixTimeMilliseconds())
                    .With("@expires", s.Identity.ExpiresAt.ToUnixTimeMilliseconds())
                    .With("@req", s.RequestBody).With("@uuid", s.Identity.Uuid).With("@url", s.PaymentUrl)
                    .With("@sig", s.Signature).With("@ts", s.Timestamp);
            return insert;
        }

        protected internal override async Task<CreateOutcome> ContinueAsync(BatchContext batch, int rows)
        {
            if (rows == 1)
            {
                return Created;
            }
            // Nothing inserted: the Request-Id was used before (a replay answers first, as DOKU checks the Request-Id
            // before anything else), or else the invoice is already paid.
            if (await ReplayAsync(batch, CancellationToken.None) is { } replay)
            {
                return replay;
            }
            var paid = batch.Command($"""
                SELECT 1 FROM checkout_sessions WHERE {PaidInvoiceSql} LIMIT 1
                """).With("@mid", s.MerchantId).With("@inv", s.InvoiceNumber);
            // Neither: the conflicting session went between the two statements (a sandbox reset on another instance).
            // The batch fails and this write runs again alone, never answering "paid" for an invoice that is not.
            return await paid.ExecuteScalarAsync(CancellationToken.None) is not null
                ? new CreateOutcome(CreateOutcomeKind.InvoicePaid)
                : throw new InvalidOperationException("A create inserted nothing, but neither its Request-Id nor a paid invoice is visible.");
        }

        private async Task<CreateOutcome?> ReplayAsync(BatchContext batch, CancellationToken cancellationToken)
        {
            var select = batch.Command(ReplaySql).With("@mid", s.MerchantId).With("@rid", s.RequestId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new CreateOutcome(CreateOutcomeKind.Replayed, StoredAnswer.Read(reader, 1), reader.GetString(0) == s.BodyDigest)
                : null;
        }
    }
}
