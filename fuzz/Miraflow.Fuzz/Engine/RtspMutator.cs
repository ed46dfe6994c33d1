using System.Globalization;
using System.Text;

namespace Miraflow.Fuzz;

/// <summary>
/// Structure-aware RTSP inputs: a seed message is cut into start line, header lines and body
/// (Latin-1, so every byte survives), mutated at that level (methods, versions, status codes,
/// header names and values, <c>CSeq</c>, <c>Content-Length</c> lies and duplicates, folding,
/// header floods, line ends CRLF/LF/CR, leading gaps, pipelined messages, bodies swapped for
/// mutated parameter bodies), written back, and sometimes byte-mutated on top.
/// </summary>
internal sealed class RtspMutator(SeedCorpus seeds, ParamMutator parameters)
{
    private static readonly string[] s_methods =
    [
        "OPTIONS", "GET_PARAMETER", "SET_PARAMETER", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "DESCRIBE", "ANNOUNCE",
        "options", "Options", "4", "", "GET PARAMETER", "SET_PARAMETER\t", "X-VENDOR", "(", "M\u00e9THOD", "GET_PARAMETER:",
    ];

    private static readonly string[] s_versions =
    [
        "RTSP/1.0", "RTSP/1.0", "RTSP/2.0", "RTSP/1.10", "RTSP/1", "RTSP/", "rtsp/1.0", "HTTP/1.1", "RTSP/1.0 ", "RTSP/a.b", "RTSP/1.0/", "",
    ];

    private static readonly string[] s_uris =
    [
        "*", "rtsp://localhost/wfd1.0", "rtsp://192.168.173.1/wfd1.0/streamid=0", "", "rtsp://h\u00f6st/", "a b", "rtsp://[::1]:7236/",
    ];

    private static readonly string[] s_statusCodes = ["200", "303", "406", "100", "699", "099", "700", "1000", "20", "2OO", "-20", "+200", "", "000"];

    private static readonly string[] s_reasons = ["OK", "", " ", "Not Acceptable", "\u00dcber", "OK\tOK", "a  b  ", "OK\u0000"];

    private static readonly string[] s_headerNames =
    [
        "CSeq", "cseq", "CSEQ", "Content-Length", "content-length", "Content-Type", "Session", "Transport", "Public", "Require",
        "User-Agent", "Date", "\\Public", "", " CSeq", "CSeq ", "C Seq", "X-\u00e9", "Content-Length\t", "a:b", "WFD-Extra",
    ];

    private static readonly string[] s_numbers =
    [
        "0", "1", "2", "-1", "+1", "007", " 5", "5 ", "1 2", "0x10", "2147483647", "2147483648", "4294967296", "-2147483648",
        "99999999999999999999", "1e3", "", " ", "\t", "1,2", "\u0661", "16384", "16385", "8192", "65535",
    ];

    private static readonly string[] s_values =
    [
        "text/parameters", "org.wfa.wfd1.0", "org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER", "6B8B4567;timeout=30", "6B8B4567",
        "RTP/AVP/UDP;unicast;client_port=19000", "\"quoted\"", "", "\t", "\u00ff\u00fe", "a\u0000b", "x\u007fy", "semi;colon;;", "=", ";timeout=",
    ];

    private readonly SeedCorpus _seeds = seeds;
    private readonly ParamMutator _parameters = parameters;

    public byte[] Next(FuzzRandom random)
    {
        var text = new StringBuilder();
        int messages = random.OneIn(6) ? random.Next(2, 5) : 1;
        if (random.OneIn(8))
        {
            text.Append(Gap(random));
        }

        for (int m = 0; m < messages; m++)
        {
            Message message = Message.Cut(random.Pick(_seeds.Messages));
            int mutations = random.OneIn(10) ? 0 : random.Next(1, 5);
            for (int i = 0; i < mutations; i++)
            {
                Mutate(message, random);
            }

            message.Write(text, random);
            if (random.OneIn(10))
            {
                text.Append(Gap(random));
            }
        }

        byte[] bytes = Encoding.Latin1.GetBytes(text.ToString());
        if (bytes.Length > ByteMutator.MaxInputBytes)
        {
            bytes = bytes[..ByteMutator.MaxInputBytes];
        }

        return random.OneIn(3) ? ByteMutator.Mutate(bytes, random) : bytes;
    }

    private static string Gap(FuzzRandom random) => random.Next(4) switch
    {
        0 => "\r\n",
        1 => string.Concat(Enumerable.Repeat("\r\n", random.Size(2048))),
        2 => new string(' ', random.Size(64)) + "\n",
        _ => "\n\r\n \t",
    };

    private void Mutate(Message message, FuzzRandom random)
    {
        List<(string Name, string Value)> headers = message.Headers;
        switch (random.Next(16))
        {
            case 0:
                message.StartLine = random.Next(3) switch
                {
                    0 => string.Join(' ', random.Pick(s_methods), random.Pick(s_uris), random.Pick(s_versions)),
                    1 => string.Join(' ', random.Pick(s_versions), random.Pick(s_statusCodes), random.Pick(s_reasons)),
                    _ => ReplaceToken(message.StartLine, random),
                };
                break;
            case 1:
                message.StartLine = random.Next(4) switch
                {
                    0 => message.StartLine + new string('a', random.Size(2048)),
                    1 => message.StartLine.Replace(" ", random.OneIn(2) ? "\t" : "   ", StringComparison.Ordinal),
                    2 => " " + message.StartLine,
                    _ => message.StartLine + " extra",
                };
                break;
            case 2:
                SetHeader(headers, "CSeq", random.Pick(s_numbers), random);
                break;
            case 3:
                // Content-Length lies: short, long, exact, absurd, malformed.
                SetHeader(headers, random.OneIn(4) ? "content-length" : "Content-Length", random.Next(5) switch
                {
                    0 => (message.Body.Length + random.Next(-8, 9)).ToString(CultureInfo.InvariantCulture),
                    1 => message.Body.Length.ToString(CultureInfo.InvariantCulture),
                    2 => random.Size(int.MaxValue).ToString(CultureInfo.InvariantCulture),
                    _ => random.Pick(s_numbers),
                }, random);
                break;
            case 4:
                // Duplicate Content-Length (equal or not) or any header.
                if (headers.Count > 0)
                {
                    (string Name, string Value) header = random.Pick(headers);
                    headers.Insert(random.Next(headers.Count + 1), random.OneIn(2) ? header : (header.Name, random.Pick(s_numbers)));
                }

                break;
            case 5:
                if (headers.Count > 0)
                {
                    headers.RemoveAt(random.Next(headers.Count));
                }

                break;
            case 6:
                headers.Insert(random.Next(headers.Count + 1), (random.Pick(s_headerNames), random.Pick(s_values)));
                break;
            case 7:
                if (headers.Count > 0)
                {
                    int i = random.Next(headers.Count);
                    headers[i] = (headers[i].Name, random.Next(4) switch
                    {
                        0 => new string((char)random.Pick<int>([' ', 'x', '\t', '\u00e9', '\0']), random.Size(12000)),
                        1 => random.Pick(s_values),
                        2 => headers[i].Value + random.Pick(s_values),
                        _ => ReplaceToken(headers[i].Value, random),
                    });
                }

                break;
            case 8:
                // Folding: a continuation line (" more") after a header, Content-Length included.
                if (headers.Count > 0)
                {
                    headers.Insert(random.Next(1, headers.Count + 1), (string.Empty, (random.OneIn(2) ? " " : "\t") + random.Pick(s_values)));
                }
                else
                {
                    headers.Add((string.Empty, " orphan"));
                }

                break;
            case 9:
                {
                    // Header flood around the count and size limits.
                    int count = random.Next(4) switch { 0 => random.Next(60, 70), 1 => random.Next(10, 15), _ => random.Size(300) };
                    for (int i = 0; i < count; i++)
                    {
                        headers.Add(("X-" + i.ToString(CultureInfo.InvariantCulture), random.OneIn(4) ? new string('v', random.Size(256)) : "v"));
                    }

                    break;
                }

            case 10:
                message.Body = _parameters.NextBody(random);
                if (random.OneIn(2))
                {
                    SetHeader(headers, "Content-Length", message.Body.Length.ToString(CultureInfo.InvariantCulture), random);
                }

                break;
            case 11:
                message.Body = random.Next(3) switch
                {
                    0 => message.Body[..random.Next(message.Body.Length + 1)],
                    1 => message.Body + new string('b', random.Size(20000)),
                    _ => string.Empty,
                };
                break;
            case 12:
                message.LineEnd = random.Next(6) switch { 0 => "\n", 1 => "\r", 2 => "\r\r\n", 3 => null, _ => "\r\n" };
                break;
            case 13:
                message.EndOfHeaders = random.Next(4) switch { 0 => string.Empty, 1 => "\n", 2 => " \r\n", _ => "\r\n\r\n" };
                break;
            case 14:
                if (headers.Count > 1)
                {
                    int a = random.Next(headers.Count);
                    int b = random.Next(headers.Count);
                    (headers[a], headers[b]) = (headers[b], headers[a]);
                }

                break;
            default:
                if (headers.Count > 0)
                {
                    int i = random.Next(headers.Count);
                    headers[i] = (random.OneIn(2) ? random.Pick(s_headerNames) : ReplaceToken(headers[i].Name, random), headers[i].Value);
                }

                break;
        }
    }

    private static void SetHeader(List<(string Name, string Value)> headers, string name, string value, FuzzRandom random)
    {
        for (int i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Name, name, StringComparison.OrdinalIgnoreCase) && !random.OneIn(5))
            {
                headers[i] = (headers[i].Name, value);
                return;
            }
        }

        headers.Insert(random.Next(headers.Count + 1), (name, value));
    }

    /// <summary>Replaces, drops or doubles one blank-separated token of <paramref name="text"/>.</summary>
    internal static string ReplaceToken(string text, FuzzRandom random)
    {
        string[] tokens = text.Split(' ');
        int i = random.Next(tokens.Length);
        tokens[i] = random.Next(6) switch
        {
            0 => string.Empty,
            1 => tokens[i] + tokens[i],
            2 => tokens[i].ToUpperInvariant(),
            3 => tokens[i].ToLowerInvariant(),
            4 => random.Pick(s_numbers),
            _ => tokens[i].Length > 0 ? tokens[i][..random.Next(tokens[i].Length)] : "x",
        };
        return string.Join(' ', tokens);
    }

    /// <summary>A message cut into parts; a header with an empty name is written as a raw (folded) line.</summary>
    private sealed class Message
    {
        public string StartLine { get; set; } = string.Empty;

        public List<(string Name, string Value)> Headers { get; } = [];

        public string Body { get; set; } = string.Empty;

        /// <summary>The line end, or null for a random one per line.</summary>
        public string? LineEnd { get; set; } = "\r\n";

        /// <summary>What ends the header block after the last header's line end.</summary>
        public string EndOfHeaders { get; set; } = "\r\n";

        public static Message Cut(byte[] seed)
        {
            string text = Encoding.Latin1.GetString(seed);
            var message = new Message();
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            int bodyStart = end < 0 ? -1 : end + 4;
            if (end < 0)
            {
                end = text.IndexOf("\n\n", StringComparison.Ordinal);
                bodyStart = end < 0 ? -1 : end + 2;
            }

            string head = end < 0 ? text : text[..end];
            message.Body = bodyStart < 0 ? string.Empty : text[bodyStart..];
            string[] lines = head.Split('\n');
            message.StartLine = lines[0].TrimEnd('\r');
            for (int i = 1; i < lines.Length; i++)
            {
                string line = lines[i].TrimEnd('\r');
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || line[0] is ' ' or '\t')
                {
                    message.Headers.Add((string.Empty, line));
                }
                else
                {
                    message.Headers.Add((line[..colon], line[(colon + 1)..].TrimStart(' ')));
                }
            }

            return message;
        }

        public void Write(StringBuilder output, FuzzRandom random)
        {
            output.Append(StartLine).Append(LineEnd ?? RandomLineEnd(random));
            foreach ((string name, string value) in Headers)
            {
                if (name.Length == 0)
                {
                    output.Append(value);
                }
                else
                {
                    output.Append(name).Append(':').Append(random.OneIn(16) ? string.Empty : " ").Append(value);
                }

                output.Append(LineEnd ?? RandomLineEnd(random));
            }

            output.Append(EndOfHeaders).Append(Body);
        }

        private static string RandomLineEnd(FuzzRandom random) => random.Next(4) switch { 0 => "\n", 1 => "\r", _ => "\r\n" };
    }
}
