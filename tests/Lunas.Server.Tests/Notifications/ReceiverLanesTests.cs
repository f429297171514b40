using Lunas.Server.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace Lunas.Server.Tests.Notifications;

/// <summary>The dispatcher's in-memory scheduling, without a server: who is sent when, and what is claimed.</summary>
public class ReceiverLanesTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private int _next;

    private ReceiverLanes Lanes(int concurrency = 4, int perHost = 2)
        => new(new NotificationOptions { Concurrency = concurrency, ConcurrencyPerHost = perHost }, _clock, TimeSpan.FromSeconds(40));

    private List<ClaimedNotification> Rows(string url, int count, TimeSpan? lease = null)
        => Enumerable.Range(0, count).Select(_ => new ClaimedNotification(
            new NotificationRow($"n{_next++}", "m", "s", "inv", "SUCCESS", url, "{}", "PENDING", 0, default, null, default),
            "claim", _clock.GetUtcNow() + (lease ?? TimeSpan.FromMinutes(1)))).ToList();

    private static DeliveryAttempt Attempt(bool timedOut = false)
        => new("a", "n", "r", 0, "SCHEDULED", "u", default, timedOut ? null : 200, timedOut ? "timeout" : null, 1, null) { TimedOut = timedOut };

    [Fact]
    public void Admit_SendsRoundRobinOverReceivers_WhenSlotsAreScarce()
    {
        var lanes = Lanes(concurrency: 2, perHost: 2);
        var started = lanes.Admit(Rows("http://a.test/hook", 4));
        Assert.Equal(["http://a.test/hook", "http://a.test/hook"], started.Select(c => c.Row.Url));
        Assert.Empty(lanes.Admit(Rows("http://b.test/hook", 1)));

        var next = lanes.Sent(started[0], Attempt());

        // b's only row goes next, ahead of a's older backlog.
        Assert.Equal("http://b.test/hook", Assert.Single(next).Row.Url);
    }

    [Fact]
    public void Admit_KeepsAtMostConcurrencyPerHostInFlight_ToOneReceiver()
    {
        var lanes = Lanes(concurrency: 4, perHost: 2);

        var started = lanes.Admit(Rows("http://a.test:8080/x", 3));

        Assert.Equal(2, started.Count);
        Assert.Empty(lanes.Admit(Rows("http://a.test:8080/y", 1)));
        Assert.Single(lanes.Admit(Rows("http://a.test:8081/x", 1)));
    }

    [Fact]
    public void ClaimLimit_LeavesRoomForOthers_AndSkipsAFullReceiversUrls()
    {
        var lanes = Lanes(concurrency: 4, perHost: 2);
        // Capacity 16, one receiver holds at most 12: of 16 claimed, 4 are given back at once.
        lanes.Admit(Rows("http://hole.test/hook", 16));

        Assert.Equal(12, lanes.Held);
        Assert.Equal(4, lanes.TakeReleases().Count(r => r.Until is null));
        Assert.Equal(["http://hole.test/hook"], lanes.SkippedUrls());
        Assert.Equal(4, lanes.ClaimLimit());
    }

    [Fact]
    public void ClaimLimit_IsSizedToTheBusyReceiversRoom_SoItsClaimsAreNotGivenBack()
    {
        var lanes = Lanes(concurrency: 4, perHost: 2);
        var started = lanes.Admit(Rows("http://shop.test/hook", 8));
        Assert.Empty(lanes.TakeReleases());

        var limit = lanes.ClaimLimit();
        lanes.Admit(Rows("http://shop.test/hook", limit));

        Assert.Equal(4, limit);
        Assert.Empty(lanes.TakeReleases());
        Assert.Equal(["http://shop.test/hook"], lanes.SkippedUrls());
        Assert.Equal(2, started.Count);
    }

    [Fact]
    public void Sent_BacksOffAReceiver_AfterRepeatedTimeouts_GivingBackWhatItHeldUntilTheBackoffEnds()
    {
        var lanes = Lanes(concurrency: 8, perHost: 3);
        var started = lanes.Admit(Rows("http://slow.test/hook", 10));

        Assert.Empty(lanes.Sent(started[0], Attempt(timedOut: true)));
        Assert.Empty(lanes.Sent(started[1], Attempt(timedOut: true)));
        Assert.Empty(lanes.Sent(started[2], Attempt(timedOut: true)));

        var releases = lanes.TakeReleases();
        Assert.Equal(7, releases.Count);
        Assert.All(releases, r => Assert.Equal(_clock.GetUtcNow() + new NotificationOptions().HostBackoff, r.Until));
        Assert.Equal(["http://slow.test/hook"], lanes.SkippedUrls());
        Assert.Empty(lanes.Admit(Rows("http://slow.test/hook", 1)));
        Assert.Single(lanes.TakeReleases());
    }

    [Fact]
    public void Admit_GivesBackARowWhoseLeaseIsTooShortToSend()
    {
        var lanes = Lanes();

        var started = lanes.Admit(Rows("http://a.test/hook", 1, lease: TimeSpan.FromSeconds(39)));

        Assert.Empty(started);
        Assert.Equal([null], lanes.TakeReleases().Select(r => r.Until));
        Assert.Equal(0, lanes.Held);
    }
}
