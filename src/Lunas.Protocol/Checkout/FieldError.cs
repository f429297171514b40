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
/// field the reader already reported in constant time.
/// </summary>
public sealed class ValidationErrors
{
    private readonly List<FieldError> _errors = [];
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);

    /// <summary>How many problems were found.</summary>
    public int Count => _errors.Count;

    /// <summary>The problems, in the order found.</summary>
    public IReadOnlyList<FieldError> Errors => _errors;

    /// <summary>Adds a problem with <paramref name="path"/>.</summary>
    /// <param name="path">The field path.</param>
    /// <param name="message">What is wrong, worded to follow the path.</param>
    public void Add(string path, string message)
    {
        _errors.Add(new FieldError(path, message));
        _paths.Add(path);
    }

    /// <summary>True when a problem with exactly this path was already added.</summary>
    /// <param name="path">The field path.</param>
    public bool Has(string path) => _paths.Contains(path);

    /// <summary>Forgets every problem.</summary>
    public void Clear()
    {
        _errors.Clear();
        _paths.Clear();
    }

    /// <summary>The wire texts of <c>error_messages</c>, in the order found.</summary>
    public List<string> Messages()
    {
        var messages = new List<string>(_errors.Count);
        foreach (var error in _errors)
        {
            messages.Add(error.ToString());
        }
        return messages;
    }
}
