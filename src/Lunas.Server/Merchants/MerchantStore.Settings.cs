using Lunas.Server.Storage;

namespace Lunas.Server.Merchants;

// What a merchant (or the operator) changes from the console: its settings, its key, whether it is enabled. Each
// change drops this instance's cached copy; other instances see it within CacheLifetime.
public sealed partial class MerchantStore
{
    /// <summary>Name, enabled channels (null: all) and notification URL; false when there is no such merchant.</summary>
    public async Task<bool> UpdateSettingsAsync(string clientId, string name, IReadOnlyList<string>? channels, string? notificationUrl,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("""
            UPDATE merchants SET name = @name, payment_method_types = @types, notification_url = @url WHERE client_id = @id
            """)
            .With("@id", clientId).With("@name", name).With("@url", notificationUrl)
            .With("@types", channels is null ? null : string.Join(',', channels));
        return await ChangedAsync(command, clientId, cancellationToken);
    }

    /// <summary>
    /// A new Secret Key; the current one keeps verifying requests for <paramref name="overlap"/> (zero: it stops at
    /// once). Returns the new key, or null when there is no such merchant.
    /// </summary>
    public async Task<string?> RotateKeyAsync(string clientId, TimeSpan overlap, CancellationToken cancellationToken)
    {
        var (_, secretKey) = NewCredentials(clock);
        var keep = overlap > TimeSpan.Zero;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"""
            UPDATE merchants SET previous_secret_key = {(keep ? "secret_key" : "NULL")}, previous_key_expires_at = @until,
                secret_key = @secret
            WHERE client_id = @id
            """)
            .With("@id", clientId).With("@secret", secretKey)
            .With("@until", keep ? clock.GetUtcNow().Add(overlap).ToUnixTimeMilliseconds() : null);
        return await ChangedAsync(command, clientId, cancellationToken) ? secretKey : null;
    }

    public async Task<bool> SetDisabledAsync(string clientId, bool disabled, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("UPDATE merchants SET disabled = @d WHERE client_id = @id")
            .With("@id", clientId).With("@d", disabled ? 1 : 0);
        return await ChangedAsync(command, clientId, cancellationToken);
    }

    private async Task<bool> ChangedAsync(System.Data.Common.DbCommand command, string clientId, CancellationToken cancellationToken)
    {
        var changed = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        _cache.TryRemove(clientId, out _);
        return changed;
    }
}
