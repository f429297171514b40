using System.Collections.Concurrent;
using System.Security.Cryptography;
using Lunas.Protocol.Channels;
using Lunas.Server.Storage;

namespace Lunas.Server.Merchants;

/// <param name="PaymentMethodTypes">Enabled channels; null means every channel.</param>
/// <param name="NotificationUrls">Per channel family (service id, e.g. VIRTUAL_ACCOUNT), overriding NotificationUrl.</param>
/// <param name="CancelOrderEnabled">Cancel Order activated (on by default); <paramref name="CancelConvenienceStore"/> lets it cancel store payments.</param>
public sealed record Merchant(string ClientId, string SecretKey, string Name, string? NotificationUrl,
    IReadOnlyList<string>? PaymentMethodTypes, IReadOnlyDictionary<string, string>? NotificationUrls = null,
    bool CancelOrderEnabled = true, bool CancelConvenienceStore = true)
{
    public override string ToString() => $"Merchant {{ ClientId = {ClientId}, Name = {Name} }}";

    /// <summary>The key replaced by the last rotation; it still verifies requests until <see cref="PreviousKeyExpiresAt"/>.</summary>
    public string? PreviousSecretKey { get; init; }

    public DateTimeOffset? PreviousKeyExpiresAt { get; init; }

    /// <summary>A disabled merchant is unknown to the API and cannot sign in to the console.</summary>
    public bool Disabled { get; init; }

    /// <summary>The previous key while its overlap window lasts, else null.</summary>
    public string? PreviousKeyAt(DateTimeOffset now) => PreviousSecretKey is not null && now < PreviousKeyExpiresAt ? PreviousSecretKey : null;

    /// <summary>Where notifications of a channel family go: the family's URL, else the merchant's, else nowhere.</summary>
    public string? NotificationUrlFor(string? serviceId)
        => serviceId is not null && NotificationUrls?.TryGetValue(serviceId, out var url) == true ? url : NotificationUrl;
}

/// <summary>
/// Merchants live in the database so every instance sees the same ones; this keeps a short-lived copy so the hot
/// path does not query for each request. A copy older than <see cref="CacheLifetime"/> is read again. Unknown ids are
/// remembered only in a small set that a flood of made-up ids cannot grow: when it is full, an unknown id is simply
/// looked up again.
/// </summary>
public sealed partial class MerchantStore(Database database, TimeProvider clock)
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UnknownLifetime = TimeSpan.FromSeconds(5);
    public const int MaxUnknown = 1024;

    private const string Columns =
        "client_id, secret_key, name, notification_url, payment_method_types, notification_urls, previous_secret_key, previous_key_expires_at, disabled, "
        + "cancel_order_enabled, cancel_convenience_store";

    private readonly ConcurrentDictionary<string, (Merchant Merchant, long LoadedAt)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _unknown = new(StringComparer.Ordinal);

    /// <summary>How many unknown ids are remembered (bounded by <see cref="MaxUnknown"/>).</summary>
    public int UnknownCount => _unknown.Count;

    public async ValueTask<Merchant?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        var now = clock.GetTimestamp();
        if (_cache.TryGetValue(clientId, out var entry) && clock.GetElapsedTime(entry.LoadedAt, now) < CacheLifetime)
        {
            return entry.Merchant;
        }
        if (_unknown.TryGetValue(clientId, out var missedAt) && clock.GetElapsedTime(missedAt, now) < UnknownLifetime)
        {
            return null;
        }
        var merchant = await LoadAsync(clientId, cancellationToken);
        if (merchant is not null)
        {
            _cache[clientId] = (merchant, now);
            _unknown.TryRemove(clientId, out _);
        }
        else
        {
            RememberUnknown(clientId, now);
        }
        return merchant;
    }

    private void RememberUnknown(string clientId, long now)
    {
        if (_unknown.Count >= MaxUnknown)
        {
            foreach (var (id, at) in _unknown)
            {
                if (clock.GetElapsedTime(at, now) >= UnknownLifetime) _unknown.TryRemove(id, out _);
            }
            if (_unknown.Count >= MaxUnknown) return;
        }
        _unknown[clientId] = now;
    }

    private async Task<Merchant?> LoadAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM merchants WHERE client_id = @id")
            .With("@id", clientId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<Merchant>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {Columns} FROM merchants ORDER BY created_at, client_id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<Merchant>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }
        return list;
    }

    /// <summary>Inserts or updates a merchant (configuration is the source of truth for configured ones).</summary>
    public async Task UpsertAsync(Merchant merchant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            INSERT INTO merchants (client_id, secret_key, name, notification_url, payment_method_types, notification_urls,
                cancel_order_enabled, cancel_convenience_store, created_at)
            VALUES (@id, @secret, @name, @url, @types, @urls, @cancel, @stores, @now)
            ON CONFLICT (client_id) DO UPDATE SET secret_key = excluded.secret_key, name = excluded.name,
                notification_url = excluded.notification_url, payment_method_types = excluded.payment_method_types,
                notification_urls = excluded.notification_urls, cancel_order_enabled = excluded.cancel_order_enabled,
                cancel_convenience_store = excluded.cancel_convenience_store
            """)
            .With("@id", merchant.ClientId).With("@secret", merchant.SecretKey).With("@name", merchant.Name)
            .With("@url", merchant.NotificationUrl)
            .With("@types", merchant.PaymentMethodTypes is null ? null : string.Join(',', merchant.PaymentMethodTypes))
            .With("@urls", merchant.NotificationUrls is { Count: > 0 } urls
                ? string.Join('\n', urls.Select(u => $"{u.Key}={u.Value}")) : null)
            .With("@cancel", merchant.CancelOrderEnabled ? 1 : 0).With("@stores", merchant.CancelConvenienceStore ? 1 : 0)
            .With("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
        _cache.TryRemove(merchant.ClientId, out _);
        _unknown.TryRemove(merchant.ClientId, out _);
    }

    public async Task<bool> RemoveAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM merchants WHERE client_id = @id").With("@id", clientId);
        _cache.TryRemove(clientId, out _);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static Merchant Read(System.Data.Common.DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.IsDBNull(4) ? null : ParseChannels(reader.GetString(4)),
        reader.IsDBNull(5) ? null : reader.GetString(5).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal),
        Flag(reader, 9), Flag(reader, 10))
    {
        PreviousSecretKey = reader.IsDBNull(6) ? null : reader.GetString(6),
        PreviousKeyExpiresAt = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        Disabled = Flag(reader, 8),
    };

    // An INTEGER 0/1 column: Int32 on PostgreSQL, Int64 on SQLite.
    private static bool Flag(System.Data.Common.DbDataReader reader, int ordinal)
        => Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture) != 0;

    /// <summary>Parses a comma-separated channel list; throws on an unknown value so typos surface at start.</summary>
    public static IReadOnlyList<string>? ParseChannels(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var list = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var channel in list)
        {
            if (PaymentMethods.Find(channel) is null)
            {
                throw new InvalidOperationException($"'{channel}' is not a DOKU payment method value.");
            }
        }
        return list;
    }

    /// <summary>A DOKU-shaped Client-Id (<c>BRN-0001-1714016624673</c>) and a random Secret Key.</summary>
    public static (string ClientId, string SecretKey) NewCredentials(TimeProvider clock)
    {
        var clientId = $"BRN-{RandomNumberGenerator.GetInt32(1, 10_000):D4}-{clock.GetUtcNow().ToUnixTimeMilliseconds()}";
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var secret = "SK-" + RandomNumberGenerator.GetString(alphabet, 20);
        return (clientId, secret);
    }
}
