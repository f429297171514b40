using System.Buffers;
using System.Text.Json;
using Lunas.Protocol.Wire;

namespace Lunas.Server.Infrastructure;

/// <summary>
/// Writes a JSON body (DOKU's writer options) through a writer and buffer kept per thread, and returns the body's own
/// bytes. A fresh <see cref="ArrayBufferWriter{T}"/> per body grew by doubling, and <see cref="Utf8JsonWriter"/> asks
/// for room for the worst-case escaping of every string: a create's 1.7 kB response allocated about 9 kB, a quarter of
/// everything a create allocated.
/// </summary>
public static class JsonBody
{
    /// <summary>A buffer that grew past this for an unusually large body is not kept.</summary>
    private const int KeptCapacity = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    [ThreadStatic] private static bool t_busy;

    /// <summary>Runs <paramref name="write"/> on the thread's writer (a fresh one if a body is already being written on
    /// this thread) and returns what it wrote. <paramref name="write"/> must not await: the writer belongs to the thread.</summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        if (t_busy)
        {
            var own = new ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(own, DokuJson.WriterOptions))
            {
                write(writer, state);
            }
            return own.WrittenSpan.ToArray();
        }
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var w = t_writer ??= new Utf8JsonWriter(buffer, DokuJson.WriterOptions);
        t_busy = true;
        try
        {
            write(w, state);
            w.Flush();
            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            buffer.ResetWrittenCount();
            w.Reset(buffer);
            if (buffer.Capacity > KeptCapacity)
            {
                t_buffer = null;
                t_writer = null;
            }
            t_busy = false;
        }
    }
}
