using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lunas.Server.Tests.Storage;

public abstract class WriteBatcherTests : DatabaseTest
{
    private sealed class PlainInsert(string clientId) : BatchedWrite<bool>
    {
        protected override async Task<bool> ExecuteAsync(BatchContext batch, CancellationToken cancellationToken)
        {
            await Insert(batch, clientId);
            return true;
        }
    }

    private static async Task Insert(BatchContext batch, string clientId)
    {
        var insert = batch.Command("INSERT INTO merchants (client_id, secret_key, name, created_at) VALUES (@id, 'k', 'n', 0)");
        insert.With("@id", clientId);
        await insert.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task IsolatedWrites_UndoOnlyTheirOwnStatements_WhenTheyFailOrDiscard()
    {
        await using var database = new Database(Database.Provider == "sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres, Database.ConnectionString);
        await Migrator.MigrateAsync(database, TimeProvider.System, CancellationToken.None);
        // One writer, started after everything is queued: the four writes share one batch (one transaction).
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, NullLogger<WriteBatcher>.Instance);

        var failing = batcher.WriteAsync(new IsolatedWrite<int>(async batch =>
        {
            await Insert(batch, "FAILS");
            throw new InvalidOperationException("boom");
        }), CancellationToken.None);
        var discarding = batcher.WriteAsync(new IsolatedWrite<int>(async batch =>
        {
            await Insert(batch, "DISCARDED");
            batch.Discard();
            return 42;
        }), CancellationToken.None);
        var duplicate = batcher.WriteAsync(new IsolatedWrite<int>(async batch =>
        {
            await Insert(batch, "KEPT");
            await Insert(batch, "KEPT");
            return 0;
        }), CancellationToken.None);
        var plain = batcher.WriteAsync(new PlainInsert("KEPT"), CancellationToken.None);
        await batcher.StartAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal(42, await discarding);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => duplicate);
        Assert.True(await plain);
        await batcher.StopAsync(CancellationToken.None);

        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var count = connection.Command("SELECT client_id FROM merchants ORDER BY client_id");
        await using var reader = await count.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        Assert.Equal(["KEPT"], ids);
    }
}

public sealed class WriteBatcherTests_Sqlite : WriteBatcherTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreateSqlite();
}

public sealed class WriteBatcherTests_Postgres : WriteBatcherTests
{
    protected override TestDatabase CreateDatabase() => TestDatabase.CreatePostgres();
}
