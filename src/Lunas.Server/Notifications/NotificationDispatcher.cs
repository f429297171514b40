using Lunas.Server.Payments;

namespace Lunas.Server.Notifications;

/// <summary>
/// Sends due notifications: woken at once after a payment commits, and polling for retries and for rows written by
/// other instances. Claims are leased, so two dispatchers on one database never send the same attempt twice. Rows are
/// claimed as room frees up, not batch by batch, and sent through <see cref="ReceiverLanes"/>: a bounded number of
/// sends, a bounded number per receiver, a receiver that keeps timing out backed off, so no receiver holds up another.
/// </summary>
public sealed partial class NotificationDispatcher : BackgroundService
{
    private readonly NotificationStore _store;
    private readonly FaultedDelivery _delivery;
    private readonly Outbox _outbox;
    private readonly NotificationOptions _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly SemaphoreSlim _changed = new(0, 1);
    private readonly object _gate = new();
    private readonly ReceiverLanes _lanes;
    private readonly IReadOnlyList<TimeSpan> _schedule;
    private readonly TimeSpan _lease;
    private Task<bool>? _outboxWait, _changedWait;
    private int _running;

    public NotificationDispatcher(NotificationStore store, NotificationSender sender, Outbox outbox, LunasOptions options,
        TimeProvider clock, ILogger<NotificationDispatcher> logger)
    {
        _store = store;
        _delivery = new FaultedDelivery(sender, clock);
        _outbox = outbox;
        _settings = options.Notifications;
        _clock = clock;
        _logger = logger;
        _schedule = _settings.ParsedRetrySchedule();
        // A row may wait in memory for a send slot; the lease covers that wait (a few rounds of sends hitting the
        // timeout), its own send and recording it. One that waited longer is given back instead of being sent.
        var recording = TimeSpan.FromSeconds(30);
        _lease = _settings.Timeout * 4 + recording;
        _lanes = new ReceiverLanes(_settings, clock, _settings.Timeout + recording);
        _lanes.Changed += Signal;
        _lanes.BackedOff += (receiver, until) => LogBackedOff(_logger, receiver, ReceiverLanes.TimeoutsBeforeBackoff, until);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_settings.Enabled)
        {
            LogDisabled(_logger);
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await GiveBackAsync(stoppingToken);
                if (await ClaimAsync(stoppingToken)) continue;
                await WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                LogLoopFailure(_logger, ex);
                await Task.Delay(_settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        // Sends in flight were cancelled; give their records (queued with no token) a moment to be written.
        for (var i = 0; i < 100 && Volatile.Read(ref _running) > 0; i++)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>Claims as many rows as there is room for and starts what can be sent; true when more may be due.</summary>
    private async Task<bool> ClaimAsync(CancellationToken stoppingToken)
    {
        int limit;
        IReadOnlyCollection<string> skip;
        lock (_gate)
        {
            limit = _lanes.ClaimLimit();
            skip = limit > 0 ? _lanes.SkippedUrls() : [];
        }
        if (limit == 0) return false;
        var claimId = Guid.NewGuid().ToString("N");
        var leaseUntil = _clock.GetUtcNow() + _lease;
        var rows = await _store.ClaimDueAsync(claimId, limit, _lease, skip, stoppingToken);
        if (rows.Count == 0) return false;
        List<ClaimedNotification> start;
        bool more;
        lock (_gate)
        {
            var before = _lanes.Held;
            start = _lanes.Admit(rows.Select(r => new ClaimedNotification(r, claimId, leaseUntil)).ToList());
            // A full claim, kept, that filled no receiver: more may be due. A claim that filled one waits for a change
            // instead, since the next would have to scan past that receiver's backlog to find others' rows.
            more = rows.Count == limit && _lanes.Held > before && _lanes.SkippedUrls().Count == skip.Count;
        }
        Start(start, stoppingToken);
        return more;
    }

    private void Start(List<ClaimedNotification> claimed, CancellationToken stoppingToken)
    {
        foreach (var c in claimed)
        {
            Interlocked.Increment(ref _running);
            _ = SendAsync(c, stoppingToken);
        }
    }

    private async Task SendAsync(ClaimedNotification claimed, CancellationToken stoppingToken)
    {
        // Off the caller's stack: a send that ends at once would otherwise start the next one inside it.
        await Task.Yield();
        var notification = claimed.Row;
        var sent = false;
        try
        {
            var (attempt, made) = await _delivery.SendAsync(notification, stoppingToken);
            sent = true;
            List<ClaimedNotification> next;
            lock (_gate)
            {
                next = _lanes.Sent(claimed, attempt);
            }
            Start(next, stoppingToken);
            // One notification's trouble stays its own: the others are still sent and recorded.
            if (!await _store.RecordAsync(notification, claimed.ClaimId, attempt, _schedule, made))
            {
                LogLeaseLost(_logger, notification.NotificationId);
            }
            if (!attempt.Delivered)
            {
                LogFailedAttempt(_logger, notification.NotificationId, notification.InvoiceNumber, attempt.Url, attempt.Error);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogRecordFailure(_logger, ex, notification.NotificationId);
        }
        finally
        {
            lock (_gate)
            {
                // Unsent (the sender never throws but for shutdown): its lease runs out and it is claimed again.
                if (!sent) _lanes.Sent(claimed, Unsent);
                _lanes.Recorded(claimed);
            }
            Interlocked.Decrement(ref _running);
        }
    }

    private static readonly DeliveryAttempt Unsent = new("", "", "", 0, "", "", default, null, "not sent", 0, null);

    /// <summary>Writes back the rows the lanes gave up (receiver backed off or full, lease too short to send).</summary>
    private async Task GiveBackAsync(CancellationToken stoppingToken)
    {
        List<Release> releases;
        lock (_gate)
        {
            releases = _lanes.TakeReleases();
        }
        foreach (var group in releases.GroupBy(r => (r.ClaimId, r.Until)))
        {
            await _store.ReleaseAsync(group.Key.ClaimId, group.Select(r => r.NotificationId).ToList(), group.Key.Until, stoppingToken);
        }
    }

    /// <summary>Until a payment commits, the lanes make room, or the poll interval passes; a wake is never lost.</summary>
    private async Task WaitAsync(CancellationToken stoppingToken)
    {
        _outboxWait ??= _outbox.WaitAsync(_settings.PollInterval, stoppingToken);
        _changedWait ??= _changed.WaitAsync(_settings.PollInterval, stoppingToken);
        await Task.WhenAny(_outboxWait, _changedWait);
        if (_outboxWait.IsCompleted) _outboxWait = null;
        if (_changedWait.IsCompleted) _changedWait = null;
        stoppingToken.ThrowIfCancellationRequested();
    }

    private void Signal()
    {
        if (_changed.CurrentCount == 0)
        {
            try { _changed.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Notification dispatch is disabled on this instance (Lunas:Notifications:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(2, LogLevel.Warning, "Notification {NotificationId} for {Invoice} to {Url} not delivered: {Error}")]
    private static partial void LogFailedAttempt(ILogger logger, string notificationId, string invoice, string url, string? error);

    [LoggerMessage(4, LogLevel.Error, "Notification {NotificationId}: the attempt could not be recorded; its lease will expire and it is retried")]
    private static partial void LogRecordFailure(ILogger logger, Exception exception, string notificationId);

    [LoggerMessage(5, LogLevel.Warning,
        "Notification {NotificationId}: its lease ran out before the attempt was recorded; the attempt is logged, the schedule left to the new holder (raise Lunas:Notifications:Timeout's margin if this repeats)")]
    private static partial void LogLeaseLost(ILogger logger, string notificationId);

    [LoggerMessage(3, LogLevel.Error, "Notification dispatch loop failed; retrying")]
    private static partial void LogLoopFailure(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Warning,
        "Receiver {Receiver} timed out {Count} times in a row: its notifications wait until {Until:O} (their schedule unchanged)")]
    private static partial void LogBackedOff(ILogger logger, string receiver, int count, DateTimeOffset until);
}
