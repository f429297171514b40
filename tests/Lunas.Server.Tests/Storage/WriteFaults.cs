using Lunas.Server.Storage;
using Lunas.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lunas.Server.Tests.Storage;

/// <summary>
/// Injects database trouble before each write runs: transient failures (the provider's own "busy" or "deadlock"
/// error) and a stall (every write blocks until released), as a stalled connection would.
/// </summary>
public sealed class WriteFaults(string provider) : IWriteFaultInjector
{
    private int _failuresLeft;
    private int _executions;
    private TaskCompletionSource _gate = Open();
    private TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writes that reached the database (each try counts).</summary>
    public int Executions => Volatile.Read(ref _executions);

    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    /// <summary>Blocks every write from now on; <see cref="Entered"/> completes when the first one is held.</summary>
    public void Stall()
    {
        _entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task Entered => _entered.Task;

    public void Release() => _gate.TrySetResult();

    public async Task BeforeWriteAsync(IBatchedWrite write)
    {
        // The dispatcher's own writes (its lease claims) run on their schedule, not the test's: left alone and uncounted.
        if (IsDispatcherWrite(write)) return;
        Interlocked.Increment(ref _executions);
        var gate = _gate;
        if (!gate.Task.IsCompleted)
        {
            _entered.TrySetResult();
            await gate.Task;
        }
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            throw Transient(provider);
        }
    }

    private static bool IsDispatcherWrite(IBatchedWrite write)
        => write.GetType().GetGenericArguments().Append(write.GetType())
            .Any(t => t.Namespace == "Lunas.Server.Notifications" || t.GenericTypeArguments.Any(a => a.Namespace == "Lunas.Server.Notifications"));

    public static Exception Transient(string provider) => provider == "sqlite"
        ? new SqliteException("database is locked", 5)
        : new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected);

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public static WriteFaults For(TestDatabase database) => new(database.Provider);
}
