using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_uibc_capability</c> (protocol doc §2.6):
/// <c>input_category_list=GENERIC, HIDC;generic_cap_list=Keyboard, Mouse;hidc_cap_list=Keyboard/USB;port=none</c>
/// or <c>none</c>. The lists are kept as strings (<c>GENERIC</c>/<c>HIDC</c>; generic types such as
/// <c>Mouse</c>; HIDC entries <c>type/path</c>). Sub-fields may come in any order and may be absent
/// (Windows omits <c>generic_cap_list</c>); an absent list or <c>none</c> is an empty list. The
/// canonical form writes all four sub-fields in the order above, <c>none</c> for an empty list, and
/// <c>none</c> alone when every list is empty and there is no port.
/// </summary>
/// <param name="InputCategories">input_category_list entries.</param>
/// <param name="GenericCapabilities">generic_cap_list entries.</param>
/// <param name="HidcCapabilities">hidc_cap_list entries.</param>
/// <param name="Port">The sink's UIBC TCP port, or null for <c>none</c>.</param>
public sealed record WfdUibcCapability(
    IReadOnlyList<string> InputCategories,
    IReadOnlyList<string> GenericCapabilities,
    IReadOnlyList<string> HidcCapabilities,
    int? Port) : IWfdParameter<WfdUibcCapability>
{
    private static readonly string[] s_keys = ["input_category_list", "generic_cap_list", "hidc_cap_list", "port"];

    /// <summary><c>none</c>.</summary>
    public static WfdUibcCapability None { get; } = new([], [], [], null);

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_uibc_capability";

    /// <summary>True for <c>none</c>: no list entries and no port.</summary>
    public bool IsNone => InputCategories.Count == 0 && GenericCapabilities.Count == 0 && HidcCapabilities.Count == 0 && Port is null;

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdUibcCapability Parse(ReadOnlySpan<char> value)
    {
        value = value.Trim(" \t");
        if (WfdValueReader.IsNone(value))
        {
            return None;
        }

        var lists = new string[3][];
        int? port = null;
        bool seenPort = false;
        while (!value.IsEmpty)
        {
            int semicolon = value.IndexOf(';');
            ReadOnlySpan<char> field = (semicolon < 0 ? value : value[..semicolon]).Trim(" \t");
            value = semicolon < 0 ? default : value[(semicolon + 1)..];
            if (field.IsEmpty && semicolon >= 0 && value.Trim(" \t").IsEmpty)
            {
                break; // tolerate one trailing ';'
            }

            int equals = field.IndexOf('=');
            int key = equals < 0 ? -1 : IndexOfKey(field[..equals].Trim(" \t"));
            if (key < 0)
            {
                WfdThrow.Error(WfdParameterError.InvalidValue, Name, "expected input_category_list=, generic_cap_list=, hidc_cap_list= or port=.");
            }

            ReadOnlySpan<char> text = field[(equals + 1)..].Trim(" \t");
            if (key == 3)
            {
                if (seenPort)
                {
                    WfdThrow.Error(WfdParameterError.InvalidValue, Name, "port appears twice.");
                }

                seenPort = true;
                port = WfdValueReader.IsNone(text) ? null : WfdValueReader.ParseDecimal(text, ushort.MaxValue, "port", Name);
            }
            else
            {
                if (lists[key] is not null)
                {
                    WfdThrow.Error(WfdParameterError.InvalidValue, Name, string.Concat(s_keys[key], " appears twice."));
                }

                lists[key] = ParseList(text, s_keys[key]);
            }
        }

        return new WfdUibcCapability(lists[0] ?? [], lists[1] ?? [], lists[2] ?? [], port);
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        if (IsNone)
        {
            writer.Write("none"u8);
        }
        else
        {
            writer.Write("input_category_list="u8);
            WriteList(ref writer, InputCategories);
            writer.Write(";generic_cap_list="u8);
            WriteList(ref writer, GenericCapabilities);
            writer.Write(";hidc_cap_list="u8);
            WriteList(ref writer, HidcCapabilities);
            writer.Write(";port="u8);
            if (Port is int port)
            {
                writer.WriteDecimal(port);
            }
            else
            {
                writer.Write("none"u8);
            }
        }

        writer.Commit();
    }

    /// <summary>Records compare lists by reference; compare the entries instead.</summary>
    public bool Equals(WfdUibcCapability? other) =>
        other is not null && Port == other.Port
        && InputCategories.SequenceEqual(other.InputCategories, StringComparer.Ordinal)
        && GenericCapabilities.SequenceEqual(other.GenericCapabilities, StringComparer.Ordinal)
        && HidcCapabilities.SequenceEqual(other.HidcCapabilities, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(InputCategories.Count, GenericCapabilities.Count, HidcCapabilities.Count, Port);

    private static int IndexOfKey(ReadOnlySpan<char> key)
    {
        for (int i = 0; i < s_keys.Length; i++)
        {
            if (key.Equals(s_keys[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static string[] ParseList(ReadOnlySpan<char> text, string key)
    {
        if (WfdValueReader.IsNone(text))
        {
            return [];
        }

        var items = new List<string>();
        foreach (Range range in text.Split(','))
        {
            ReadOnlySpan<char> item = text[range].Trim(" \t");
            if (item.IsEmpty || item.IndexOfAnyExceptInRange('!', '~') >= 0 || item.IndexOfAny('=', ';') >= 0)
            {
                WfdThrow.Error(WfdParameterError.InvalidValue, Name, string.Concat(key, " has an empty or invalid entry."));
            }

            items.Add(item.ToString());
        }

        return items.ToArray();
    }

    private static void WriteList(ref WfdValueWriter writer, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            writer.Write("none"u8);
            return;
        }

        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(", "u8);
            }

            writer.Write(items[i]);
        }
    }
}
