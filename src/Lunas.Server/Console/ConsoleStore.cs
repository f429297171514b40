using System.Data.Common;
using System.Text;
using Lunas.Server.Checkout;
using Lunas.Server.Payments;
using Lunas.Server.Storage;

namespace Lunas.Server.Console;

public sealed record OrderRow(string SessionId, string MerchantId, string InvoiceNumber, string RequestId, long Amount,
    TransactionStatus Status, string? Channel, DateTimeOffset CreatedAt);

/// <summary>The order list's search and filters; <see cref="After"/> is the keyset of the last row of the page before.</summary>
public sealed record OrderFilter(string? MerchantId, string? Query, TransactionStatus? Status, string? Channel,
    DateTimeOffset? From, DateTimeOffset? To, Keyset? After);

/// <summary>A position in a newest-first list: the (created_at, id) of a row; written <c>millis_id</c> in links.</summary>
public readonly record struct Keyset(long At, string Id)
{
    public override string ToString() => $"{At}_{Id}";

    public static Keyset? Parse(string? value)
    {
        var at = value?.IndexOf('_') ?? -1;
        return at > 0 && long.TryParse(value.AsSpan(0, at), System.Globalization.CultureInfo.InvariantCulture, out var millis) && at + 1 < value!.Length
            ? new Keyset(millis, value[(at + 1)..]) : null;
    }
}

public sealed record NotificationLogRow(string NotificationId, string MerchantId, string SessionId, string InvoiceNumber, string Event,
    string? Url, string Status, int Attempts, DateTimeOffset CreatedAt, int? LastStatusCode, string? LastError);

/// <summary>Which notifications the log shows.</summary>
public enum DeliveryState
{
    All,
    Delivered,
    Failing,
    GivenUp,
}

/// <summary>
/// The console's reads across orders and notifications: lists paged by keyset (never OFFSET), newest first. It only
/// reads; every change goes through the store of the feature that owns the table.
/// </summary>
public sealed class ConsoleStore(Database database)
{
    public const int PageSize = 25;

    public async Task<(IReadOnlyList<OrderRow> Rows, Keyset? Next)> OrdersAsync(OrderFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("");
        var where = new List<string>();
        if (filter.MerchantId is { } merchant) Add(where, command, "s.merchant_id = @mid", "@mid", merchant);
        if (filter.Query is { Length: > 0 } q)
        {
            if (q.Contains('@', StringComparison.Ordinal))
            {
                // The customer's email lives in the stored request; a scan of this merchant's orders finds it.
                Add(where, command, @"LOWER(s.request_body) LIKE @email ESCAPE '\'", "@email", "%\"" + Like(q.ToLowerInvariant()) + "\"%");
            }
            else
            {
                Add(where, command, @"(s.invoice_number LIKE @prefix ESCAPE '\' OR s.request_id = @q)", "@prefix", Like(q) + "%");
                command.With("@q", q);
            }
        }
        if (filter.Status is { } status) Add(where, command, "s.status = @status", "@status", status.Wire());
        if (filter.Channel is { Length: > 0 } channel) Add(where, command, "s.channel = @channel", "@channel", channel);
        if (filter.From is { } from) Add(where, command, "s.created_at >= @from", "@from", from.ToUnixTimeMilliseconds());
        if (filter.To is { } to) Add(where, command, "s.created_at < @to", "@to", to.ToUnixTimeMilliseconds());
        if (filter.After is { } after)
        {
            Add(where, command, "(s.created_at, s.session_id) < (@at, @id)", "@at", after.At);
            command.With("@id", after.Id);
        }
        command.CommandText = $"""
            SELECT s.session_id, s.merchant_id, s.invoice_number, s.request_id, s.amount, s.status, s.channel, s.created_at
            FROM checkout_sessions s
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY s.created_at DESC, s.session_id DESC LIMIT {PageSize + 1}
            """;
        var rows = new List<OrderRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OrderRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4),
                StatusNames.ParseTransaction(reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }
        return Page(rows, r => new Keyset(r.CreatedAt.ToUnixTimeMilliseconds(), r.SessionId));
    }

    /// <summary>The create-payment answer as it was sent (<see cref="CheckoutResponse.Rewrite"/>).</summary>
    public async Task<string?> ResponseBodyAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {StoredAnswer.Columns} FROM checkout_sessions WHERE session_id = @sid")
            .With("@sid", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && CheckoutResponse.Rewrite(StoredAnswer.Read(reader, 0)) is { } body
            ? Encoding.UTF8.GetString(body)
            : null;
    }

    public async Task<(IReadOnlyList<NotificationLogRow> Rows, Keyset? Next)> NotificationsAsync(string? merchantId, DeliveryState state,
        Keyset? after, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("");
        var where = new List<string>();
        if (merchantId is not null) Add(where, command, "n.merchant_id = @mid", "@mid", merchantId);
        switch (state)
        {
            case DeliveryState.Delivered: where.Add("n.status = 'DELIVERED'"); break;
            case DeliveryState.Failing: where.Add("n.status = 'PENDING' AND n.attempts > 0"); break;
            case DeliveryState.GivenUp: where.Add("n.status IN ('FAILED', 'UNDELIVERABLE')"); break;
            case DeliveryState.All: break;
        }
        if (after is { } a)
        {
            Add(where, command, "(n.created_at, n.notification_id) < (@at, @id)", "@at", a.At);
            command.With("@id", a.Id);
        }
        command.CommandText = $"""
            SELECT n.notification_id, n.merchant_id, n.session_id, n.invoice_number, n.event, n.url, n.status,
                (SELECT COUNT(*) FROM notification_attempts c WHERE c.notification_id = n.notification_id), n.created_at,
                l.status_code, l.error
            FROM notifications n
            LEFT JOIN notification_attempts l ON l.attempt_id = (
                SELECT x.attempt_id FROM notification_attempts x WHERE x.notification_id = n.notification_id
                ORDER BY x.attempt_number DESC LIMIT 1)
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY n.created_at DESC, n.notification_id DESC LIMIT {PageSize + 1}
            """;
        var rows = new List<NotificationLogRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new NotificationLogRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6),
                Convert.ToInt32(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)), reader.IsDBNull(9) ? null : reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }
        return Page(rows, r => new Keyset(r.CreatedAt.ToUnixTimeMilliseconds(), r.NotificationId));
    }

    private static (IReadOnlyList<T>, Keyset?) Page<T>(List<T> rows, Func<T, Keyset> key)
    {
        if (rows.Count <= PageSize) return (rows, null);
        rows.RemoveAt(PageSize);
        return (rows, key(rows[^1]));
    }

    private static void Add(List<string> where, DbCommand command, string condition, string name, object value)
    {
        where.Add(condition);
        command.With(name, value);
    }

    private static string Like(string text) => text.Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);
}
