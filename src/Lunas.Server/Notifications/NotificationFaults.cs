using System.Text.Json;
using Lunas.Protocol.Channels;

namespace Lunas.Server.Notifications;

/// <summary>
/// A sandbox fault for a merchant's next notifications. <paramref name="Amount"/> is the kind's number (duplicate:
/// copies, delay: seconds, drop: attempts; 0 for the others); <paramref name="Remaining"/> counts down from
/// <paramref name="Times"/> as notifications take it.
/// </summary>
public sealed record NotificationFault(string Kind, int Amount, string? Channel, int Times, int Remaining);

/// <summary>The fault kinds, the number each takes, their limits, and the reading of a PUT body.</summary>
public static class NotificationFaults
{
    public const string Duplicate = "duplicate";
    public const string Delay = "delay";
    public const string Drop = "drop";
    public const string BadSignature = "bad_signature";
    public const string OutOfOrder = "out_of_order";

    public const int MaxFaults = 20;
    public const int MaxCopies = 10;
    public const int MaxDelaySeconds = 86_400;
    public const int MaxDropAttempts = 10;
    public const int MaxTimes = 1000;

    /// <summary>How long an out_of_order FAILED notification waits for the order's SUCCESS before it is sent anyway.</summary>
    public static readonly TimeSpan OutOfOrderHold = TimeSpan.FromHours(1);

    /// <summary>Kind → the field of its number with that number's bounds; null when the kind takes none.</summary>
    private static readonly Dictionary<string, (string Field, int Min, int Max)?> Kinds = new(StringComparer.Ordinal)
    {
        [Duplicate] = ("copies", 2, MaxCopies),
        [Delay] = ("seconds", 1, MaxDelaySeconds),
        [Drop] = ("attempts", 1, MaxDropAttempts),
        [BadSignature] = null,
        [OutOfOrder] = null,
    };

    /// <summary>The name of the kind's number in the JSON ("copies", "seconds", "attempts"); null when it has none.</summary>
    public static string? AmountField(string kind) => Kinds.TryGetValue(kind, out var spec) ? spec?.Field : null;

    /// <summary>Reads <c>{"faults": [...]}</c>; every problem is added to <paramref name="errors"/>, named by its path.</summary>
    public static IReadOnlyList<NotificationFault> Read(JsonElement root, List<string> errors)
    {
        if (!root.TryGetProperty("faults", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            errors.Add("faults must be an array (empty to clear)");
            return [];
        }
        if (array.GetArrayLength() > MaxFaults)
        {
            errors.Add($"faults has {array.GetArrayLength()} entries; at most {MaxFaults} are allowed");
            return [];
        }
        var faults = new List<NotificationFault>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (ReadOne(item, $"faults[{i++}]", errors) is { } fault) faults.Add(fault);
        }
        return faults;
    }

    private static NotificationFault? ReadOne(JsonElement item, string path, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path} must be an object");
            return null;
        }
        var before = errors.Count;
        string? kind = null;
        if (!item.TryGetProperty("kind", out var k) || k.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path}.kind must be one of {string.Join(", ", Kinds.Keys)}");
        }
        else if (!Kinds.ContainsKey(k.GetString()!))
        {
            errors.Add($"{path}.kind \"{k.GetString()}\" is not a fault kind (one of {string.Join(", ", Kinds.Keys)})");
        }
        else
        {
            kind = k.GetString()!;
        }
        var amount = 0;
        if (kind is not null && Kinds[kind] is { } spec)
        {
            amount = Number(item, path, spec.Field, spec.Min, spec.Max, null, errors);
        }
        var times = Number(item, path, "times", 1, MaxTimes, 1, errors);
        var channel = Channel(item, path, errors);
        foreach (var property in item.EnumerateObject())
        {
            if (property.Name is not ("kind" or "times" or "channel") && (kind is null || property.Name != AmountField(kind)))
            {
                errors.Add($"{path}.{property.Name} is not a field of {(kind is null ? "a fault" : "a " + kind + " fault")}");
            }
        }
        return errors.Count == before ? new NotificationFault(kind!, amount, channel, times, times) : null;
    }

    private static int Number(JsonElement item, string path, string field, int min, int max, int? fallback, List<string> errors)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (fallback is { } given) return given;
            errors.Add($"{path}.{field} must be filled (a whole number from {min} to {max})");
            return 0;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= min && n <= max) return n;
        errors.Add($"{path}.{field} must be a whole number from {min} to {max}");
        return 0;
    }

    private static string? Channel(JsonElement item, string path, List<string> errors)
    {
        if (!item.TryGetProperty("channel", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var channel = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        if (channel is not null && PaymentMethods.Find(channel) is not null) return channel;
        errors.Add($"{path}.channel must be a DOKU payment method (e.g. VIRTUAL_ACCOUNT_BCA, QRIS)");
        return null;
    }

    /// <summary>Whether <paramref name="fault"/> applies to this notification: its channel, and out_of_order only to a FAILED one.</summary>
    public static bool Matches(NotificationFault fault, NotificationRow row)
        => (fault.Kind != OutOfOrder || row.Event == "FAILED")
           && (fault.Channel is null || string.Equals(fault.Channel, ChannelOf(row.Body), StringComparison.Ordinal));

    private static string? ChannelOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object
                   && channel.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
