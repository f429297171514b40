namespace Lunas.Server.Storage;

/// <summary>
/// A statement that must commit in the same transaction as the first write a request makes, ahead of it: a
/// signed request's single-use Request-Id mark (Security/ReplayGuard) rides with the payment step it guards, so the
/// step costs one commit, not two. Set for the request's async flow with <see cref="Current"/>; the first
/// <see cref="WriteBatcher.WriteAsync{TResult}"/> of that flow takes it. If it refuses, the write is not run and
/// fails with <see cref="WriteRefusedException"/>; if the write's statements are undone (a discarded or failed
/// isolated write, a failed batch), so is the prerequisite, and the next write of the flow takes it again.
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

    /// <summary>Runs its statements in the write's transaction (and savepoint); false refuses the write.</summary>
    public abstract Task<bool> ApplyAsync(BatchContext batch);

    internal bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Free) == Free;

    internal void MarkCommitted() => Volatile.Write(ref _state, Committed);

    /// <summary>Free again when the write that took it ended without committing it.</summary>
    internal void Release() => Interlocked.CompareExchange(ref _state, Free, Taken);
}

/// <summary>A write not run because its <see cref="WritePrerequisite"/> refused (a Request-Id already used).</summary>
public sealed class WriteRefusedException() : Exception("the write's prerequisite refused it; nothing was stored");
