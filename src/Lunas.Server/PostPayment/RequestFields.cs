using System.Globalization;
using System.Text.Json;

namespace Lunas.Server.PostPayment;

/// <summary>
/// Reads the fields of a post-payment body by their dotted paths (<c>refund.amount</c>), collecting one error per field
/// in DOKU's Direct-API words ("{field} Must Not Be Blank"). Unknown fields are ignored.
/// </summary>
public sealed class RequestFields
{
    private readonly JsonElement _root;

    private RequestFields(JsonElement root) => _root = root;

    public List<string> Errors { get; } = [];

    /// <summary>The body as a JSON object, else null and why not.</summary>
    public static RequestFields? Parse(ReadOnlyMemory<byte> body, out string? error)
    {
        error = null;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind == JsonValueKind.Object) return new RequestFields(document.RootElement.Clone());
            error = "request body must be a JSON object";
        }
        catch (JsonException)
        {
            error = body.IsEmpty ? "request body Must Not Be Blank" : "request body is not valid JSON";
        }
        return null;
    }

    public string? String(string path, bool required, int maxLength = 128)
    {
        var value = Find(path);
        if (value is not { } v || v.ValueKind == JsonValueKind.Null || v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length == 0)
        {
            if (required) Errors.Add($"{path} Must Not Be Blank");
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            Errors.Add($"{path} must be a string");
            return null;
        }
        var text = v.GetString()!;
        if (text.Length > maxLength) Errors.Add($"{path} max length is {maxLength}");
        return text;
    }

    /// <summary>A whole amount in rupiah, as a JSON number or a numeric string (DOKU's clients send both); more than 0.</summary>
    public long? Amount(string path, bool required)
    {
        var value = Find(path);
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
        {
            if (required) Errors.Add($"{path} Must Not Be Blank");
            return null;
        }
        var ok = v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetInt64(out var n) ? n : (long?)null,
            JsonValueKind.String => long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : null,
            _ => null,
        };
        if (ok is not > 0) Errors.Add($"{path} must be a whole number of rupiah greater than 0");
        return ok is > 0 ? ok : null;
    }

    /// <summary>An <c>identifier</c> array of <c>{name, value}</c> pairs, keyed by name.</summary>
    public IReadOnlyDictionary<string, string>? Identifiers(string path)
    {
        if (Find(path) is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            Errors.Add($"{path} Must Not Be Blank");
            return null;
        }
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                && item.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String)
            {
                pairs[n.GetString()!] = v.GetString()!;
                continue;
            }
            Errors.Add($"{path} must hold objects with a string name and value");
            return null;
        }
        return pairs;
    }

    private JsonElement? Find(string path)
    {
        var current = _root;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current)) return null;
        }
        return current;
    }
}
