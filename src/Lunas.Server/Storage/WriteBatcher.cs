using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Lunas.Server.Telemetry;

namespace Lunas.Server.Storage;

/// <summary>One durable write that may share a transaction with others.</summary>
public abstract class BatchedWrite<TResult> : IBatchedWrite
{
    private const int Queued = 0, Running = 1, Abandoned = 2;

    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? _result;
    private int _state;

    public Task<TResult> Completion => _completion.Task;

    /// <summary>Runs the statements; must not commit. A unique-key conflict is a result, not an exception.</summary>
    protected abstract Task<TResult> ExecuteAsync(BatchContext batch, CancellationToken cancellationToken);

    /// <summary>
    /// Run inside its own savepoint: its failure, or its <see cref="BatchContext.Discard"/>, undoes only its own
    /// statements, and the rest of the batch commits.
    /// </summary>
    public virtual bool Isolated => false;

    async Task IBatchedWrite.ExecuteAsync(BatchContext batch, CancellationToken cancellationToken)
        => _result = await ExecuteAsync(batch, cancellationToken);

    bool IBatchedWrite.Pipelined => this is PipelinedWrite<TResult> && !Isolated;

    DbCommand IBatchedWrite.FirstStatement(BatchContext batch) => ((PipelinedWrite<TResult>)this).FirstStatement(batch);

    async Task IBatchedWrite.ContinueAsync(BatchContext batch, int rows)
        => _result = await ((PipelinedWrite<TResult>)this).ContinueAsync(batch, rows);

    bool IBatchedWrite.IsAnswered => _completion.Task.IsCompleted;

    int IBatchedWrite.Tries { get; set; }

    WritePrerequisite? IBatchedWrite.Prerequisite { get; set; }

    bool IBatchedWrite.TryStart() => Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;

    bool IBatchedWrite.TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Queued) == Queued;

    void IBatchedWrite.Requeue() => Interlocked.CompareExchange(ref _state, Queued, Running);

    void IBatchedWrite.Complete() => _completion.TrySetResult(_result!);

    void IBatchedWrite.Fail(Exception exception) => _completion.TrySetException(exception);
}

/// <summary>
/// A write that begins with a statement whose parameters are known before it runs (an insert whose unique key decides):
/// on PostgreSQL the writer sends the first statements of a batch's consecutive pipelined writes together, in one
/// round trip, then lets each continue in turn with its own row count. On SQLite each runs one after the other.
/// </summary>
/// <remarks>
/// Not isolated (no savepoint): a failing first statement fails the whole batch, whose writes then run again one by
/// one, as any non-isolated write's failure does. So the first statement must be one that fails only on a fault.
/// The first statements of the writes staged after this one run before its continuation does: a continuation must
/// not write what a later write's first statement should see. Create payment's only reads; a notification record's
/// writes attempt rows (which no first statement reads), a no-op lock, and the release of a held notification that
/// was never sent (which a later record's UPDATE, of a notification being sent, never is).
/// What the continuations defer may go out after the next continuation has run, with the last of them: a failure
/// there still fails the whole batch.
/// </remarks>
public abstract class PipelinedWrite<TResult> : BatchedWrite<TResult>
{
    /// <summary>The first statement, its parameters set (a command of <paramref name="batch"/>); the batcher runs it.</summary>
    protected internal abstract DbCommand FirstStatement(BatchContext batch);

    /// <summary>Everything after the first statement, given its row count.</summary>
    protected internal abstract Task<TResult> ContinueAsync(BatchContext batch, int rows);

    protected sealed override async Task<TResult> ExecuteAsync(BatchContext batch, CancellationToken cancellationToken)
        => await ContinueAsync(batch, await FirstStatement(batch).ExecuteNonQueryAsync(cancellationToken));
}

/// <summary>A write whose body is a function of the batch; isolated in a savepoint (payment steps use it).</summary>
public sealed class IsolatedWrite<TResult>(Func<BatchContext, Task<TResult>> body) : BatchedWrite<TResult>
{
    public override bool Isolated => true;

    protected override Task<TResult> ExecuteAsync(BatchContext batch, CancellationToken cancellationToken) => body(batch);
}

public interface IBatchedWrite
{
    bool Isolated { get; }
    bool IsAnswered { get; }

    /// <summary>How many times a transient failure (deadlock, serialization, busy) had it run again.</summary>
    int Tries { get; set; }

    /// <summary>
    /// Sent first, in the same transaction (and savepoint); on PostgreSQL an isolated write's is decided only after the
    /// write ran. See <see cref="WritePrerequisite"/>.
    /// </summary>
    WritePrerequisite? Prerequisite { get; set; }

    /// <summary>Queued to running; false when its caller gave up first (then it is skipped, never executed).</summary>
    bool TryStart();

    /// <summary>Queued to abandoned (its caller gave up); false when it already runs or ran.</summary>
    bool TryAbandon();

    /// <summary>Back to queued after its statements were rolled back, so a caller giving up now still means "not stored".</summary>
    void Requeue();
    Task ExecuteAsync(BatchContext batch, CancellationToken cancellationToken);

    /// <summary>A <see cref="PipelinedWrite{TResult}"/> that is not isolated: its first statement may travel with its neighbours'.</summary>
    bool Pipelined { get; }

    DbCommand FirstStatement(BatchContext batch);

    Task ContinueAsync(BatchContext batch, int rows);
    void Complete();
    void Fail(Exception exception);
}

/// <summary>
/// A test seam: called before each write runs, inside its transaction, to throw (a transient failure) or block (a
/// stalled connection). Lunas itself registers none.
/// </summary>
public interface IWriteFaultInjector
{
    /// <summary>Runs before <paramref name="write"/> executes; may throw or block to simulate a failing or stalled database.</summary>
    Task BeforeWriteAsync(IBatchedWrite write);
}

/// <summary>
/// Group commit: concurrent writes are queued and committed together, one transaction (one fsync) per batch, and
/// each caller is answered only after its batch committed. If a batch fails, its writes are retried one by one so
/// that one bad write cannot fail its neighbours. A caller waits at most <see cref="DatabaseOptions.WriteTimeout"/>
/// and the queue holds at most <see cref="DatabaseOptions.MaxQueuedWrites"/>; past either it gets a
/// <see cref="StorageUnavailableException"/>.
/// </summary>
/// <remarks>
/// The one write path: every write the running server makes goes through here, including the writes a read triggers
/// (a due session expired when read, a resend's record, the dispatcher's lease claim). A write that opened its own
/// transaction would wait for SQLite's single writer on a thread-pool thread for up to busy_timeout, and commit
/// (fsync) alone. The only exceptions run before the batcher or without it: migrations and the first merchant at start
/// (under the start-up lock) and the <c>lunas merchants</c> command-line tool.
/// </remarks>
public sealed class WriteBatcher : BackgroundService
{
    private const int MaxTries = 3;

    private readonly Channel<IBatchedWrite> _queue;
    private readonly Database _database;
    private readonly ILogger<WriteBatcher> _logger;
    private readonly IWriteFaultInjector? _faults;
    private readonly LunasMetrics? _metrics;
    private readonly int _maxBatch;
    private readonly int _writers;
    private readonly int _queueLimit;
    private readonly TimeSpan _writeTimeout;
    private readonly int _retryAfterSeconds;

    public WriteBatcher(Database database, LunasOptions options, ILogger<WriteBatcher> logger, IWriteFaultInjector? faults = null,
        LunasMetrics? metrics = null)
    {
        _database = database;
        _logger = logger;
        _faults = faults;
        _metrics = metrics;
        _maxBatch = Math.Max(1, options.Database.MaxBatchSize);
        // SQLite has one writer at a time, so one loop; PostgreSQL commits in parallel, and each statement is a
        // round trip, so several loops (each with its own connection and transaction) keep the server busy.
        _writers = database.Provider == DatabaseProvider.Sqlite ? 1 : Math.Max(1, options.Database.Writers);
        _queueLimit = Math.Max(1, options.Database.MaxQueuedWrites);
        _queue = Channel.CreateBounded<IBatchedWrite>(new BoundedChannelOptions(_queueLimit) { FullMode = BoundedChannelFullMode.Wait });
        _writeTimeout = options.Database.WriteTimeout;
        _retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(_writeTimeout.TotalSeconds));
        metrics?.ObserveQueuedWrites(() => _queue.Reader.Count);
    }

    /// <summary>Writes waiting for a writer now (given-up ones included until a writer skips them).</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>
    /// Queues the write and waits for its commit. A write whose caller gave up (timeout or cancellation) while it was
    /// still queued is never executed, so "not stored" is then the truth; one already running is finished regardless.
    /// </summary>
    public async Task<TResult> WriteAsync<TResult>(BatchedWrite<TResult> write, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var prerequisite = WritePrerequisite.Current is { IsCommitted: false } pending && pending.TryTake() ? pending : null;
        ((IBatchedWrite)write).Prerequisite = prerequisite;
        try
        {
            return await QueueAndWaitAsync(write, cancellationToken);
        }
        finally
        {
            // Committed with this write, or free for the request's next write (or the caller's own fallback).
            prerequisite?.Release();
        }
    }

    private async Task<TResult> QueueAndWaitAsync<TResult>(BatchedWrite<TResult> write, CancellationToken cancellationToken)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            throw Unavailable($"{_queueLimit} writes are already waiting for the database; nothing was stored");
        }
        try
        {
            // Real time, not the injected TimeProvider: this bounds how long a request is held.
            return await write.Completion.WaitAsync(_writeTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Given up waiting; what that means depends on whether the loop already took the write.
        }
        if (((IBatchedWrite)write).TryAbandon())
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Unavailable($"the database did not take the write within {_writeTimeout.TotalSeconds:0.###} s; nothing was stored");
        }
        if (write.Completion.IsCompleted)
        {
            return await write.Completion;
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw Unavailable($"the write did not finish within {_writeTimeout.TotalSeconds:0.###} s and may still be stored; "
            + "a create retried with the same Request-Id answers 409 with the original response if it was");
    }

    private StorageUnavailableException Unavailable(string reason)
        => new("storage unavailable: " + reason + $"; retry after {_retryAfterSeconds} s", _retryAfterSeconds);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(Enumerable.Range(0, _writers).Select(_ => Task.Run(() => WriteLoopAsync(stoppingToken), CancellationToken.None)));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<IBatchedWrite>(_maxBatch);
        // Transient failures are run again by this loop, in its next batch. Never written back into the queue: this
        // loop is what drains it, so waiting there for room could wait forever.
        var retries = new List<IBatchedWrite>();
        var reader = _queue.Reader;
        await using var connection = new LoopConnection(_database);
        try
        {
            while (true)
            {
                if (Fill(batch, retries, reader) == 0)
                {
                    if (!await reader.WaitToReadAsync(stoppingToken)) break;
                    continue;
                }
                await CommitAsync(batch, retries, connection);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Drain on shutdown: what was queued is still written.
        while (Fill(batch, retries, reader) > 0)
        {
            await CommitAsync(batch, retries, connection);
            batch.Clear();
        }
    }

    private int Fill(List<IBatchedWrite> batch, List<IBatchedWrite> retries, ChannelReader<IBatchedWrite> reader)
    {
        batch.AddRange(retries);
        retries.Clear();
        while (batch.Count < _maxBatch && reader.TryRead(out var write))
        {
            batch.Add(write);
        }
        return batch.Count;
    }

    private async Task CommitAsync(List<IBatchedWrite> batch, List<IBatchedWrite> retries, LoopConnection connection)
    {
        try
        {
            await RunAsync(batch, retries, connection);
        }
        catch (Exception ex) when (batch.Count == 1)
        {
            FailOrRetry(batch[0], ex, retries);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "A batch of {Count} writes failed; retrying them one by one", batch.Count);
            // An isolated write that already failed was answered; running it again could commit what its caller saw fail.
            foreach (var write in batch.Where(w => !w.IsAnswered))
            {
                write.Requeue();
                try
                {
                    await RunAsync([write], retries, connection);
                }
                catch (Exception single)
                {
                    FailOrRetry(write, single, retries);
                }
            }
        }
    }

    private static void FailOrRetry(IBatchedWrite write, Exception exception, List<IBatchedWrite> retries)
    {
        if (write.IsAnswered)
        {
            // An isolated write that failed before the batch did: its caller has its answer.
        }
        else if (Database.IsTransient(exception) && write.Tries < MaxTries)
        {
            // A deadlock, serialization failure or busy database: nothing of it was kept, so it runs again.
            write.Tries++;
            write.Requeue();
            retries.Add(write);
        }
        else
        {
            write.Fail(exception);
        }
    }

    /// <summary>
    /// Runs and commits the writes that were not given up, then answers them; an isolated write that failed
    /// transiently goes to <paramref name="retries"/> (nothing of it kept), one that failed otherwise is answered
    /// with its failure.
    /// </summary>
    private async Task RunAsync(IReadOnlyList<IBatchedWrite> writes, List<IBatchedWrite> retries, LoopConnection loop)
    {
        var live = writes.Where(w => w.TryStart()).ToList();
        if (live.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        // Not the stopping token: a batch that started is finished, so shutdown never leaves it half-written.
        var cancellationToken = CancellationToken.None;
        var failed = new HashSet<IBatchedWrite>();
        var retry = new List<IBatchedWrite>();
        var refused = new List<IBatchedWrite>();
        List<Action>? committed;
        var connection = await loop.GetAsync(cancellationToken);
        // A failure may leave the connection in any state (PostgreSQL: broken, mid-protocol): it is let go, rolled back,
        // and the next batch takes one from the pool again (on SQLite possibly the same handle, clean).
        await using var drop = loop.DropUnlessKept();
        await using var transaction = await _database.BeginWriteAsync(connection, cancellationToken);
        await using (var batch = new BatchContext(connection, transaction))
        {
            var staged = new List<(IBatchedWrite Write, BatchContext.RowCount Rows)>();
            foreach (var write in live)
            {
                if (batch.Pipelines && write.Pipelined && write.Prerequisite is not { IsCommitted: false })
                {
                    if (_faults is not null) await _faults.BeforeWriteAsync(write);
                    staged.Add((write, await batch.DeferCountedAsync(write.FirstStatement(batch))));
                    continue;
                }
                await ContinueStagedAsync(staged, batch);
                if (write.Isolated)
                {
                    await RunIsolatedAsync(write, batch, failed, retry, refused);
                }
                else if (!await ExecuteAsync(write, batch))
                {
                    refused.Add(write);
                }
            }
            await ContinueStagedAsync(staged, batch);
            await batch.FinishAsync();
            committed = batch.TakeAfterCommit();
        }
        var committing = Stopwatch.GetTimestamp();
        await transaction.CommitAsync(cancellationToken);
        drop.Keep();
        _metrics?.WriteBatchCommitted(live.Count, Stopwatch.GetElapsedTime(started), Stopwatch.GetElapsedTime(committing));
        RunAfterCommit(committed);
        foreach (var write in live)
        {
            if (refused.Contains(write)) write.Fail(new WriteRefusedException());
            else if (!failed.Contains(write)) write.Complete();
        }
        retries.AddRange(retry);
    }

    /// <summary>
    /// Sends the staged first statements of consecutive pipelined writes in one round trip, then lets each write go on,
    /// in order, with its row count. What the continuations defer travels together too (the attempt rows of a run of
    /// notification records: one round trip for all of them), sent before the next write starts. A failure anywhere
    /// fails the batch (none of these writes is isolated), whose writes then run again one by one.
    /// </summary>
    private static async Task ContinueStagedAsync(List<(IBatchedWrite Write, BatchContext.RowCount Rows)> staged, BatchContext batch)
    {
        if (staged.Count == 0) return;
        await batch.FlushAsync();
        foreach (var (write, rows) in staged)
        {
            await write.ContinueAsync(batch, rows.Value);
        }
        await batch.FlushAsync();
        staged.Clear();
    }

    /// <summary>One isolated write inside its own savepoint: its failure or discard undoes its statements and what it registered.</summary>
    private async Task RunIsolatedAsync(IBatchedWrite write, BatchContext batch, HashSet<IBatchedWrite> failed,
        List<IBatchedWrite> retry, List<IBatchedWrite> refused)
    {
        var mark = batch.AfterCommitMark;
        batch.ResetDiscard();
        await batch.SavepointAsync();
        try
        {
            var accepted = await ExecuteAsync(write, batch);
            if (!accepted || batch.DiscardRequested)
            {
                await batch.RollbackToSavepointAsync();
                batch.DropAfterCommit(mark);
            }
            // Only once undone: a failed rollback fails (or retries) the write instead.
            if (!accepted) refused.Add(write);
        }
        catch (Exception ex)
        {
            try
            {
                await batch.RollbackToSavepointAsync();
            }
            catch
            {
                // The batch is given up (and its writes run again one by one): with the write's own failure, so a
                // transient one is still retried and a single write's caller sees what went wrong.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex);
            }
            batch.DropAfterCommit(mark);
            failed.Add(write);
            FailOrRetry(write, ex, retry);
        }
        await batch.ReleaseSavepointAsync();
    }

    /// <summary>After the commit: a failure here must not fail the batch (its writes would run again and commit twice).</summary>
    private void RunAfterCommit(List<Action>? actions)
    {
        if (actions is null) return;
        foreach (var action in actions)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "An after-commit action failed; the batch is committed");
            }
        }
    }

    /// <summary>
    /// Runs the write's prerequisite and the write; false when the prerequisite refused (then the write is answered with
    /// its refusal after the commit, and an isolated write's caller rolls its statements back). On PostgreSQL an
    /// isolated write's prerequisite is sent with the write's first statement, one round trip fewer, and decided once
    /// the write is done: the write may have run, or failed, on a refused Request-Id, and is undone either way (a write
    /// that failed in the very round trip that carried the prerequisite answers with its own failure: the prerequisite's
    /// count is not known then). Any other write runs only after its prerequisite accepted. A prerequisite that ran
    /// counts as committed only once the write's statements are (an after-commit action, dropped with an undone
    /// savepoint or a failed batch).
    /// </summary>
    private async Task<bool> ExecuteAsync(IBatchedWrite write, BatchContext batch)
    {
        if (_faults is not null) await _faults.BeforeWriteAsync(write);
        BatchContext.RowCount? accepted = null;
        if (write.Prerequisite is { IsCommitted: false } prerequisite)
        {
            accepted = await batch.DeferCountedAsync(prerequisite.Statement(batch));
            if (!(batch.Pipelines && write.Isolated))
            {
                await batch.FlushAsync();
                if (accepted.Value != 1) return false;
            }
            batch.AfterCommit(prerequisite.MarkCommitted);
        }
        try
        {
            await write.ExecuteAsync(batch, CancellationToken.None);
            // What the write deferred is sent now, so a failure in it is still this write's.
            await batch.FlushAsync();
        }
        catch (Exception ex) when (accepted is { IsKnown: true, Value: not 1 })
        {
            // A refused Request-Id: its write is undone, and the refusal, not the write's failure, is the answer.
            _logger.LogDebug(ex, "A write failed on a refused prerequisite; it is undone and answered with the refusal");
            return false;
        }
        if (accepted is { IsKnown: false })
        {
            // Every deferred statement was sent by now; a write that swallowed the failure of the prerequisite's round
            // trip is failed (and undone) rather than committed unchecked.
            throw new InvalidOperationException("The write's prerequisite was not sent.");
        }
        return accepted is null or { Value: 1 };
    }

    /// <summary>
    /// The connection of one writer loop. On SQLite the loop keeps it across its batches, opened on first use and again
    /// after a batch that did not commit: SQLite's page cache belongs to a connection and is dropped when another
    /// connection wrote in between, so a loop taking a pooled connection per batch read back from the WAL the pages it
    /// had just written (1.8 pages per create). On PostgreSQL it goes back to the pool after each batch, where Npgsql
    /// drops a broken one: a connection held for hours would meet a database restart or an idle timeout with a batch,
    /// and nothing is cached per connection there.
    /// </summary>
    private sealed class LoopConnection(Database database) : IAsyncDisposable
    {
        private readonly bool _kept = database.Provider == DatabaseProvider.Sqlite;

        private DbConnection? _connection;

        public async Task<DbConnection> GetAsync(CancellationToken cancellationToken)
            => _connection ??= await database.OpenAsync(cancellationToken);

        /// <summary>Lets the connection go when disposed, unless <see cref="Dropper.Keep"/> was called first (and it is kept at all).</summary>
        public Dropper DropUnlessKept() => new(this);

        public async ValueTask DisposeAsync()
        {
            var connection = _connection;
            _connection = null;
            if (connection is not null) await connection.DisposeAsync();
        }

        public sealed class Dropper(LoopConnection owner) : IAsyncDisposable
        {
            private bool _keep;

            public void Keep() => _keep = true;

            public ValueTask DisposeAsync() => _keep && owner._kept ? ValueTask.CompletedTask : owner.DisposeAsync();
        }
    }
}
