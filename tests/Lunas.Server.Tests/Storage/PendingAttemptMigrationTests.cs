using System.Data.Common;
using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;

namespace Lunas.Server.Tests.Storage;

/// <summary>
/// Migration 017 on a database where the old race left two pending attempts of one channel for an order: the newest
/// stays pending (the page's number), the older is closed, and the unique index then holds.
/// </summary>
public abstract class PendingAttemptMigrationTests : ServerTest
{
    [SkippableFact]
    public async Task Migration017_KeepsTheNewestPendingAttempt_AndClosesOnlyTheOlderOfTheSameChannel()
    {
        var order = await Server.CreateAsync();
        var other = await Server.CreateAsync();
        var older = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");
        var otherChannel = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BNI");
        var otherOrder = await Server.ChooseCodeAsync(other, "VIRTUAL_ACCOUNT_BCA");
        // As before 017: no index, and the race's second pending attempt of the channel, a moment later. The other
        // channel of the order and the other order's attempt are not duplicates: they stay pending.
        await Server.ExecuteAsync("DROP INDEX ux_payment_attempts_pending");
        await Server.ExecuteAsync(Duplicate(older, "newer-attempt", "1900899999999999", "+ 1"));
        // Two of the same moment: the greater attempt id is the one kept.
        await Server.ExecuteAsync(Duplicate(otherOrder, "zz-same-moment", "1900899999999998", "+ 0"));
        await Server.ExecuteAsync("DELETE FROM schema_version WHERE version = 17");

        var database = new Database(Database.Provider == "sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres, Database.ConnectionString);
        await using (database)
        {
            Assert.Equal(1, await Migrator.MigrateAsync(database, TimeProvider.System, CancellationToken.None));
        }

        Assert.Equal(1, await Server.CountAsync(
            $"SELECT COUNT(*) FROM payment_attempts WHERE pay_code = '{older}' AND status = 'FAILED' AND completed_at = created_at"));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_attempts WHERE pay_code = '{otherOrder}' AND status = 'FAILED'"));
        Assert.Equal(2, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts WHERE status = 'FAILED'"));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_attempts WHERE pay_code = '{otherChannel}' AND status = 'PENDING'"));
        Assert.Equal("1900899999999999", await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA"));
        Assert.Equal("1900899999999998", await Server.ChooseCodeAsync(other, "VIRTUAL_ACCOUNT_BCA"));
        Assert.Equal(otherChannel, await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BNI"));
        // The index is back: a second pending attempt of the channel is refused.
        var refused = await Assert.ThrowsAnyAsync<DbException>(() => Server.ExecuteAsync(Duplicate("1900899999999999", "third-attempt", "1900899999999997", "+ 2")));
        Assert.True(Lunas.Server.Storage.Database.IsUniqueViolation(refused), refused.Message);
    }

    /// <summary>An INSERT of another PENDING attempt like the one with <paramref name="code"/> (same order and channel).</summary>
    private static string Duplicate(string code, string attemptId, string newCode, string later) => $"""
        INSERT INTO payment_attempts (attempt_id, session_id, channel, status, pay_code, details, created_at, completed_at)
        SELECT '{attemptId}', session_id, channel, 'PENDING', '{newCode}', details, created_at {later}, NULL
        FROM payment_attempts WHERE pay_code = '{code}'
        """;
}

public sealed class PendingAttemptMigrationTests_Sqlite : PendingAttemptMigrationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class PendingAttemptMigrationTests_Postgres : PendingAttemptMigrationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
