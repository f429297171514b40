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

/// <param name="Body">For a replay: the original response body.</param>
/// <param name="SameBody">For a replay: whether the request body was byte-identical to the original.</param>
public sealed record CreateOutcome(CreateOutcomeKind Kind, string? Body = null, bool SameBody = false);

public sealed record NewSession(
    string MerchantId, string RequestId, string BodyDigest, SessionIdentity Identity, string InvoiceNumber, long Amount,
    string PaymentMethods, string RequestBody, string ResponseBody);

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
            ? new CreateOutcome(CreateOutcomeKind.Replayed, reader.GetString(1), reader.GetString(0) == bodyDigest)
            : null;
    }

    private const string ReplaySql =
        "SELECT body_digest, response_body FROM checkout_sessions WHERE merchant_id = @mid AND request_id = @rid";

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
            var insert = batch.Command($"""
                INSERT INTO checkout_sessions (session_id, token_id, merchant_id, request_id, body_digest, invoice_number,
                    amount, status, payment_methods, created_at, expires_at, request_body, response_body)
                SELECT @sid, @tid, @mid, @rid, @digest, @inv, @amount, 'PENDING', @methods, @created, @expires, @req, @res
                WHERE NOT EXISTS (SELECT 1 FROM checkout_sessions WHERE {PaidInvoiceSql})
                ON CONFLICT (merchant_id, request_id) DO NOTHING
                """);
            insert.With("@sid", s.Identity.SessionId).With("@tid", s.Identity.TokenId).With("@mid", s.MerchantId)
                    .With("@rid", s.RequestId).With("@digest", s.BodyDigest).With("@inv", s.InvoiceNumber)
                    .With("@amount", s.Amount).With("@methods", s.PaymentMethods)
                    .With("@created", s.Identity.CreatedAt.ToUnixTimeMilliseconds())
                    .With("@expires", s.Identity.ExpiresAt.ToUnixTimeMilliseconds())
                    .With("@req", s.RequestBody).With("@res", s.ResponseBody);
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
                ? new CreateOutcome(CreateOutcomeKind.Replayed, reader.GetString(1), reader.GetString(0) == s.BodyDigest)
                : null;
        }
    }
}
