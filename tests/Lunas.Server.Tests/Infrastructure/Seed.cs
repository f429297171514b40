using System.Text.RegularExpressions;
using Lunas.Tests.Shared;

namespace Lunas.Server.Tests.Infrastructure;

/// <summary>The request samples of DOKU's create-payment page, read from the seed itself.</summary>
public static partial class Seed
{
    private static readonly string[] Blocks = LoadBlocks();

    /// <summary>The "Basic Request" sample.</summary>
    public static string BasicRequest(string? invoice = null)
        => invoice is null ? Blocks[0] : Blocks[0].Replace("INV-20210231-0001", invoice, StringComparison.Ordinal);

    /// <summary>The "Full Request" sample with its <c>{{$timestamp}}</c> invoice filled in.</summary>
    public static string FullRequest(string invoice) => Blocks[1].Replace("INV-{{$timestamp}}", invoice, StringComparison.Ordinal);

    public static string NewInvoice() => "INV-" + Guid.NewGuid().ToString("N")[..16];

    private static string[] LoadBlocks()
    {
        var text = File.ReadAllText(Path.Combine(Paths.Shared, "seed", "doku-checkout-backend-integration.md"));
        return JsonBlock().Matches(text).Select(m => m.Groups[1].Value).ToArray();
    }

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
