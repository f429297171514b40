using System.Text.Encodings.Web;
using System.Text.Json;

namespace Lunas.Protocol.Wire;

/// <summary>How DOKU JSON is written by hand (<see cref="Utf8JsonWriter"/>).</summary>
public static class DokuJson
{
    /// <summary>
    /// Relaxed escaping: bodies quote names, URLs and field values that must stay readable (this is JSON sent to
    /// programs, never embedded in HTML).
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
