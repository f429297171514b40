namespace Lunas.Server.Notifications;

/// <summary>A claimed notification held in memory until its attempt is recorded (or it is given back unsent).</summary>
public sealed class ClaimedNotification(NotificationRow row, string claimId, DateTimeOffset leaseUntil)
{
    public NotificationRow Row { get; } = row;
    public string ClaimId { get; } = claimId;
    public DateTimeOffset LeaseUntil { get; } = leaseUntil;
    internal ReceiverLanes.Lane? Lane { get; set; }
}

/// <param name="Until">When the row is due again (its receiver is backed off until then); null: at once.</param>
public readonly record struct Release(string ClaimId, string NotificationId, DateTimeOffset? Until);

/// <summary>
/// The dispatcher's memory: one lane per receiver (scheme, host and port) with its claimed rows waiting, its sends in
/// flight (at most ConcurrencyPerHost) and its run of timeouts. Send slots (Concurrency) go round-robin over the lanes
/// that have work, so one receiver's backlog never queues another's notification behind it. A receiver that keeps timing
/// out is backed off: its rows are given back postponed to the back-off's end, and its URLs are left out of claims.
/// Not thread-safe by itself: every member runs under one lock held by the caller's calls here.
/// </summary>
public sealed class ReceiverLanes
{
    public const int TimeoutsBeforeBackoff = 3;
    private const int MaxUrlsPerLane = 16;

    internal sealed class Lane(string key)
    {
        public string Key { get; } = key;
        public Queue<ClaimedNotification> Waiting { get; } = new();
        public HashSet<string> Urls { get; } = new(StringComparer.Ordinal);
        public int Active, Held, Timeouts, Backoffs;
        public DateTimeOffset BackoffUntil;
        public bool Ready, Skipped;
    }

    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Queue<Lane> _ready = new();
    private readonly List<Release> _releases = [];
    private readonly TimeProvider _clock;
    private readonly int _concurrency, _perHost, _threshold, _laneCapacity;
    private readonly TimeSpan _minLease, _backoff;
    private int _held, _inFlight;

    /// <param name="minLease">The lease a row must still have to be sent: the send's timeout plus time to record it.</param>
    public ReceiverLanes(NotificationOptions settings, TimeProvider clock, TimeSpan minLease)
    {
        _clock = clock;
        _concurrency = settings.Concurrency;
        _perHost = settings.ConcurrencyPerHost;
        _backoff = settings.HostBackoff;
        _minLease = minLease;
        Capacity = settings.Concurrency * 4;
        _threshold = Math.Max(1, settings.Concurrency / 2);
        // One receiver never holds the whole capacity: what is left is claimable for the others.
        _laneCapacity = Math.Max(_perHost, Capacity - 2 * _threshold);
    }

    /// <summary>Most rows held at once (claimed, not yet recorded).</summary>
    public int Capacity { get; }

    /// <summary>Rows claimed and not yet recorded or given back.</summary>
    public int Held => _held;

    /// <summary>Set when a claim may now find work it could not before (room freed, a lane opened, rows to give back).</summary>
    public event Action? Changed;

    /// <summary>How many rows to claim now: 0 while too little room is free to be worth a claim.</summary>
    public int ClaimLimit()
    {
        var free = Capacity - _held;
        if (free < _threshold) return 0;
        // Sized to the roomiest receiver already at work, so a claim of its rows does not overflow and get given back.
        var room = -1;
        foreach (var lane in _lanes.Values)
        {
            if (lane.Held > 0 && !IsSkipped(lane, _clock.GetUtcNow())) room = Math.Max(room, LaneCapacity(lane) - lane.Held);
        }
        return room < 0 ? free : Math.Min(free, Math.Max(room, 1));
    }

    /// <summary>The URLs of receivers that are full or backed off: a claim leaves their rows where they are.</summary>
    public IReadOnlyCollection<string> SkippedUrls()
    {
        var now = _clock.GetUtcNow();
        var urls = new List<string>();
        foreach (var lane in _lanes.Values)
        {
            if (IsSkipped(lane, now) && urls.Count + lane.Urls.Count <= Capacity) urls.AddRange(lane.Urls);
        }
        return urls;
    }

    /// <summary>Takes claimed rows in; returns those to send now.</summary>
    public List<ClaimedNotification> Admit(IReadOnlyList<ClaimedNotification> claimed)
    {
        var now = _clock.GetUtcNow();
        foreach (var c in claimed)
        {
            var lane = LaneOf(c.Row.Url!);
            if (lane.Urls.Count < MaxUrlsPerLane) lane.Urls.Add(c.Row.Url!);
            if (lane.BackoffUntil > now)
            {
                _releases.Add(new Release(c.ClaimId, c.Row.NotificationId, lane.BackoffUntil));
            }
            else if (lane.Held >= LaneCapacity(lane))
            {
                _releases.Add(new Release(c.ClaimId, c.Row.NotificationId, null));
            }
            else
            {
                c.Lane = lane;
                lane.Waiting.Enqueue(c);
                lane.Held++;
                _held++;
                MakeReady(lane);
            }
            lane.Skipped = IsSkipped(lane, now);
        }
        return Pump(now);
    }

    /// <summary>A send ended (its attempt not yet recorded): frees its slots; returns the rows to send now.</summary>
    public List<ClaimedNotification> Sent(ClaimedNotification c, DeliveryAttempt attempt)
    {
        var lane = c.Lane!;
        var now = _clock.GetUtcNow();
        lane.Active--;
        _inFlight--;
        if (!attempt.TimedOut)
        {
            lane.Timeouts = 0;
            lane.Backoffs = 0;
        }
        else if (++lane.Timeouts >= TimeoutsBeforeBackoff && now >= lane.BackoffUntil)
        {
            lane.BackoffUntil = now + _backoff * (1 << Math.Min(lane.Backoffs++, 5));
            while (lane.Waiting.TryDequeue(out var waiting))
            {
                GiveBack(waiting, lane.BackoffUntil);
            }
            BackedOff?.Invoke(lane.Key, lane.BackoffUntil);
        }
        lane.Skipped = IsSkipped(lane, now);
        MakeReady(lane);
        return Pump(now);
    }

    /// <summary>Raised with the receiver and the end of its back-off when it starts.</summary>
    public event Action<string, DateTimeOffset>? BackedOff;

    /// <summary>The attempt of a sent row is recorded (or failed to be): its room is free.</summary>
    public void Recorded(ClaimedNotification c)
    {
        var lane = c.Lane!;
        lane.Held--;
        _held--;
        var crossed = Capacity - _held == _threshold;
        var now = _clock.GetUtcNow();
        if (lane.Held == 0 && lane.Timeouts == 0 && now >= lane.BackoffUntil)
        {
            _lanes.Remove(lane.Key);
            crossed |= lane.Skipped;
        }
        else if (lane.Skipped && !IsSkipped(lane, now))
        {
            lane.Skipped = false;
            crossed = true;
        }
        if (crossed) Changed?.Invoke();
    }

    /// <summary>Rows to give back to the table, emptied.</summary>
    public List<Release> TakeReleases()
    {
        var taken = _releases.ToList();
        _releases.Clear();
        return taken;
    }

    private List<ClaimedNotification> Pump(DateTimeOffset now)
    {
        var start = new List<ClaimedNotification>();
        while (_inFlight < _concurrency && _ready.TryDequeue(out var lane))
        {
            lane.Ready = false;
            if (lane.Active >= SendLimit(lane) || !lane.Waiting.TryDequeue(out var next)) continue;
            if (next.LeaseUntil - now < _minLease)
            {
                // Waited so long its lease could end mid-send: given back, so no other dispatcher can send it twice.
                GiveBack(next, null);
            }
            else
            {
                lane.Active++;
                _inFlight++;
                start.Add(next);
            }
            MakeReady(lane);
        }
        if (_releases.Count > 0) Changed?.Invoke();
        return start;
    }

    private void GiveBack(ClaimedNotification c, DateTimeOffset? until)
    {
        c.Lane!.Held--;
        _held--;
        _releases.Add(new Release(c.ClaimId, c.Row.NotificationId, until));
    }

    private void MakeReady(Lane lane)
    {
        if (lane.Ready || lane.Waiting.Count == 0 || lane.Active >= SendLimit(lane)) return;
        lane.Ready = true;
        _ready.Enqueue(lane);
    }

    private Lane LaneOf(string url)
    {
        var key = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : url;
        if (!_lanes.TryGetValue(key, out var lane)) _lanes[key] = lane = new Lane(key);
        return lane;
    }

    // A receiver that timed out is probed one send at a time until it answers again.
    private int SendLimit(Lane lane) => lane.Timeouts > 0 ? 1 : _perHost;

    // A receiver that timed out lately holds no more than it may send at once.
    private int LaneCapacity(Lane lane) => lane.Timeouts > 0 ? _perHost : _laneCapacity;

    private bool IsSkipped(Lane lane, DateTimeOffset now)
        => now < lane.BackoffUntil || lane.Held > LaneCapacity(lane) - Math.Min(_threshold, LaneCapacity(lane) / 2);
}
