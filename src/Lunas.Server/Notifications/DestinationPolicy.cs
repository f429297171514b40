using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Lunas.Protocol.Checkout;

namespace Lunas.Server.Notifications;

/// <summary>
/// Where notifications may go. Link-local and cloud-metadata addresses are never contacted; loopback and private
/// networks only when private networks are allowed (by default: when Lunas itself listens on loopback only, the
/// local-development setup) or when named in <c>Lunas:Notifications:AllowedNetworks</c>; every other address is public
/// and allowed. Checked on literal addresses at create and on every resolved address at connect time.
/// </summary>
public sealed class DestinationPolicy
{
    private static readonly IPNetwork[] Never =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("100.100.100.200/32"),
        IPNetwork.Parse("224.0.0.0/3"), IPNetwork.Parse("::/128"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fd00:ec2::254/128"), IPNetwork.Parse("ff00::/8"),
    ];

    private static readonly IPNetwork[] Private =
    [
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("64:ff9b:1::/48"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly bool? _allowPrivate;
    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly Func<IReadOnlyCollection<string>> _boundUrls;
    private readonly IReadOnlyCollection<string> _configuredUrls;
    private bool? _loopbackOnly;

    /// <param name="configuredUrls">The urls Lunas is configured to listen on (used until it is listening).</param>
    /// <param name="boundUrls">The addresses Kestrel is listening on; empty before it started.</param>
    public DestinationPolicy(NotificationOptions options, IReadOnlyCollection<string> configuredUrls,
        Func<IReadOnlyCollection<string>>? boundUrls = null)
    {
        _allowPrivate = options.AllowPrivateNetworks;
        _allowed = options.ParsedAllowedNetworks();
        _configuredUrls = configuredUrls;
        _boundUrls = boundUrls ?? (() => []);
    }

    /// <summary>The policy a server with this configuration has before it listens (the command-line tool uses it).</summary>
    public static DestinationPolicy FromConfiguration(IConfiguration configuration)
    {
        var options = new NotificationOptions();
        configuration.GetSection(LunasOptions.Section + ":Notifications").Bind(options);
        return new DestinationPolicy(options, ConfiguredUrls(configuration, LunasApp.DefaultUrl));
    }

    /// <summary>Whether loopback and private networks are allowed: as configured, else when listening on loopback only.</summary>
    public bool PrivateNetworksAllowed => _allowPrivate ?? ListensOnLoopbackOnly();

    /// <summary>Null when <paramref name="address"/> may be contacted, else why not.</summary>
    public string? Refusal(IPAddress address)
    {
        var inner = Embedded(address);
        if (Never.Any(n => n.Contains(inner)))
        {
            return $"{address} is a link-local or cloud-metadata address, never contacted";
        }
        if (!Private.Any(n => n.Contains(inner)) || PrivateNetworksAllowed
            || _allowed.Any(n => n.Contains(inner) || n.Contains(address)))
        {
            return null;
        }
        return $"{address} is on a loopback or private network, not allowed here (Lunas:Notifications:AllowedNetworks, AllowPrivateNetworks)";
    }

    /// <summary>
    /// Null when <paramref name="url"/> may be used as a destination as far as can be told without resolving it: its
    /// host is a name (checked at connect time) or an allowed literal address. Else why not.
    /// </summary>
    public string? LiteralRefusal(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return null;
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.Host.TrimStart('[').TrimEnd(']'), out var literal))
        {
            return Refusal(literal);
        }
        var host = uri.IdnHost.TrimEnd('.');
        // RFC 6761: localhost names never leave the machine.
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            ? Refusal(IPAddress.Loopback)
            : null;
    }

    /// <summary>At create: an order's own notification URLs that are literal addresses outside the policy are errors.</summary>
    public void Validate(AdditionalInfo? info, ValidationErrors errors)
    {
        foreach (var (path, url) in new[]
                 {
                     ("additional_info.override_notification_url", info?.OverrideNotificationUrl),
                     ("additional_info.doku_wallet_notify_url", info?.DokuWalletNotifyUrl),
                 })
        {
            if (url is { Length: > 0 } && !errors.Has(path) && LiteralRefusal(url) is { } refusal)
            {
                errors.Add(path, "is not an allowed notification destination: " + refusal);
            }
        }
    }

    /// <summary>Fails the start when a configured merchant's notification URL is a literal address outside the policy.</summary>
    public void EnsureAllowed(IReadOnlyList<MerchantOptions> merchants)
    {
        for (var i = 0; i < merchants.Count; i++)
        {
            var urls = merchants[i].NotificationUrls.Select(u => ($"NotificationUrls:{u.Key}", (string?)u.Value))
                .Prepend(("NotificationUrl", merchants[i].NotificationUrl));
            foreach (var (key, url) in urls)
            {
                if (url is not null && LiteralRefusal(url) is { } refusal)
                    throw new InvalidOperationException($"Lunas:Merchants:{i}:{key}: {refusal}.");
            }
        }
    }

    /// <summary>The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 address; else itself.</summary>
    public static IPAddress Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        var b = address.GetAddressBytes();
        // IPv4-compatible (::a.b.c.d, deprecated but still routed by some stacks); :: and ::1 are themselves.
        var compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(12)) > 1;
        if (Nat64.Contains(address) || compatible)
        {
            return new IPAddress(b.AsSpan(12, 4));
        }
        return SixToFour.Contains(address) ? new IPAddress(b.AsSpan(2, 4)) : address;
    }

    private bool ListensOnLoopbackOnly()
    {
        if (_loopbackOnly is { } known) return known;
        var bound = _boundUrls();
        if (bound.Count == 0) return AreLoopback(_configuredUrls);
        return (_loopbackOnly = AreLoopback(bound)).Value;
    }

    /// <summary>True when every url listens on a loopback host (localhost, 127.x, ::1); a wildcard or a name is not.</summary>
    public static bool AreLoopback(IReadOnlyCollection<string> urls)
        => urls.Count > 0 && urls.All(url =>
        {
            var host = HostOf(url);
            return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                   || (IPAddress.TryParse(host.TrimStart('[').TrimEnd(']'), out var ip) && IPAddress.IsLoopback(ip));
        });

    // Kestrel urls may use hosts Uri refuses (http://*:5000, http://+:80): take the text between "://" and the port.
    private static string HostOf(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        var rest = start < 0 ? url : url[(start + 3)..];
        var end = rest.IndexOf('/');
        if (end >= 0) rest = rest[..end];
        var colon = rest.LastIndexOf(':');
        return colon > rest.LastIndexOf(']') ? rest[..colon] : rest;
    }

    /// <summary>The urls Lunas is configured to listen on: <c>urls</c> and Kestrel endpoints; <c>http_ports</c> listen everywhere.</summary>
    public static IReadOnlyCollection<string> ConfiguredUrls(IConfiguration configuration, string defaultUrl)
    {
        var urls = new List<string>();
        foreach (var key in new[] { "http_ports", "https_ports" })
        {
            if (!string.IsNullOrEmpty(configuration[key])) urls.Add("http://*:" + configuration[key]);
        }
        urls.AddRange((configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        urls.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>());
        if (urls.Count == 0) urls.Add(defaultUrl);
        return urls;
    }
}
