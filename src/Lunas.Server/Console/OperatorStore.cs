using Lunas.Server.Storage;
using Microsoft.AspNetCore.Identity;

namespace Lunas.Server.Console;

/// <summary>The operator account(s): a user name and ASP.NET Core's PasswordHasher hash, never the password.</summary>
public sealed class OperatorStore(Database database, TimeProvider clock)
{
    public sealed record Operator(string UserName);

    private static readonly PasswordHasher<Operator> Hasher = new();

    public async Task<bool> ExistsAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var select = connection.Command("SELECT 1 FROM operators WHERE user_name = @user").With("@user", userName);
        return await select.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>The password's hash, made on the thread pool: PBKDF2 costs tens of milliseconds by design.</summary>
    public static Task<string> HashAsync(string userName, string password)
        => Task.Run(() => Hasher.HashPassword(new Operator(userName), password));

    /// <summary>True when this call added the account (a racing instance may have made it first).</summary>
    public async Task<bool> AddAsync(string userName, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var insert = connection.Command("""
            INSERT INTO operators (user_name, password_hash, created_at) VALUES (@user, @hash, @now)
            ON CONFLICT (user_name) DO NOTHING
            """).With("@user", userName).With("@hash", passwordHash).With("@now", clock.GetUtcNow().ToUnixTimeMilliseconds());
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
