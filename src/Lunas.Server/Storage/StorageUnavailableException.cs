namespace Lunas.Server.Storage;

/// <summary>
/// A write was not committed in time (the database is stalled or the write queue is full), or could not be made for
/// want of room (a payment step found no free payment code); the message says whether anything may have been stored.
/// Answered as 503 with <c>Retry-After</c> by <see cref="Infrastructure.StorageUnavailableAnswer"/>; no handler catches
/// it.
/// </summary>
public sealed class StorageUnavailableException(string message, int retryAfterSeconds) : Exception(message)
{
    /// <summary>Seconds a client should wait before trying again.</summary>
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
