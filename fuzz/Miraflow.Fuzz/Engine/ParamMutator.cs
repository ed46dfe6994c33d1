using System.Globalization;
using System.Text;

namespace Miraflow.Fuzz;

/// <summary>
/// Structure-aware <c>text/parameters</c> bodies: lines from the seeds and from generators for
/// every typed <c>wfd_*</c> parameter (hex fields of the right and wrong widths, counts,
/// <c>none</c>, extra and missing entries, reserved bits, absurd resolutions, EDID block counts
/// that disagree with the data, ports out of range, ...), then token-level and byte-level mutation.
/// </summary>
internal sealed class ParamMutator(SeedCorpus seeds)
{
    private static readonly string[] s_names =
    [
        "wfd_video_formats", "wfd_audio_codecs", "wfd_client_rtp_ports", "wfd_display_edid", "wfd_connector_type",
        "wfd_content_protection", "wfd_coupled_sink", "wfd_uibc_capability", "wfd_uibc_setting", "wfd_presentation_URL",
        "wfd_trigger_method", "wfd_route", "wfd_av_format_change_timing", "wfd_idr_request_capability",
        "wfd_standby_resume_capability", "wfd_idr_request", "wfd_standby", "WFD_VIDEO_FORMATS", "wfd_3d_video_formats", "x", "",
    ];

    private static readonly string[] s_hexTokens =
    [
        "00", "01", "FF", "ff", "0", "000", "7F", "80", "1F", "00000000", "FFFFFFFF", "0001FFFF", "1FFFFFFF", "00000FFF", "0000",
        "FFFF", "none", "NONE", "-1", "0x01", "G0", " ", "", "100000000", "0780", "0438", "FFFFFFFFFFFFFFFF",
    ];

    private readonly SeedCorpus _seeds = seeds;

    /// <summary>A whole body (Latin-1 text; its bytes are the input).</summary>
    public string NextBody(FuzzRandom random)
    {
        var lines = new List<string>();
        if (random.OneIn(3) && _seeds.Bodies.Count > 0)
        {
            lines.AddRange(Encoding.Latin1.GetString(random.Pick(_seeds.Bodies)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            int count = random.Next(1, 8);
            for (int i = 0; i < count; i++)
            {
                lines.Add(random.OneIn(2) ? random.Pick(_seeds.ParameterLines) : Generate(random));
            }
        }

        int mutations = random.OneIn(8) ? 0 : random.Next(1, 5);
        for (int i = 0; i < mutations && lines.Count > 0; i++)
        {
            int at = random.Next(lines.Count);
            switch (random.Next(8))
            {
                case 0:
                    lines[at] = Generate(random);
                    break;
                case 1:
                    lines.Insert(at, lines[at]);
                    break;
                case 2:
                    lines.RemoveAt(at);
                    break;
                case 3:
                    lines[at] = random.Pick(s_names) + random.Pick<string>([":", ": ", " : ", "", ":\t"]) + Value(lines[at]);
                    break;
                default:
                    lines[at] = MutateValue(lines[at], random);
                    break;
            }
        }

        var body = new StringBuilder();
        foreach (string line in lines)
        {
            body.Append(line).Append(random.OneIn(12) ? random.Pick<string>(["\n", "\r", "", "\r\r\n", "\n\n"]) : "\r\n");
        }

        if (random.OneIn(20))
        {
            body.Append(string.Concat(Enumerable.Repeat("wfd_x: 1\r\n", random.Size(400))));
        }

        if (random.OneIn(20))
        {
            body.Append("wfd_long: ").Append('a', random.Size(6000));
        }

        return body.ToString();
    }

    /// <summary>A body as input bytes, sometimes byte-mutated.</summary>
    public byte[] Next(FuzzRandom random)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(NextBody(random));
        if (bytes.Length > ByteMutator.MaxInputBytes)
        {
            bytes = bytes[..ByteMutator.MaxInputBytes];
        }

        return random.OneIn(4) ? ByteMutator.Mutate(bytes, random) : bytes;
    }

    private static string Value(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : line[(colon + 1)..].Trim();
    }

    /// <summary>Mutates the tokens of a line's value: blank- and comma-separated fields, <c>key=value</c> parts.</summary>
    private static string MutateValue(string line, FuzzRandom random)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        string head = colon < 0 ? line + ":" : line[..(colon + 1)];
        var value = new StringBuilder(colon < 0 ? string.Empty : line[(colon + 1)..]);
        string[] fields = value.ToString().Split(' ');
        int i = random.Next(fields.Length);
        switch (random.Next(10))
        {
            case 0:
                fields[i] = random.Pick(s_hexTokens);
                break;
            case 1:
                fields[i] = RandomHex(random, random.Next(0, 11));
                break;
            case 2:
                fields[i] = RandomHex(random, fields[i].Length);
                break;
            case 3:
                fields[i] = string.Empty;
                break;
            case 4:
                fields[i] += random.Pick<string>([",", ";", "=", ", ", ",,", "/", "-"]);
                break;
            case 5:
                // Repeat the whole value as more entries (extra H.264 entries, audio codecs, ...).
                return head + value + string.Concat(Enumerable.Repeat(", " + value.ToString().Trim(), random.Size(40)));
            case 6:
                fields[i] = fields[i].Replace('=', random.OneIn(2) ? ' ' : '=');
                fields[i] = fields[i].ToUpperInvariant();
                break;
            case 7:
                fields[i] = random.Size(100000).ToString(CultureInfo.InvariantCulture);
                break;
            case 8:
                return head + string.Join(random.Pick<string>(["  ", "\t", ",", ""]), fields);
            default:
                return head + string.Join(' ', fields.Take(random.Next(fields.Length + 1)));
        }

        return head + string.Join(' ', fields);
    }

    private static string RandomHex(FuzzRandom random, int digits)
    {
        digits = Math.Max(0, digits);
        var text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++)
        {
            text.Append("0123456789ABCDEFabcdef"[random.Next(22)]);
        }

        return text.ToString();
    }

    private static string Hex(FuzzRandom random, int digits) => random.OneIn(12)
        ? RandomHex(random, random.OneIn(2) ? digits + 1 : Math.Max(0, digits - 1))
        : RandomHex(random, digits);

    private static string Field(FuzzRandom random, int digits, ulong[] usual)
    {
        if (random.OneIn(10))
        {
            return Hex(random, digits);
        }

        ulong value = random.OneIn(3) ? random.NextUInt64() : usual[random.Next(usual.Length)];
        string text = value.ToString("X16", CultureInfo.InvariantCulture);
        return text[^Math.Min(digits, 16)..];
    }

    /// <summary>One <c>name: value</c> line for a typed parameter, mostly close to the grammar.</summary>
    private static string Generate(FuzzRandom random)
    {
        switch (random.Next(14))
        {
            case 0:
            case 1:
            case 2:
                {
                    // wfd_video_formats: native preferred ( entry *( ", " entry ) / none ).
                    var value = new StringBuilder();
                    value.Append(Field(random, 2, [0x00, 0x08, 0x40, 0x38])).Append(' ').Append(Field(random, 2, [0, 1]));
                    int entries = random.OneIn(10) ? random.Size(200) : random.Next(1, 4);
                    for (int e = 0; e < entries; e++)
                    {
                        value.Append(e == 0 ? " " : random.OneIn(10) ? "," : ", ");
                        value.Append(Field(random, 2, [0x01, 0x02, 0x03, 0x04, 0x00, 0xFF])).Append(' ')
                            .Append(Field(random, 2, [0x01, 0x02, 0x04, 0x08, 0x10, 0x1F, 0x00, 0x20])).Append(' ')
                            .Append(Field(random, 8, [0x0001FFFF, 0x00000001, 0x0001DEFF, 0, 0xFFFFFFFF, 0x80])).Append(' ')
                            .Append(Field(random, 8, [0x1FFFFFFF, 0x053C7FFF, 0, 0xFFFFFFFF])).Append(' ')
                            .Append(Field(random, 8, [0x00000FFF, 0, 0xFFFFFFFF])).Append(' ')
                            .Append(Field(random, 2, [0, 1])).Append(' ')
                            .Append(Field(random, 4, [0, 0xFFFF])).Append(' ')
                            .Append(Field(random, 4, [0, 0x0401])).Append(' ')
                            .Append(Field(random, 2, [0, 0x11, 0x13])).Append(' ')
                            .Append(random.OneIn(2) ? "none" : Field(random, 4, [0x0780, 0xFFFF, 0, 0x0500])).Append(' ')
                            .Append(random.OneIn(2) ? "none" : Field(random, 4, [0x0438, 0xFFFF, 0, 0x02D0]));
                    }

                    return random.OneIn(15) ? "wfd_video_formats: none" : "wfd_video_formats: " + value;
                }

            case 3:
                {
                    var value = new StringBuilder();
                    int entries = random.OneIn(10) ? random.Size(100) : random.Next(1, 4);
                    for (int e = 0; e < entries; e++)
                    {
                        value.Append(e == 0 ? string.Empty : ", ")
                            .Append(random.Pick<string>(["LPCM", "AAC", "AC3", "lpcm", "DTS", "", "LPCM "])).Append(' ')
                            .Append(Field(random, 8, [1, 2, 3, 0, 0xF, 0x7, 0xFFFFFFFF])).Append(' ')
                            .Append(Field(random, 2, [0, 0xFF]));
                    }

                    return "wfd_audio_codecs: " + value;
                }

            case 4:
                return "wfd_client_rtp_ports: "
                    + random.Pick<string>(["RTP/AVP/UDP;unicast", "RTP/AVP/TCP;unicast", "RTP/AVP/UDP;multicast", "rtp/avp/udp;unicast", ""])
                    + " " + random.Pick<string>(["19000", "0", "65535", "65536", "-1", "1", "99999999999", "1e4"])
                    + " " + random.Pick<string>(["0", "19001", "65536", "x"])
                    + " " + random.Pick<string>(["mode=play", "mode=", "mode=pause", "MODE=PLAY", ""]);
            case 5:
                {
                    int blocks = random.OneIn(3) ? random.Next(-1, 300) : random.Next(0, 5);
                    int dataBlocks = random.OneIn(3) ? random.Next(0, 5) : blocks;
                    string count = random.OneIn(10) ? RandomHex(random, random.Next(6)) : Math.Abs(blocks).ToString("X4", CultureInfo.InvariantCulture);
                    return random.OneIn(10) ? "wfd_display_edid: none"
                        : "wfd_display_edid: " + count + " " + RandomHex(random, (Math.Clamp(dataBlocks, 0, 8) * 256) + (random.OneIn(8) ? random.Next(-3, 4) : 0));
                }

            case 6:
                return "wfd_connector_type: " + random.Pick<string>(["05", "00", "FF", "none", "5", "0A", "07", "100", "zz"]);
            case 7:
                return "wfd_content_protection: " + random.Pick<string>(["HDCP2.0", "HDCP2.1", "HDCP2.2", "HDCP2.3", "HDCP1.4", "hdcp2.1", "none"])
                    + random.Pick<string>([" port=1189", " port=0", " port=65536", " port=", " port=-1", "", " port=1189 port=2", "port=1"]);
            case 8:
                return "wfd_coupled_sink: " + random.Pick<string>(["none", "00 none", "01 0a1b2c3d4e5f", "02 0A1B2C3D4E5F", "FF 000000000000", "01 0a1b2c3d4e", "01", "01 none none"]);
            case 9:
                return "wfd_uibc_capability: " + random.Pick<string>(["none", "input_category_list=GENERIC", "input_category_list=", "input_category_list=GENERIC, HIDC"])
                    + random.Pick<string>([";generic_cap_list=Keyboard, Mouse", ";generic_cap_list=none", ";generic_cap_list=", ""])
                    + random.Pick<string>([";hidc_cap_list=Keyboard/USB, Mouse/BT", ";hidc_cap_list=none", ";hidc_cap_list=Mouse", ""])
                    + random.Pick<string>([";port=1000", ";port=none", ";port=70000", ";port=", ""]);
            case 10:
                return "wfd_presentation_URL: " + random.Pick<string>(["rtsp://192.168.173.1/wfd1.0/streamid=0", "none", "", "rtsp://[::1]/x"])
                    + random.Pick<string>([" none", " rtsp://192.168.173.1/wfd1.0/streamid=1", "", " none none"]);
            case 11:
                return random.Pick<string>(["wfd_trigger_method: ", "wfd_route: ", "wfd_uibc_setting: ", "wfd_standby_resume_capability: ", "wfd_idr_request_capability: "])
                    + random.Pick<string>(["SETUP", "PLAY", "PAUSE", "TEARDOWN", "setup", "primary", "secondary", "enable", "disable", "supported", "none", "0", "1", "2", ""]);
            case 12:
                return "wfd_av_format_change_timing: " + Hex(random, 10) + " " + Hex(random, 10);
            default:
                return random.Pick<string>(["wfd_idr_request", "wfd_standby", "wfd_idr_request: ", "wfd_standby: x", "wfd_video_formats", "wfd_audio_codecs:"]);
        }
    }
}
