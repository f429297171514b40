using System.Globalization;

namespace Lunas.Protocol.Checkout;

/// <summary>One validation problem: the field path it is about and what is wrong with it.</summary>
/// <param name="Path">The field path, e.g. <c>order.line_items[2].price</c>, or <see cref="FieldError.Body"/>.</param>
/// <param name="Message">What is wrong, worded to follow the path.</param>
public readonly record struct FieldError(string Path, string Message)
{
    /// <summary>The path of problems with the body as a whole.</summary>
    public const string Body = "request body";

    /// <summary>The wire text of DOKU's <c>error_messages</c>: the path, a space, the message.</summary>
    public override string ToString() => Path + " " + Message;
}

/// <summary>
/// The problems found in one request, in the order found, with the set of paths that have one, so a rule can skip a
/// field the reader already reported in constant time. Only the first <see cref="MaxMessages"/> are kept; the rest are
/// counted.
/// </summary>
public sealed class ValidationErrors
{
    /// <summary>Most entries of <c>error_messages</c>; the last one then says how many more were left out.</summary>
    public const int MaxMessages = 100;

    private readonly List<FieldError> _errors = [];
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

    /// <summary>How many problems were found, kept or not.</summary>
    public int Count { get; private set; }

    /// <summary>The first <see cref="MaxMessages"/> problems, in the order found.</summary>
    public IReadOnlyList<FieldError> Errors => _errors;

    /// <summary>Adds a problem with <paramref name="path"/>.</summary>
    /// <param name="path">The field path.</param>
    /// <param name="message">What is wrong, worded to follow the path.</param>
    public void Add(string path, string message)
    {
        if (_errors.Count < MaxMessages) _errors.Add(new FieldError(path, message));
        _paths.Add(path);
        Count++;
    }

    /// <summary>True when a problem with exactly this path was already added.</summary>
    /// <param name="path">The field path.</param>
    public bool Has(string path) => _paths.Contains(path);

    /// <summary>Forgets every problem.</summary>
    public void Clear()
    {
        _errors.Clear();
        _paths.Clear();
        Count = 0;
    }

    /// <summary>
    /// The wire texts of <c>error_messages</c>, in the order found: all of them, or when there are more than
    /// <see cref="MaxMessages"/> the first ones and a last entry that counts the rest.
    /// </summary>
    public List<string> Messages()
    {
        var shown = Count > MaxMessages ? MaxMessages - 1 : Count;
        var messages = new List<string>(shown + 1);
        for (var i = 0; i < shown; i++)
        {
            messages.Add(_errors[i].ToString());
        }
        if (Count > shown)
        {
            messages.Add($"... and {(Count - shown).ToString("N0", CultureInfo.InvariantCulture)} more errors");
        }
        return messages;
    }
}
