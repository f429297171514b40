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
    public async Task AReusedBatchCommand_RunsWithEachCallsValues_AlsoOnceThePoolHasPreparedIt()
    {
        await using var database = await OpenAsync();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, NullLogger<WriteBatcher>.Instance);
        await batcher.StartAsync(CancellationToken.None);
        // Npgsql auto-prepares a statement after 5 uses (Lunas turns auto-prepare on); a prepared command once ran with
        // the parameter objects it was first given when the collection was cleared and refilled (npgsql/npgsql#3850).
        var ids = Enumerable.Range(0, 12).Select(i => $"REUSED-{i:00}").ToList();
        Assert.True(await batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            foreach (var id in ids) await Insert(batch, id);
            return true;
        }), CancellationToken.None));
        for (var round = 0; round < 3; round++)
        {
            var id = $"LATER-{round}";
            Assert.True(await batcher.WriteAsync(new PlainInsert(id), CancellationToken.None));
            ids.Add(id);
        }
        var forgotten = batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            await Insert(batch, "SET-ONCE");
            // The same SQL again without setting @id: a loud failure, never the previous value.
            await batch.Command("INSERT INTO merchants (client_id, secret_key, name, created_at) VALUES (@id, 'k', 'n', 0)")
                .ExecuteNonQueryAsync();
            return true;
        }), CancellationToken.None);
        await Assert.ThrowsAnyAsync<Exception>(() => forgotten);
        await batcher.StopAsync(CancellationToken.None);

        Assert.Equal(ids.Order(StringComparer.Ordinal), (await ClientIdsAsync(database)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Host=h;Max Auto Prepare=0", true)]
    [InlineData("Host=h;maxautoprepare=5", true)]
    [InlineData("Host=h;Database=d", false)]
    public void AConnectionStringsOwnMaxAutoPrepare_IsRecognised(string connectionString, bool sets)
        => Assert.Equal(sets, Lunas.Server.Storage.Database.Sets(connectionString, "MaxAutoPrepare"));

    [SkippableFact]
    public async Task IsolatedWrites_UndoOnlyTheirOwnStatements_WhenTheyFailOrDiscard()
    {
        await using var database = await OpenAsync();
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

        Assert.Equal(["KEPT"], await ClientIdsAsync(database));
    }

    [SkippableFact]
    public async Task AfterCommit_RunsForCommittedWritesOnly_NotForFailedOrDiscardedOnes()
    {
        await using var database = await OpenAsync();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, NullLogger<WriteBatcher>.Instance);
        var ran = new System.Collections.Concurrent.ConcurrentQueue<string>();
        IsolatedWrite<bool> Registering(string name, Func<BatchContext, Task> body) => new(async batch =>
        {
            batch.AfterCommit(() => ran.Enqueue(name));
            await body(batch);
            return true;
        });

        var failing = batcher.WriteAsync(Registering("failed", _ => throw new InvalidOperationException("boom")), CancellationToken.None);
        var discarding = batcher.WriteAsync(Registering("discarded", batch =>
        {
            batch.Discard();
            return Task.CompletedTask;
        }), CancellationToken.None);
        var conflicting = batcher.WriteAsync(Registering("conflicted", async batch =>
        {
            await Insert(batch, "TWICE");
            await Insert(batch, "TWICE");
        }), CancellationToken.None);
        var kept = batcher.WriteAsync(Registering("kept", batch => Insert(batch, "KEPT")), CancellationToken.None);
        await batcher.StartAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.True(await discarding);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => conflicting);
        Assert.True(await kept);
        // Run before the caller is answered: it is there the moment the write returns.
        Assert.Equal(["kept"], ran);
        await batcher.StopAsync(CancellationToken.None);
        Assert.Equal(["KEPT"], await ClientIdsAsync(database));
    }

    private const string InsertSql = "INSERT INTO merchants (client_id, secret_key, name, created_at) VALUES (@id, 'k', 'n', 0)";

    private static ValueTask Defer(BatchContext batch, string clientId) => batch.DeferAsync(batch.Command(InsertSql).With("@id", clientId));

    [SkippableFact]
    public async Task DeferredStatements_RunBeforeTheWritesNextStatement_WhichStillGetsItsOwnResult()
    {
        await using var database = await OpenAsync();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, NullLogger<WriteBatcher>.Instance);
        await batcher.StartAsync(CancellationToken.None);
        // Past Npgsql's auto-prepare threshold (5 uses), each round with other values: a batch never runs old ones.
        for (var round = 0; round < 8; round++)
        {
            var (count, renamed, first) = await batcher.WriteAsync(new IsolatedWrite<(long, int, string?)>(async batch =>
            {
                // The same command deferred twice: each keeps the values it had when deferred.
                await Defer(batch, $"D{round}-A");
                await Defer(batch, $"D{round}-B");
                var count = Convert.ToInt64(await batch.Command("SELECT COUNT(*) FROM merchants WHERE client_id LIKE @p")
                    .With("@p", $"D{round}-%").ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                await Defer(batch, $"D{round}-C");
                // Its own row count, not the batch's total (the deferred insert is another statement).
                var renamed = await batch.Command("UPDATE merchants SET name = @n WHERE client_id = @id")
                    .With("@n", "renamed").With("@id", $"D{round}-A").ExecuteNonQueryAsync();
                await Defer(batch, $"D{round}-D");
                await using var reader = await batch.Command("SELECT client_id FROM merchants WHERE client_id LIKE @p ORDER BY client_id")
                    .With("@p", $"D{round}-%").ExecuteReaderAsync();
                var all = new List<string>();
                while (await reader.ReadAsync()) all.Add(reader.GetString(0));
                Assert.Equal([$"D{round}-A", $"D{round}-B", $"D{round}-C", $"D{round}-D"], all);
                return (count, renamed, all[0]);
            }), CancellationToken.None);
            Assert.Equal(2, count);
            Assert.Equal(1, renamed);
            Assert.Equal($"D{round}-A", first);
        }
        await batcher.StopAsync(CancellationToken.None);
        Assert.Equal(32, (await ClientIdsAsync(database)).Count);
    }

    [SkippableFact]
    public async Task ADeferredStatementsFailure_IsItsOwnWrites_AndNothingOfThatWriteIsKept()
    {
        await using var database = await OpenAsync();
        // One batch: the writes are queued before the writer starts. It must commit as one: a batch that failed and ran
        // its writes again one by one (each alone in its transaction) would end with the same rows.
        var log = new WarningCount();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, log);
        var before = batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            await Defer(batch, "BEFORE");
            return true;
        }), CancellationToken.None);
        // Fails in the statements sent at the end of the write, after its own savepoint.
        var conflicting = batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            await Defer(batch, "PARTLY");
            await Defer(batch, "BEFORE");
            return true;
        }), CancellationToken.None);
        // Throws with its statements still held back: none of them is sent.
        var throwing = batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            await Defer(batch, "THROWN");
            throw new InvalidOperationException("boom");
        }), CancellationToken.None);
        var discarding = batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            await Defer(batch, "DISCARDED");
            batch.Discard();
            return true;
        }), CancellationToken.None);
        var after = batcher.WriteAsync(new PlainInsert("AFTER"), CancellationToken.None);
        await batcher.StartAsync(CancellationToken.None);

        Assert.True(await before);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => conflicting);
        await Assert.ThrowsAsync<InvalidOperationException>(() => throwing);
        Assert.True(await discarding);
        Assert.True(await after);
        await batcher.StopAsync(CancellationToken.None);
        Assert.Equal(["AFTER", "BEFORE"], await ClientIdsAsync(database));
        Assert.Equal(0, log.Warnings);
    }

    /// <summary>Inserts a merchant unless its id is taken; the continuation reads the name back and counts its turn.</summary>
    private sealed class PipelinedInsert(string clientId, string? name, List<string> order, string? peek = null) : PipelinedWrite<string>
    {
        /// <summary>Whether <c>peek</c>'s row was there when this write continued.</summary>
        public bool? Peeked { get; private set; }

        protected internal override System.Data.Common.DbCommand FirstStatement(BatchContext batch)
            => batch.Command("""
                INSERT INTO merchants (client_id, secret_key, name, created_at) VALUES (@id, 'k', @name, 0)
                ON CONFLICT (client_id) DO NOTHING
                """).With("@id", clientId).With("@name", name);

        protected internal override async Task<string> ContinueAsync(BatchContext batch, int rows)
        {
            order.Add(clientId);
            if (peek is not null)
            {
                Peeked = await batch.Command("SELECT COUNT(*) FROM merchants WHERE client_id = @id").With("@id", peek).ExecuteScalarAsync() is 1 or 1L;
            }
            var stored = await batch.Command("SELECT name FROM merchants WHERE client_id = @id").With("@id", clientId).ExecuteScalarAsync();
            return $"{rows}:{stored}";
        }
    }

    [SkippableFact]
    public async Task PipelinedWrites_EachContinueInTurn_WithTheirOwnRowCount()
    {
        await using var database = await OpenAsync();
        var log = new WarningCount();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, log);
        var order = new List<string>();
        // Queued before the writer starts: one batch. On PostgreSQL the first three inserts travel in one round trip,
        // the isolated write ends that run, and the last insert starts another.
        var peeking = new PipelinedInsert("P1", "one", order, peek: "P2");
        var first = batcher.WriteAsync(peeking, CancellationToken.None);
        var taken = batcher.WriteAsync(new PipelinedInsert("P1", "again", order), CancellationToken.None);
        var second = batcher.WriteAsync(new PipelinedInsert("P2", "two", order), CancellationToken.None);
        var between = batcher.WriteAsync(Inserting("ISOLATED"), CancellationToken.None);
        var last = batcher.WriteAsync(new PipelinedInsert("P3", "three", order), CancellationToken.None);
        await batcher.StartAsync(CancellationToken.None);

        Assert.Equal("1:one", await first);
        Assert.Equal("0:one", await taken);
        Assert.Equal("1:two", await second);
        Assert.True(await between);
        Assert.Equal("1:three", await last);
        await batcher.StopAsync(CancellationToken.None);
        Assert.Equal(["P1", "P1", "P2", "P3"], order);
        // On PostgreSQL P2's insert went out with P1's, before P1 continued; on SQLite each write runs in turn.
        Assert.Equal(Database.Provider != "sqlite", peeking.Peeked);
        Assert.Equal(["ISOLATED", "P1", "P2", "P3"], await ClientIdsAsync(database));
        Assert.Equal(0, log.Warnings);
    }

    [SkippableFact]
    public async Task APipelinedStatementsFailure_FailsOnlyItsOwnWrite_TheOthersRunAgainAlone()
    {
        await using var database = await OpenAsync();
        var log = new WarningCount();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, log);
        var order = new List<string>();
        var before = batcher.WriteAsync(new PipelinedInsert("F1", "one", order), CancellationToken.None);
        // name is NOT NULL: this insert fails in the database, in the same round trip as its neighbours' on PostgreSQL.
        var failing = batcher.WriteAsync(new PipelinedInsert("F2", null, order), CancellationToken.None);
        var after = batcher.WriteAsync(new PipelinedInsert("F3", "three", order), CancellationToken.None);
        await batcher.StartAsync(CancellationToken.None);

        Assert.Equal("1:one", await before);
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => failing);
        Assert.Equal("1:three", await after);
        await batcher.StopAsync(CancellationToken.None);
        Assert.Equal(["F1", "F3"], await ClientIdsAsync(database));
        // The batch failed as a whole and its writes ran again one by one.
        Assert.Equal(1, log.Warnings);
    }

    private sealed class WarningCount : Microsoft.Extensions.Logging.ILogger<WriteBatcher>
    {
        private int _warnings;

        public int Warnings => _warnings;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning) Interlocked.Increment(ref _warnings);
        }
    }

    [SkippableFact]
    public async Task ARoundTripFailingBeforeItsSavepoint_NeverUndoesAnEarlierWrite()
    {
        await using var database = await OpenAsync();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1 } }, NullLogger<WriteBatcher>.Instance);
        var kept = batcher.WriteAsync(Inserting("KEPT"), CancellationToken.None);
        // Throws before it sends anything: its SAVEPOINT is dropped unsent.
        var unsent = batcher.WriteAsync(new IsolatedWrite<bool>(_ => throw new InvalidOperationException("boom")), CancellationToken.None);
        // Its first round trip (the RELEASE of KEPT's savepoint, its own SAVEPOINT, the insert) fails in the client: the
        // parameter is not set again, so nothing is sent. Rolling back must not reach KEPT's savepoint.
        var failing = batcher.WriteAsync(new IsolatedWrite<bool>(async batch =>
        {
            await batch.Command(InsertSql).ExecuteNonQueryAsync();
            return true;
        }), CancellationToken.None);
        var after = batcher.WriteAsync(Inserting("AFTER"), CancellationToken.None);
        await batcher.StartAsync(CancellationToken.None);

        Assert.True(await kept);
        await Assert.ThrowsAsync<InvalidOperationException>(() => unsent);
        await Assert.ThrowsAnyAsync<Exception>(() => failing);
        Assert.True(await after);
        await batcher.StopAsync(CancellationToken.None);
        Assert.Equal(["AFTER", "KEPT"], await ClientIdsAsync(database));
    }

    [SkippableFact]
    public async Task FullQueue_DoesNotDeadlock_WhenWritesFailTransiently()
    {
        await using var database = await OpenAsync();
        var faults = WriteFaults.For(Database);
        var batcher = new WriteBatcher(database,
            new LunasOptions { Database = { Writers = 1, MaxBatchSize = 2, MaxQueuedWrites = 4, WriteTimeout = TimeSpan.FromMinutes(1) } },
            NullLogger<WriteBatcher>.Instance, faults);
        var writes = Enumerable.Range(0, 4).Select(i => batcher.WriteAsync(Inserting("Q" + i), CancellationToken.None)).ToList();
        await Assert.ThrowsAsync<StorageUnavailableException>(() => batcher.WriteAsync(Inserting("REFUSED"), CancellationToken.None));
        faults.FailNext(4);
        faults.Stall();

        await batcher.StartAsync(CancellationToken.None);
        // The first batch (two writes) is held while the queue is filled again; then it fails and must run again.
        await faults.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        writes.Add(batcher.WriteAsync(Inserting("Q4"), CancellationToken.None));
        writes.Add(batcher.WriteAsync(Inserting("Q5"), CancellationToken.None));
        Assert.Equal(4, batcher.Queued);
        faults.Release();
        // Keep the queue full meanwhile: refused writes are offered again.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (writes.Count < 40)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"the queue stayed full: {writes.Count(w => w.IsCompleted)} of {writes.Count} writes done");
            var write = batcher.WriteAsync(Inserting("Q" + writes.Count), CancellationToken.None);
            if (write.IsFaulted)
            {
                await Assert.ThrowsAsync<StorageUnavailableException>(() => write);
                await Task.Delay(1);
                continue;
            }
            writes.Add(write);
        }

        await Task.WhenAll(writes).WaitAsync(TimeSpan.FromSeconds(30));
        await batcher.StopAsync(CancellationToken.None);
        Assert.True(faults.Executions >= 44, $"{faults.Executions} executions");
        Assert.Equal(Enumerable.Range(0, 40).Select(i => "Q" + i).Order(StringComparer.Ordinal), await ClientIdsAsync(database));
    }

    [SkippableFact]
    public async Task QueuedWrite_IsNeverExecuted_WhenItsCallerGaveUp()
    {
        await using var database = await OpenAsync();
        var batcher = new WriteBatcher(database, new LunasOptions { Database = { Writers = 1, WriteTimeout = TimeSpan.FromMilliseconds(200) } },
            NullLogger<WriteBatcher>.Instance);
        using var cancel = new CancellationTokenSource();
        var timedOut = batcher.WriteAsync(Inserting("TIMED-OUT"), CancellationToken.None);
        var cancelled = batcher.WriteAsync(Inserting("CANCELLED"), cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var refusal = await Assert.ThrowsAsync<StorageUnavailableException>(() => timedOut);
        Assert.Contains("nothing was stored", refusal.Message, StringComparison.Ordinal);

        await batcher.StartAsync(CancellationToken.None);
        Assert.True(await batcher.WriteAsync(Inserting("KEPT"), CancellationToken.None));
        await batcher.StopAsync(CancellationToken.None);

        Assert.Equal(["KEPT"], await ClientIdsAsync(database));
    }

    private static IsolatedWrite<bool> Inserting(string clientId) => new(async batch =>
    {
        await Insert(batch, clientId);
        return true;
    });

    private async Task<Database> OpenAsync()
    {
        var database = new Database(Database.Provider == "sqlite" ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres, Database.ConnectionString);
        await Migrator.MigrateAsync(database, TimeProvider.System, CancellationToken.None);
        return database;
    }

    private static async Task<List<string>> ClientIdsAsync(Database database)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var select = connection.Command("SELECT client_id FROM merchants ORDER BY client_id");
        await using var reader = await select.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
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
