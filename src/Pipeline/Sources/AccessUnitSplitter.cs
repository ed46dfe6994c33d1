using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Sources;

/// <summary>Where one access unit lies in an Annex-B byte stream.</summary>
/// <param name="Start">The offset of its first byte (a start code, or the stream's first byte).</param>
/// <param name="Length">Its size, up to the next access unit's first start code.</param>
/// <param name="IsIdr">Whether it holds an IDR slice.</param>
internal readonly record struct AccessUnitRange(int Start, int Length, bool IsIdr);

/// <summary>
/// Splits an H.264 Annex-B byte stream into access units (ITU-T H.264 §7.4.1.2.3). After the
/// last VCL NAL unit of a picture, the next access unit starts at the first of:
/// <list type="bullet">
/// <item>an access unit delimiter (9), SPS (7), PPS (8), SEI (6) or NAL unit type 14–18;</item>
/// <item>a VCL NAL unit (types 1–5) whose slice header starts with <c>first_mb_in_slice</c> = 0,
/// the first slice of the next primary picture.</item>
/// </list>
/// Other units (end of sequence or stream, filler) stay with the picture they follow. Every
/// byte belongs to exactly one access unit, so the units put back together are the stream.
/// </summary>
/// <remarks>
/// The full test of §7.4.1.2.4 (frame_num, pic_parameter_set_id, idr_pic_id, POC … differing)
/// is not made: with arbitrary slice order (ASO) a picture's first slice need not have
/// <c>first_mb_in_slice</c> = 0, which Constrained Baseline and High (what WFD uses) forbid.
/// </remarks>
internal static class AccessUnitSplitter
{
    /// <summary>Splits <paramref name="stream"/>; throws when it holds no slice.</summary>
    /// <exception cref="InvalidDataException">No start code, or no slice.</exception>
    public static List<AccessUnitRange> Split(ReadOnlySpan<byte> stream)
    {
        var units = new List<AccessUnitRange>();
        int nal = AccessUnitLayout.NextNalUnit(stream, 0, out int startCode);
        if (nal < 0)
        {
            throw new InvalidDataException("The data is not an H.264 Annex-B byte stream: it holds no start code.");
        }

        int unitStart = 0;
        bool seenVcl = false, idr = false;
        while (nal >= 0 && nal < stream.Length)
        {
            int next = AccessUnitLayout.NextNalUnit(stream, nal + 1, out int nextStartCode);
            int end = next < 0 ? stream.Length : nextStartCode;
            int type = stream[nal] & 0x1F;
            bool vcl = type is >= NalUnitType.NonIdrSlice and <= NalUnitType.IdrSlice;
            if (seenVcl && StartsAccessUnit(type, vcl, stream[nal..end]))
            {
                units.Add(new AccessUnitRange(unitStart, startCode - unitStart, idr));
                (unitStart, seenVcl, idr) = (startCode, false, false);
            }

            seenVcl |= vcl;
            idr |= type == NalUnitType.IdrSlice;
            (nal, startCode) = (next, nextStartCode);
        }

        if (seenVcl)
        {
            units.Add(new AccessUnitRange(unitStart, stream.Length - unitStart, idr));
        }
        else if (units.Count > 0)
        {
            // Trailing parameter sets or SEI with no picture after them: keep them with the last picture.
            AccessUnitRange last = units[^1];
            units[^1] = last with { Length = stream.Length - last.Start };
        }
        else
        {
            throw new InvalidDataException("The H.264 stream holds no slice.");
        }

        return units;
    }

    /// <summary>
    /// For reading a stream piece by piece: where the access unit after the one that starts
    /// <paramref name="data"/> begins (the offset of its first start code), by the same rule as
    /// <see cref="Split"/>; -1 when <paramref name="data"/> does not show it yet (at the end of a
    /// stream the rest is the last unit).
    /// </summary>
    public static int FindNextUnit(ReadOnlySpan<byte> data)
    {
        int nal = AccessUnitLayout.NextNalUnit(data, 0, out int startCode);
        bool seenVcl = false;
        while (nal >= 0 && nal < data.Length)
        {
            int next = AccessUnitLayout.NextNalUnit(data, nal + 1, out int nextStartCode);
            int type = data[nal] & 0x1F;
            bool vcl = type is >= NalUnitType.NonIdrSlice and <= NalUnitType.IdrSlice;
            if (seenVcl)
            {
                ReadOnlySpan<byte> unit = data[nal..(next < 0 ? data.Length : nextStartCode)];
                if (StartsAccessUnit(type, vcl, unit))
                {
                    return startCode;
                }

                if (next < 0)
                {
                    return -1; // the slice header may not be all here yet
                }
            }

            seenVcl |= vcl;
            (nal, startCode) = (next, nextStartCode);
        }

        return -1;
    }

    private static bool StartsAccessUnit(int type, bool vcl, ReadOnlySpan<byte> nalUnit)
    {
        if (vcl)
        {
            return H264Syntax.TryReadFirstMbInSlice(nalUnit, out uint firstMb) && firstMb == 0;
        }

        return type is NalUnitType.Sei or NalUnitType.Sps or NalUnitType.Pps or NalUnitType.AccessUnitDelimiter
            or (>= 14 and <= 18);
    }
}
