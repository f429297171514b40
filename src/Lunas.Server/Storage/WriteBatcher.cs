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

    async Task IBatchedWrite.ExecuteAsync(BatchContext batch, CancellationToken cancellationToken)
        => _result = await ExecuteAsync(batch, cancellationToken);

    void IBatchedWrite.Complete() => _completion.TrySetResult(_result!);

    void IBatchedWrite.Fail(Exception exception) => _completion.TrySetException(exception);
}

public interface IBatchedWrite
{
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
public sealed class WriteBatcher : BackgroundService
{
    private readonly Channel<IBatchedWrite> _queue = Channel.CreateBounded<IBatchedWrite>(
        new BoundedChannelOptions(8192) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
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
        try
        {
            await RunAsync(batch);
            foreach (var write in batch)
            {
                write.Complete();
            }
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            _logger.LogWarning(ex, "A batch of {Count} writes failed; retrying them one by one", batch.Count);
        }
        catch (Exception ex)
        {
            batch[0].Fail(ex);
            return;
        }
        foreach (var write in batch)
        {
            try
            {
                await RunAsync([write]);
                write.Complete();
            }
            catch (Exception ex)
            {
                write.Fail(ex);
            }
        }
    }

    private async Task RunAsync(IReadOnlyList<IBatchedWrite> writes)
    {
        // Not the stopping token: a batch that started is finished, so shutdown never leaves it half-written.
        var cancellationToken = CancellationToken.None;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await _database.BeginWriteAsync(connection, cancellationToken);
        await using (var batch = new BatchContext(connection, transaction))
        {
            foreach (var write in writes)
            {
                await write.ExecuteAsync(batch, cancellationToken);
            }
        }
        await transaction.CommitAsync(cancellationToken);
    }
}
