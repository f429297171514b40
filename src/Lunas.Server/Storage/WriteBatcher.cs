using System.Data.Common;
using System.Threading.Channels;

namespace Lunas.Server.Storage;

/// <summary>One durable write that may share a transaction with others.</summary>
public abstract class BatchedWrite<TResult> : IBatchedWrite
{
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TResult? _result;

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

    bool IBatchedWrite.IsAnswered => _completion.Task.IsCompleted;

    int IBatchedWrite.Tries { get; set; }

    void IBatchedWrite.Complete() => _completion.TrySetResult(_result!);

    void IBatchedWrite.Fail(Exception exception) => _completion.TrySetException(exception);
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

    /// <summary>How many times a transient failure (deadlock, serialization, busy) sent it back to the queue.</summary>
    int Tries { get; set; }
    Task ExecuteAsync(BatchContext batch, CancellationToken cancellationToken);
    void Complete();
    void Fail(Exception exception);
}

/// <summary>The connection and transaction of one batch, with its commands kept so each SQL text is parsed once per batch.</summary>
public sealed class BatchContext(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbConnection Connection => connection;
    public DbTransaction Transaction => transaction;

    /// <summary>Set by an isolated write that decided to undo its own statements (a refusal found mid-way).</summary>
    public bool DiscardRequested { get; private set; }

    /// <summary>Undo this (isolated) write's statements when it returns; its result is still delivered.</summary>
    public void Discard() => DiscardRequested = true;

    internal void ResetDiscard() => DiscardRequested = false;

    /// <summary>The batch's command for this SQL, parameters cleared. Owned by the batch: callers do not dispose it.</summary>
    public DbCommand Command(string sql)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }
        command = connection.Command(sql, transaction);
        _commands[sql] = command;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }
    }
}

/// <summary>
/// Group commit: concurrent writes are queued and committed together, one transaction (one fsync) per batch, and
/// each caller is answered only after its batch committed. If a batch fails, its writes are retried one by one so
/// that one bad write cannot fail its neighbours.
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
    private readonly Channel<IBatchedWrite> _queue = Channel.CreateBounded<IBatchedWrite>(
        new BoundedChannelOptions(8192) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Database _database;
    private readonly ILogger<WriteBatcher> _logger;
    private readonly int _maxBatch;
    private readonly int _writers;

    public WriteBatcher(Database database, LunasOptions options, ILogger<WriteBatcher> logger)
    {
        _database = database;
        _logger = logger;
        _maxBatch = Math.Max(1, options.Database.MaxBatchSize);
        // SQLite has one writer at a time, so one loop; PostgreSQL commits in parallel, and each statement is a
        // round trip, so several loops (each with its own connection and transaction) keep the server busy.
        _writers = database.Provider == DatabaseProvider.Sqlite ? 1 : Math.Max(1, options.Database.Writers);
    }

    public async Task<TResult> WriteAsync<TResult>(BatchedWrite<TResult> write, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(write, cancellationToken);
        // Once queued the write runs to completion even if the caller goes away: nothing half-written.
        return await write.Completion;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(Enumerable.Range(0, _writers).Select(_ => Task.Run(() => WriteLoopAsync(stoppingToken), CancellationToken.None)));

    private async Task WriteLoopAsync(CancellationToken stoppingToken)
    {
        var batch = new List<IBatchedWrite>(_maxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < _maxBatch && reader.TryRead(out var write))
                {
                    batch.Add(write);
                }
                if (batch.Count > 0)
                {
                    await CommitAsync(batch);
                    batch.Clear();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Drain on shutdown: what was queued is still written.
        while (reader.TryRead(out var write))
        {
            batch.Add(write);
            if (batch.Count == _maxBatch)
            {
                await CommitAsync(batch);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
        {
            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<IBatchedWrite> batch)
    {
        List<IBatchedWrite> failed;
        try
        {
            failed = await RunAsync(batch);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            _logger.LogWarning(ex, "A batch of {Count} writes failed; retrying them one by one", batch.Count);
            // An isolated write that already failed was answered; running it again could commit what its caller saw fail.
            foreach (var write in batch.Where(w => !w.IsAnswered))
            {
                try
                {
                    if ((await RunAsync([write])).Count == 0) write.Complete();
                }
                catch (Exception single)
                {
                    write.Fail(single);
                }
            }
            return;
        }
        catch (Exception ex)
        {
            batch[0].Fail(ex);
            return;
        }
        foreach (var write in batch)
        {
            if (!failed.Contains(write)) write.Complete();
        }
    }

    /// <summary>
    /// Runs and commits the writes; returns the isolated ones that failed (answered, or queued again after a transient
    /// failure; nothing of theirs kept).
    /// </summary>
    private async Task<List<IBatchedWrite>> RunAsync(IReadOnlyList<IBatchedWrite> writes)
    {
        // Not the stopping token: a batch that started is finished, so shutdown never leaves it half-written.
        var cancellationToken = CancellationToken.None;
        var failed = new List<IBatchedWrite>();
        var retry = new List<IBatchedWrite>();
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, cancellationToken);
        await using (var batch = new BatchContext(connection, transaction))
        {
            foreach (var write in writes)
            {
                if (!write.Isolated)
                {
                    await write.ExecuteAsync(batch, cancellationToken);
                    continue;
                }
                batch.ResetDiscard();
                await transaction.SaveAsync("w", cancellationToken);
                try
                {
                    await write.ExecuteAsync(batch, cancellationToken);
                    if (batch.DiscardRequested) await transaction.RollbackAsync("w", cancellationToken);
                }
                catch (Exception ex)
                {
                    await transaction.RollbackAsync("w", cancellationToken);
                    failed.Add(write);
                    if (Database.IsTransient(ex) && write.Tries < 3)
                    {
                        // A deadlock or serialization failure with another batch: nothing of it kept, run it again later.
                        write.Tries++;
                        retry.Add(write);
                    }
                    else
                    {
                        write.Fail(ex);
                    }
                }
                await transaction.ReleaseAsync("w", cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        foreach (var write in retry)
        {
            await _queue.Writer.WriteAsync(write, cancellationToken);
        }
        return failed;
    }
}
