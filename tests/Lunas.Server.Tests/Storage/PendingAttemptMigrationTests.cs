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
    public async Task Migration017_KeepsTheNewestPendingAttempt_AndClosesTheOlder()
    {
        var order = await Server.CreateAsync();
        var older = await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA");
        // As before 017: no index, and a second pending attempt of the channel inserted a moment later.
        await Server.ExecuteAsync("DROP INDEX ux_payment_attempts_pending");
        await Server.ExecuteAsync("""
            INSERT INTO payment_attempts (attempt_id, session_id, channel, status, pay_code, details, created_at, completed_at)
            SELECT 'newer-attempt', session_id, channel, 'PENDING', '1900899999999999', details, created_at + 1, NULL
            FROM payment_attempts
            """);
        await Server.ExecuteAsync("DELETE FROM schema_version WHERE version = 17");

        var database = new Database(Database.Provider == "sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres, Database.ConnectionString);
        await using (database)
        {
            Assert.Equal(1, await Migrator.MigrateAsync(database, TimeProvider.System, CancellationToken.None));
        }

        Assert.Equal(1, await Server.CountAsync(
            $"SELECT COUNT(*) FROM payment_attempts WHERE pay_code = '{older}' AND status = 'FAILED' AND completed_at = created_at"));
        Assert.Equal(1, await Server.CountAsync("SELECT COUNT(*) FROM payment_attempts WHERE attempt_id = 'newer-attempt' AND status = 'PENDING'"));
        Assert.Equal("1900899999999999", await Server.ChooseCodeAsync(order, "VIRTUAL_ACCOUNT_BCA"));
        // The index is back: a second pending attempt of the channel is refused.
        await Assert.ThrowsAnyAsync<Exception>(() => Server.ExecuteAsync("""
            INSERT INTO payment_attempts (attempt_id, session_id, channel, status, pay_code, details, created_at, completed_at)
            SELECT 'third-attempt', session_id, channel, 'PENDING', '1900899999999998', details, created_at + 2, NULL
            FROM payment_attempts WHERE attempt_id = 'newer-attempt'
            """));
    }
}

public sealed class PendingAttemptMigrationTests_Sqlite : PendingAttemptMigrationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class PendingAttemptMigrationTests_Postgres : PendingAttemptMigrationTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
