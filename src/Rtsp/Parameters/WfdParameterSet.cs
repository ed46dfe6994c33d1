using System.Buffers;
using System.Collections;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// A <c>text/parameters</c> body: ordered lines, names compared case-insensitively (protocol doc
/// §1.8). Every line is kept as text, so vendor and unknown parameters survive untouched; typed
/// values are parsed on demand with <see cref="Get{T}"/>/<see cref="TryGet{T}"/>, so one malformed
/// parameter never hides the others.
/// </summary>
public sealed class WfdParameterSet : IEnumerable<WfdParameter>
{
    /// <summary>Longest line accepted by <see cref="Parse"/>.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Most lines accepted by <see cref="Parse"/>.</summary>
    public const int MaxLines = 256;

    public int Count => throw new NotImplementedException();

    /// <summary>The raw value of <paramref name="name"/> (null when absent or a name-only line).</summary>
    public string? this[string name] => throw new NotImplementedException();

    /// <summary>
    /// Parses a body: lines end in CRLF or LF (the last may have none); <c>name: value</c> or a
    /// name alone; blank lines are skipped. Throws <see cref="WfdParameterException"/> for
    /// control bytes, over-long bodies and lines without a name.
    /// </summary>
    public static WfdParameterSet Parse(ReadOnlySpan<byte> body) => throw new NotImplementedException();

    public bool Contains(string name) => throw new NotImplementedException();

    /// <summary>Adds or replaces the line <paramref name="name"/> (a null value writes the name alone).</summary>
    public void SetRaw(string name, string? value) => throw new NotImplementedException();

    /// <summary>Adds or replaces the typed value's line.</summary>
    public void Set<T>(T value) where T : IWfdParameter<T> => throw new NotImplementedException();

    public bool Remove(string name) => throw new NotImplementedException();

    /// <summary>The typed value, or default when the parameter is absent. Throws <see cref="WfdParameterException"/> when malformed.</summary>
    public T? Get<T>() where T : class, IWfdParameter<T> => throw new NotImplementedException();

    /// <summary>The typed value; false with the error when malformed; false with a null error when absent.</summary>
    public bool TryGet<T>(out T? value, out WfdParameterException? error) where T : class, IWfdParameter<T> => throw new NotImplementedException();

    /// <summary>Writes every line as <c>name: value\r\n</c> (or <c>name\r\n</c>).</summary>
    public void WriteTo(IBufferWriter<byte> output) => throw new NotImplementedException();

    /// <summary>The body as bytes.</summary>
    public byte[] ToArray() => throw new NotImplementedException();

    public IEnumerator<WfdParameter> GetEnumerator() => throw new NotImplementedException();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
