namespace Lunas.Server.Storage;

/// <summary>
/// A write was not committed in time (the database is stalled or the write queue is full), or could not be made for
/// want of room (a payment step found no free payment code): nothing of it was stored, and the same request may succeed
/// later. Answered as 503 with <c>Retry-After</c> by <see cref="Infrastructure.StorageUnavailableAnswer"/>; no handler
/// catches it.
/// </summary>
public sealed class StorageUnavailableException(string message, int retryAfterSeconds) : Exception(message)
{
    /// <summary>Seconds a client should wait before trying again.</summary>
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
