using System.Text;
using Lunas.Server.Infrastructure;

namespace Lunas.Server.Tests.Infrastructure;

public sealed class JsonBodyTests
{
    [Theory]
    [InlineData(5_000)] // the thread keeps the grown buffer: the next body reuses it
    [InlineData(100_000)] // past what a thread keeps: the next body gets a fresh buffer
    public void Write_ReturnsOnlyItsOwnBody_AfterALargerOneOnTheSameThread(int length)
    {
        var large = JsonBody.Write(new string('x', length), static (w, text) =>
        {
            w.WriteStartObject();
            w.WriteString("text", text);
            w.WriteEndObject();
        });
        var small = JsonBody.Write(7, static (w, n) =>
        {
            w.WriteStartObject();
            w.WriteNumber("n", n);
            w.WriteEndObject();
        });

        Assert.Equal(length + 11, large.Length);
        Assert.Equal("""{"n":7}""", Encoding.UTF8.GetString(small));
    }

    [Fact]
    public void Write_GivesBothBodiesWhole_WhenOneIsWrittenInsideTheOther()
    {
        byte[]? inner = null;
        var outer = JsonBody.Write(0, (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("a", "1");
            inner = JsonBody.Write(0, static (w2, _) =>
            {
                w2.WriteStartArray();
                w2.WriteStringValue("inner");
                w2.WriteEndArray();
            });
            w.WriteString("b", "2");
            w.WriteEndObject();
        });

        Assert.Equal("""{"a":"1","b":"2"}""", Encoding.UTF8.GetString(outer));
        Assert.Equal("""["inner"]""", Encoding.UTF8.GetString(inner!));
    }

    [Fact]
    public void Write_StartsClean_AfterABodyThatFailedHalfWay()
    {
        Assert.Throws<InvalidOperationException>(() => JsonBody.Write(0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteString("half", "written");
            w.Flush(); // the half-written body is in the thread's buffer when it fails
            throw new InvalidOperationException("failed half-way");
        }));

        var next = JsonBody.Write(0, static (w, _) =>
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", true);
            w.WriteEndObject();
        });

        Assert.Equal("""{"ok":true}""", Encoding.UTF8.GetString(next));
    }
}
