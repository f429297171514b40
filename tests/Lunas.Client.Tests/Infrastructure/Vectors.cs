using System.Text.Json;
using Lunas.Tests.Shared;

namespace Lunas.Client.Tests.Infrastructure;

/// <summary>The shared signature vectors (<c>shared/spec/signature-vectors.json</c>).</summary>
public static class Vectors
{
    public sealed record Vector(string Name, string Method, string RequestTarget, string ClientId, string RequestId,
        string TimestampHeader, string Timestamp, string? Body, string? Digest, string Signature);

    private static readonly Lazy<(string Key, IReadOnlyList<Vector> All, IReadOnlyDictionary<string, string> Negative)> Data = new(Load);

    public static string SecretKey => Data.Value.Key;

    public static IReadOnlyList<Vector> All => Data.Value.All;

    public static Vector Get(string name) => All.Single(v => v.Name == name);

    public static string Negative(string name) => Data.Value.Negative[name];

    private static (string, IReadOnlyList<Vector>, IReadOnlyDictionary<string, string>) Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Paths.SignatureVectors));
        var root = doc.RootElement;
        var vectors = root.GetProperty("vectors").EnumerateArray().Select(v => new Vector(
            v.GetProperty("name").GetString()!, v.GetProperty("method").GetString()!, v.GetProperty("request_target").GetString()!,
            v.GetProperty("client_id").GetString()!, v.GetProperty("request_id").GetString()!,
            v.GetProperty("timestamp_header").GetString()!, v.GetProperty("timestamp").GetString()!,
            v.GetProperty("body").GetString(), v.GetProperty("digest").GetString(), v.GetProperty("signature").GetString()!)).ToList();
        var negative = root.GetProperty("negative").EnumerateArray()
            .ToDictionary(n => n.GetProperty("name").GetString()!, n => n.GetProperty("signature").GetString()!);
        return (root.GetProperty("secret_key").GetString()!, vectors, negative);
    }
}
