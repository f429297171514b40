using Lunas.Server.Storage;
using Microsoft.AspNetCore.Identity;

namespace Lunas.Server.Console;

/// <summary>The operator account(s): a user name and ASP.NET Core's PasswordHasher hash, never the password.</summary>
public sealed class OperatorStore(Database database, TimeProvider clock)
{
    public sealed record Operator(string UserName);

    private static readonly PasswordHasher<Operator> Hasher = new();

    /// <summary>
    /// True when this call made the account (a later start, or a racing instance, finds it made). <paramref name="meanwhile"/>
    /// (other set-up of the start) runs while the password is hashed on the thread pool, and in any case before the
    /// account is added.
    /// </summary>
    public async Task<bool> CreateIfMissingAsync(string userName, string password, Func<Task> meanwhile, CancellationToken cancellationToken)
    {
        // Hashing costs tens of milliseconds by design (PBKDF2), so a start that finds the account made skips it. No
        // connection is held while `meanwhile` runs: it takes its own from the same pool.
        bool exists;
        await using (var connection = await database.OpenAsync(cancellationToken))
        await using (var select = connection.Command("SELECT 1 FROM operators WHERE user_name = @user").With("@user", userName))
        {
            exists = await select.ExecuteScalarAsync(cancellationToken) is not null;
        }
        var hashing = exists ? null : Task.Run(() => Hasher.HashPassword(new Operator(userName), password), cancellationToken);
        await meanwhile();
        if (hashing is null) return false;
        var hash = await hashing;
        await using var writer = await database.OpenAsync(cancellationToken);
        await using var insert = writer.Command("""
            INSERT INTO operators (user_name, password_hash, created_at) VALUES (@user, @hash, @now)
            ON CONFLICT (user_name) DO NOTHING
            """).With("@user", userName).With("@hash", hash).With("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> VerifyAsync(string userName, string password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT password_hash FROM operators WHERE user_name = @user").With("@user", userName);
        if (await select.ExecuteScalarAsync(cancellationToken) is not string hash) return false;
        return Hasher.VerifyHashedPassword(new Operator(userName), hash, password) is not PasswordVerificationResult.Failed;
    }
}
