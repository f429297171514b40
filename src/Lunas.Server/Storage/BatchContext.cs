using System.Data;
using System.Data.Common;

namespace Lunas.Server.Storage;

/// <summary>
/// The connection and transaction of one batch, with its commands kept so each SQL text is parsed once per batch, and
/// the statements whose result nobody reads held back to travel with the next one (<see cref="DeferAsync"/>).
/// </summary>
/// <remarks>
/// Writes reach the database only through <see cref="Command"/>: the connection is not handed out, so nothing can run
/// ahead of a deferred statement.
/// </remarks>
public sealed class BatchContext(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, BatchCommand> _commands = new(StringComparer.Ordinal);

    // PostgreSQL (Npgsql's batches): one round trip for several statements. Microsoft.Data.Sqlite has no DbBatch, and
    // SQLite has no round trips to save, so there a deferred statement simply runs at once.
    private readonly bool _pipelines = connection.CanCreateBatch;
    private readonly List<Deferred> _deferred = [];
    // The DbBatch behind the last reader that carried deferred statements: alive until that reader is done (the next
    // statement cannot start before), disposed with the context.
    private DbBatch? _readerBatch;

    // Two savepoint names, taken in turn by the writes that send one. A write's ROLLBACK TO names its own savepoint, so
    // when the round trip that carried its SAVEPOINT failed before reaching it, the rollback fails ("no such
    // savepoint") and with it the batch (then run again write by write) instead of rolling back to an earlier write's
    // savepoint. The last savepoint of the same name is gone by then: its own RELEASE went out ahead of the SAVEPOINT
    // of the write in between, which got that far (it ended; a write whose SAVEPOINT was dropped unsent gives its name
    // back).
    private static readonly string[] SavepointSql = ["SAVEPOINT wa", "SAVEPOINT wb"];
    private static readonly string[] ReleaseSql = ["RELEASE SAVEPOINT wa", "RELEASE SAVEPOINT wb"];
    private static readonly string[] RollbackSql = ["ROLLBACK TO SAVEPOINT wa", "ROLLBACK TO SAVEPOINT wb"];
    private int _savepoint = 1;

    /// <summary>The current isolated write's SAVEPOINT has not been sent yet (it waits in the deferred list).</summary>
    private bool _savepointDeferred;

    /// <summary>The current write's SAVEPOINT was dropped unsent: there is nothing to release.</summary>
    private bool _savepointDropped;

    private readonly record struct Deferred(string Sql, (string Name, object? Value)[] Parameters, RowCount? Count = null);

    /// <summary>The row count of a statement deferred with <see cref="DeferCountedAsync"/>: known once it was sent.</summary>
    public sealed class RowCount
    {
        private int _value;
        private bool _known;

        /// <summary>The rows the statement changed (-1 for a statement that changes none by nature, as the provider says).</summary>
        public int Value => _known ? _value : throw new InvalidOperationException("The statement has not been sent yet.");

        /// <summary>Whether the statement was sent and its result read (not when its round trip failed).</summary>
        public bool IsKnown => _known;

        internal void Set(int value)
        {
            _value = value;
            _known = true;
        }
    }

    private List<Action>? _afterCommit;

    /// <summary>
    /// Runs <paramref name="action"/> once this batch has committed with the current write's statements in it: never
    /// for a write that failed or discarded its statements, nor for a batch that failed (its writes run again, and
    /// register again). It runs before the write's caller is answered. For counting what was committed (metrics).
    /// </summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    internal int AfterCommitMark => _afterCommit?.Count ?? 0;

    /// <summary>Forgets what an undone write registered since <paramref name="mark"/>.</summary>
    internal void DropAfterCommit(int mark) => _afterCommit?.RemoveRange(mark, _afterCommit.Count - mark);

    internal List<Action>? TakeAfterCommit() => _afterCommit;

    /// <summary>Set by an isolated write that decided to undo its own statements (a refusal found mid-way).</summary>
    public bool DiscardRequested { get; private set; }

    /// <summary>Undo this (isolated) write's statements when it returns; its result is still delivered.</summary>
    public void Discard() => DiscardRequested = true;

    internal void ResetDiscard() => DiscardRequested = false;

    /// <summary>
    /// The batch's command for this SQL, every parameter unset (<see cref="DbExtensions.With"/> sets it again). Owned by
    /// the batch: callers do not dispose it. Running it first sends whatever <see cref="DeferAsync"/> held back, in the
    /// same round trip.
    /// </summary>
    /// <remarks>
    /// The parameter instances are kept, only their values change: Npgsql binds a prepared (or auto-prepared) command to
    /// the parameter objects it was first parsed with and does not notice a cleared and refilled collection
    /// (npgsql/npgsql#3850), so new instances would silently run with the previous values. A parameter a caller does
    /// not set again keeps <see cref="DbExtensions.Unset"/>, which no provider can write: a loud failure, not a stale value.
    /// </remarks>
    public DbCommand Command(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            foreach (DbParameter parameter in command.Parameters)
            {
                parameter.Value = DbExtensions.Unset;
            }
            return command;
        }
        command = new BatchCommand(this, connection.Command(sql, transaction));
        _commands[sql] = command;
        return command;
    }

    /// <summary>
    /// Runs <paramref name="command"/> (one of <see cref="Command"/>'s) as a statement whose row count nobody reads (an
    /// outbox insert, an attempt log row): on PostgreSQL it is sent with the next statement this batch runs, or at the
    /// end of the write, in one round trip; its parameter values are taken now. A failure surfaces there, still inside
    /// the same write (a write's deferred statements are all sent before it ends), except in a run of pipelined writes,
    /// whose continuations' deferred statements go out together after the last (any failure there fails the batch).
    /// </summary>
    public async ValueTask DeferAsync(DbCommand command) => await DeferWithCountAsync(command, null);

    /// <summary>
    /// <see cref="DeferAsync"/> for a statement whose row count is read, once the deferred statements were sent
    /// (<see cref="FlushAsync"/>, or the next statement). The write batcher sends the first statements of several
    /// writes so (see <see cref="PipelinedWrite{TResult}"/>), and an isolated write's prerequisite with the write's first
    /// statement (see <see cref="WritePrerequisite"/>). On SQLite it runs at once, and the count is known at once.
    /// </summary>
    internal async ValueTask<RowCount> DeferCountedAsync(DbCommand command)
    {
        var count = new RowCount();
        await DeferWithCountAsync(command, count);
        return count;
    }

    /// <summary>Whether deferred statements really wait for the next round trip (PostgreSQL) or run at once (SQLite).</summary>
    internal bool Pipelines => _pipelines;

    private async ValueTask DeferWithCountAsync(DbCommand command, RowCount? count)
    {
        var own = command as BatchCommand ?? throw new ArgumentException("Only a command of this batch can be deferred.", nameof(command));
        if (!_pipelines)
        {
            var rows = await own.Inner.ExecuteNonQueryAsync(CancellationToken.None);
            count?.Set(rows);
            return;
        }
        var parameters = new (string, object?)[own.Parameters.Count];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = (own.Parameters[i].ParameterName, own.Parameters[i].Value);
        }
        _deferred.Add(new Deferred(own.CommandText, parameters, count));
    }

    // An isolated write's savepoint, through the batch's own commands: the provider's Save/Rollback/Release would
    // prepare a new statement each time, three per write, and the single writer's time is what bounds throughput. On
    // PostgreSQL the SAVEPOINT travels with the write's first statement and the RELEASE with the next write's.
    internal async Task SavepointAsync()
    {
        _savepoint ^= 1;
        _savepointDropped = false;
        await DeferAsync(Command(SavepointSql[_savepoint]));
        _savepointDeferred = _pipelines;
    }

    internal async Task RollbackToSavepointAsync()
    {
        if (_savepointDeferred)
        {
            // Nothing of this write reached the database: forget its held-back statements, the SAVEPOINT included.
            var at = _deferred.FindLastIndex(d => d.Sql == SavepointSql[_savepoint]);
            _deferred.RemoveRange(at, _deferred.Count - at);
            _savepointDeferred = false;
            _savepointDropped = true;
            // The name was not used: the next write takes it, so the alternation above holds.
            _savepoint ^= 1;
            return;
        }
        // Sent or not, what this write held back is after its savepoint: dropped, not sent and then undone.
        _deferred.Clear();
        await Command(RollbackSql[_savepoint]).ExecuteNonQueryAsync(CancellationToken.None);
    }

    internal async Task ReleaseSavepointAsync()
    {
        if (!_savepointDropped) await DeferAsync(Command(ReleaseSql[_savepoint]));
    }

    /// <summary>Sends what the write held back: a write's statements have all run when it ends.</summary>
    internal async Task FlushAsync()
    {
        if (_deferred.Count == 0) return;
        await using var batch = Build(null);
        await RunAsync(batch, b => b.ExecuteNonQueryAsync(CancellationToken.None));
    }

    /// <summary>Before the commit: a last RELEASE need not be sent (COMMIT releases every savepoint); anything else is.</summary>
    internal Task FinishAsync()
    {
        if (_deferred.Count == 1 && _deferred[0].Sql == ReleaseSql[_savepoint])
        {
            _deferred.Clear();
        }
        return FlushAsync();
    }

    private DbBatch Build(BatchCommand? last)
    {
        var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var deferred in _deferred)
        {
            var statement = batch.CreateBatchCommand();
            statement.CommandText = deferred.Sql;
            foreach (var (name, value) in deferred.Parameters)
            {
                Add(statement, name, value);
            }
            batch.BatchCommands.Add(statement);
        }
        if (last is not null)
        {
            var statement = batch.CreateBatchCommand();
            statement.CommandText = last.CommandText;
            foreach (DbParameter parameter in last.Parameters)
            {
                Add(statement, parameter.ParameterName, parameter.Value);
            }
            batch.BatchCommands.Add(statement);
        }
        return batch;
    }

    private static void Add(DbBatchCommand statement, string name, object? value)
    {
        var parameter = statement.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        statement.Parameters.Add(parameter);
    }

    /// <summary>Runs a batch made of the deferred statements (and maybe one more), which are gone from the list either way.</summary>
    /// <remarks>
    /// A deferred statement whose row count is wanted (<see cref="DeferCountedAsync"/>) gets it once the run is done: by
    /// then every deferred statement's result was read (a reader starts at the last statement's), and Npgsql sets each
    /// statement's count as its result is read. Deferred statements sit at the start of the batch, in their order.
    /// </remarks>
    private async Task<T> RunAsync<T>(DbBatch batch, Func<DbBatch, Task<T>> run)
    {
        var counted = _deferred.Exists(d => d.Count is not null) ? _deferred.ConvertAll(d => d.Count) : null;
        _deferred.Clear();
        _savepointDeferred = false;
        var result = await run(batch);
        for (var i = 0; counted is not null && i < counted.Count; i++)
        {
            counted[i]?.Set(batch.BatchCommands[i].RecordsAffected);
        }
        return result;
    }

    private async Task<int> ExecuteNonQueryAsync(BatchCommand command, CancellationToken cancellationToken)
    {
        if (_deferred.Count == 0) return await command.Inner.ExecuteNonQueryAsync(cancellationToken);
        await using var batch = Build(command);
        return await RunAsync(batch, async b =>
        {
            await b.ExecuteNonQueryAsync(cancellationToken);
            return b.BatchCommands[^1].RecordsAffected;
        });
    }

    private async Task<DbDataReader> ExecuteReaderAsync(BatchCommand command, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        if (_deferred.Count == 0) return await command.Inner.ExecuteReaderAsync(behavior, cancellationToken);
        if (_readerBatch is not null) await _readerBatch.DisposeAsync();
        _readerBatch = Build(command);
        return await RunAsync(_readerBatch, async b =>
        {
            var reader = await b.ExecuteReaderAsync(behavior, cancellationToken);
            // The deferred statements return no rows; the reader starts at the last statement's result.
            while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken))
            {
            }
            return reader;
        });
    }

    private async Task<object?> ExecuteScalarAsync(BatchCommand command, CancellationToken cancellationToken)
    {
        if (_deferred.Count == 0) return await command.Inner.ExecuteScalarAsync(cancellationToken);
        await using var reader = await ExecuteReaderAsync(command, CommandBehavior.Default, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetValue(0) : null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.Inner.DisposeAsync();
        }
        if (_readerBatch is not null) await _readerBatch.DisposeAsync();
    }

    /// <summary>A batch's command: the provider's, run after whatever the batch has deferred. Async only (writes are).</summary>
    private sealed class BatchCommand(BatchContext owner, DbCommand inner) : DbCommand
    {
        public DbCommand Inner => inner;

        [System.Diagnostics.CodeAnalysis.AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        // Not handed out: a statement run on the connection directly would overtake the deferred ones.
        protected override DbConnection? DbConnection { get => throw Owned(); set => throw Owned(); }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;
        protected override DbTransaction? DbTransaction { get => throw Owned(); set => throw Owned(); }

        public override void Cancel() => inner.Cancel();
        public override void Prepare() => throw Sync();
        public override Task PrepareAsync(CancellationToken cancellationToken = default) => inner.PrepareAsync(cancellationToken);
        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        public override Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => owner.ExecuteNonQueryAsync(this, cancellationToken);
        public override Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => owner.ExecuteScalarAsync(this, cancellationToken);
        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
            => owner.ExecuteReaderAsync(this, behavior, cancellationToken);

        public override int ExecuteNonQuery() => throw Sync();
        public override object? ExecuteScalar() => throw Sync();
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => throw Sync();

        // The batch disposes its commands.
        protected override void Dispose(bool disposing) { }
        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static NotSupportedException Sync() => new("A batch's commands run asynchronously, after the statements the batch deferred.");
        private static InvalidOperationException Owned() => new("A batch's command keeps the batch's connection and transaction to itself.");
    }
}
