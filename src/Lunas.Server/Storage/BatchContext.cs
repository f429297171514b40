using System.Data.Common;

namespace Lunas.Server.Storage;

/// <summary>The connection and transaction of one batch, with its commands kept so each SQL text is parsed once per batch.</summary>
public sealed class BatchContext(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbConnection Connection => connection;
    public DbTransaction Transaction => transaction;

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

    // An isolated write's savepoint, through the batch's own commands: the provider's Save/Rollback/Release would
    // prepare a new statement each time, three per write, and the single writer's time is what bounds throughput.
    internal Task SavepointAsync() => Command("SAVEPOINT w").ExecuteNonQueryAsync(CancellationToken.None);

    internal Task RollbackToSavepointAsync() => Command("ROLLBACK TO SAVEPOINT w").ExecuteNonQueryAsync(CancellationToken.None);

    internal Task ReleaseSavepointAsync() => Command("RELEASE SAVEPOINT w").ExecuteNonQueryAsync(CancellationToken.None);

    /// <summary>
    /// The batch's command for this SQL, every parameter unset (<see cref="DbExtensions.With"/> sets it again). Owned by
    /// the batch: callers do not dispose it.
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
