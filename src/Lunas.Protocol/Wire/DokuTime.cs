using System.Globalization;

namespace Lunas.Protocol.Wire;

/// <summary>DOKU's body dates: <c>yyyyMMddHHmmss</c> in Jakarta time (WIB, UTC+7, no daylight saving).</summary>
public static class DokuTime
{
    /// <summary>The offset of WIB from UTC.</summary>
    public static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    /// <summary>The pattern of DOKU's body dates.</summary>
    public const string Format = "yyyyMMddHHmmss";

    /// <summary><paramref name="instant"/> in WIB as <c>yyyyMMddHHmmss</c>.</summary>
    public static string FormatWib(DateTimeOffset instant) => instant.ToOffset(Wib).ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>Parses a WIB <c>yyyyMMddHHmmss</c> date; null when it is missing or malformed.</summary>
    public static DateTimeOffset? ParseWib(string? value)
        => DateTime.TryParseExact(value, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, Wib)
            : null;
}
