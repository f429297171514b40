using Lunas.Server.Storage;

namespace Lunas.Server.Notifications;

/// <summary>
/// The notification_faults table: a merchant's list of faults, and their binding to notifications. A notification takes
/// at most one fault, the first in the list that matches it and has times left, when its first attempt is claimed; the
/// fault's remaining count goes down in that claim's write, so two dispatchers never use one time twice.
/// </summary>
public sealed class NotificationFaultStore(Database database, WriteBatcher batcher, TimeProvider clock, LunasOptions options)
{
    private bool Enabled => options.Sandbox.Enabled;

    /// <summary>Replaces the merchant's faults (an empty list clears them).</summary>
    public Task ReplaceAsync(string merchantId, IReadOnlyList<NotificationFault> faults, CancellationToken cancellationToken)
        => batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            await batch.Command("DELETE FROM notification_faults WHERE merchant_id = @mid").With("@mid", merchantId)
                .ExecuteNonQueryAsync(CancellationToken.None);
            var now = clock.GetUtcNow();
            for (var i = 0; i < faults.Count; i++)
            {
                var f = faults[i];
                await batch.Command("""
                        INSERT INTO notification_faults (fault_id, merchant_id, position, kind, amount, channel, times, remaining, created_at)
                        VALUES (@id, @mid, @pos, @kind, @amount, @channel, @times, @times, @now)
                        """)
                    .With("@id", Guid.CreateVersion7(now).ToString("N")).With("@mid", merchantId).With("@pos", i).With("@kind", f.Kind)
                    .With("@amount", f.Amount).With("@channel", f.Channel).With("@times", f.Times)
                    .With("@now", now.ToUnixTimeMilliseconds()).ExecuteNonQueryAsync(CancellationToken.None);
            }
            return true;
        }), cancellationToken);

    /// <summary>The merchant's faults in order, used-up ones included (remaining 0).</summary>
    public async Task<IReadOnlyList<NotificationFault>> ListAsync(string merchantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
                "SELECT kind, amount, channel, times, remaining FROM notification_faults WHERE merchant_id = @mid ORDER BY position")
            .With("@mid", merchantId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var faults = new List<NotificationFault>();
        while (await reader.ReadAsync(cancellationToken))
        {
            faults.Add(new NotificationFault(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt32(3), reader.GetInt32(4)));
        }
        return faults;
    }

    private sealed record Candidate(string Id, string MerchantId, NotificationFault Fault);

    /// <summary>
    /// Inside a claim's write: gives each claimed notification on its first attempt the fault it takes. Returns the rows
    /// to send now; a delayed one, or an out_of_order one held for its order's SUCCESS, is given back postponed.
    /// </summary>
    internal async Task<IReadOnlyList<NotificationRow>> BindAsync(BatchContext batch, IReadOnlyList<NotificationRow> rows, DateTimeOffset now)
    {
        if (!Enabled || !rows.Any(IsFresh)) return rows;
        var faults = await CandidatesAsync(batch, rows.Where(IsFresh).Select(r => r.MerchantId).Distinct().ToList());
        if (faults.Count == 0) return rows;
        var send = new List<NotificationRow>(rows.Count);
        var usedUp = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            NotificationRow? bound = row;
            if (IsFresh(row))
            {
                foreach (var c in faults.Where(c => c.MerchantId == row.MerchantId && !usedUp.Contains(c.Id) && NotificationFaults.Matches(c.Fault, row)))
                {
                    if (await TakeAsync(batch, c.Id))
                    {
                        bound = await BindOneAsync(batch, row, c.Fault, now);
                        break;
                    }
                    usedUp.Add(c.Id);
                }
            }
            if (bound is not null) send.Add(bound);
        }
        return send;
    }

    private static bool IsFresh(NotificationRow row) => row.Attempts == 0 && row.Fault is null;

    private static async Task<List<Candidate>> CandidatesAsync(BatchContext batch, List<string> merchants)
    {
        var select = batch.Command($"""
            SELECT fault_id, merchant_id, kind, amount, channel, times, remaining FROM notification_faults
            WHERE remaining > 0 AND merchant_id IN ({string.Join(", ", merchants.Select((_, i) => "@m" + i))})
            ORDER BY merchant_id, position
            """);
        for (var i = 0; i < merchants.Count; i++) select.With("@m" + i, merchants[i]);
        var list = new List<Candidate>();
        await using var reader = await select.ExecuteReaderAsync(CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            list.Add(new Candidate(reader.GetString(0), reader.GetString(1), new NotificationFault(reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5), reader.GetInt32(6))));
        }
        return list;
    }

    // A row lock on PostgreSQL: another instance's claim waits, then sees the new count (and 0 rows when it ran out).
    private static async Task<bool> TakeAsync(BatchContext batch, string faultId)
        => await batch.Command("UPDATE notification_faults SET remaining = remaining - 1 WHERE fault_id = @id AND remaining > 0")
            .With("@id", faultId).ExecuteNonQueryAsync(CancellationToken.None) == 1;

    private static async Task<NotificationRow?> BindOneAsync(BatchContext batch, NotificationRow row, NotificationFault fault, DateTimeOffset now)
    {
        var value = fault.Kind == NotificationFaults.OutOfOrder ? 1 : fault.Amount;
        DateTimeOffset? until = fault.Kind switch
        {
            NotificationFaults.Delay => now + TimeSpan.FromSeconds(fault.Amount),
            NotificationFaults.OutOfOrder => now + NotificationFaults.OutOfOrderHold,
            _ => null,
        };
        if (until is null)
        {
            await batch.Command("UPDATE notifications SET fault = @kind, fault_value = @value WHERE notification_id = @id")
                .With("@kind", fault.Kind).With("@value", value).With("@id", row.NotificationId).ExecuteNonQueryAsync(CancellationToken.None);
            return row with { Fault = fault.Kind, FaultValue = value };
        }
        await batch.Command("""
                UPDATE notifications SET fault = @kind, fault_value = @value, next_attempt_at = @until, locked_until = NULL, locked_by = NULL
                WHERE notification_id = @id
                """)
            .With("@kind", fault.Kind).With("@value", value).With("@until", until.Value.ToUnixTimeMilliseconds()).With("@id", row.NotificationId)
            .ExecuteNonQueryAsync(CancellationToken.None);
        return null;
    }

    /// <summary>
    /// Inside the write recording a delivered SUCCESS notification: the order's FAILED notification held back by
    /// out_of_order is due now, so it arrives after this one. One already sent (its hold ran out) is left as it is; that
    /// also keeps this statement right when it runs after the UPDATE recording that one's attempt, later in the same
    /// batch (the first statements of a run of records go out before their continuations).
    /// </summary>
    internal async Task ReleaseHeldAsync(BatchContext batch, NotificationRow row, DateTimeOffset now)
    {
        if (!Enabled || row.Event != "SUCCESS") return;
        await batch.DeferAsync(batch.Command("""
                UPDATE notifications SET next_attempt_at = @now, fault_value = 0
                WHERE merchant_id = @mid AND invoice_number = @inv AND fault = 'out_of_order' AND fault_value = 1 AND status = 'PENDING'
                  AND attempts = 0
                """)
            .With("@now", now.ToUnixTimeMilliseconds()).With("@mid", row.MerchantId).With("@inv", row.InvoiceNumber));
    }
}
