using System.Collections;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// A message's headers in arrival order. Names compare case-insensitively (RFC 2326 §4.2); values
/// are kept trimmed of surrounding white space.
/// </summary>
public sealed class RtspHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items = new(8);

    public int Count => _items.Count;

    /// <summary>The first value of <paramref name="name"/>, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (KeyValuePair<string, string> item in _items)
            {
                if (string.Equals(item.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return item.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Adds a header (duplicates allowed, order kept).</summary>
    public void Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        _items.Add(new(name, value));
    }

    /// <summary>Replaces every header named <paramref name="name"/> with one value.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    /// <summary>Removes every header named <paramref name="name"/>; returns whether any was there.</summary>
    public bool Remove(string name) =>
        _items.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)) > 0;

    public bool Contains(string name) => this[name] is not null;

    public List<KeyValuePair<string, string>>.Enumerator GetEnumerator() => _items.GetEnumerator();

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
