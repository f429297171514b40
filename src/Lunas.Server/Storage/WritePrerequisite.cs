namespace Lunas.Server.Storage;

/// <summary>
/// A statement that must commit in the same transaction as the first write a request makes, ahead of it: a
/// signed request's single-use Request-Id mark (Security/ReplayGuard) rides with the payment step it guards, so the
/// step costs one commit, not two. Set for the request's async flow with <see cref="Current"/>; the first
/// <see cref="WriteBatcher.WriteAsync{TResult}"/> of that flow takes it. If it refuses, the write fails with
/// <see cref="WriteRefusedException"/> and nothing of it is kept: on PostgreSQL an isolated write's prerequisite travels
/// in the round trip of the write's first statement and is decided when the write is done (a refusal then rolls the
/// write back to its savepoint); otherwise it runs first and a refused write is not run at all. If the write's
/// statements are undone (a discarded or failed isolated write, a failed batch), so is the prerequisite, and the next
/// write of the flow takes it again.
/// </summary>
public abstract class WritePrerequisite
{
    private const int Free = 0, Taken = 1, Committed = 2;
    private static readonly AsyncLocal<WritePrerequisite?> current = new();
    private int _state;

    /// <summary>The prerequisite of the running request, if its endpoint deferred one.</summary>
    public static WritePrerequisite? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    /// <summary>Whether a write carried it and committed.</summary>
    public bool IsCommitted => Volatile.Read(ref _state) == Committed;

    /// <summary>
    /// Its statement, one of <paramref name="batch"/>'s commands with its values set, run in the write's transaction
    /// (and savepoint): one row changed accepts the write, any other count refuses it.
    /// </summary>
    public abstract System.Data.Common.DbCommand Statement(BatchContext batch);

    internal bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Free) == Free;

    internal void MarkCommitted() => Volatile.Write(ref _state, Committed);

    /// <summary>Free again when the write that took it ended without committing it.</summary>
    internal void Release() => Interlocked.CompareExchange(ref _state, Free, Taken);
}

/// <summary>A write not run because its <see cref="WritePrerequisite"/> refused (a Request-Id already used).</summary>
public sealed class WriteRefusedException() : Exception("the write's prerequisite refused it; nothing was stored");
