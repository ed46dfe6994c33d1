namespace Miraflow.Pipeline.Ts;

/// <summary>NAL unit types the muxer looks at (ITU-T H.264 Table 7-1).</summary>
public static class NalUnitType
{
    /// <summary>Coded slice of a non-IDR picture.</summary>
    public const int NonIdrSlice = 1;

    /// <summary>Coded slice of an IDR picture.</summary>
    public const int IdrSlice = 5;

    /// <summary>Supplemental enhancement information.</summary>
    public const int Sei = 6;

    /// <summary>Sequence parameter set.</summary>
    public const int Sps = 7;

    /// <summary>Picture parameter set.</summary>
    public const int Pps = 8;

    /// <summary>Access unit delimiter.</summary>
    public const int AccessUnitDelimiter = 9;
}

/// <summary>
/// What the muxer needs to know of an Annex-B access unit, read from the NAL units in front of
/// its first slice (ITU-T H.264 §7.4.1.2.3: delimiter, parameter sets and SEI come first).
/// </summary>
/// <remarks>The scan stops at the first slice, so its cost does not grow with the picture size.</remarks>
public readonly ref struct AccessUnitLayout
{
    private AccessUnitLayout(int firstSliceType, int delimiterEnd, int spsStart, int spsEnd, int parameterSetsStart, int parameterSetsEnd, bool hasSps, bool hasPps)
    {
        FirstSliceType = firstSliceType;
        DelimiterEnd = delimiterEnd;
        SpsStart = spsStart;
        SpsEnd = spsEnd;
        ParameterSetsStart = parameterSetsStart;
        ParameterSetsEnd = parameterSetsEnd;
        HasSps = hasSps;
        HasPps = hasPps;
    }

    /// <summary>The NAL type of the first slice, or 0 when the unit holds no slice.</summary>
    public int FirstSliceType { get; }

    /// <summary>Where the unit's leading access unit delimiter ends; 0 when it does not start with one.</summary>
    public int DelimiterEnd { get; }

    /// <summary>Whether the unit starts with an access unit delimiter.</summary>
    public bool StartsWithDelimiter => DelimiterEnd > 0;

    /// <summary>Whether the unit is an IDR picture.</summary>
    public bool IsIdr => FirstSliceType == NalUnitType.IdrSlice;

    /// <summary>Whether a sequence parameter set precedes the first slice.</summary>
    public bool HasSps { get; }

    /// <summary>Whether a picture parameter set precedes the first slice.</summary>
    public bool HasPps { get; }

    /// <summary>The start of the first SPS NAL unit (after its start code).</summary>
    public int SpsStart { get; }

    /// <summary>The end of the first SPS NAL unit.</summary>
    public int SpsEnd { get; }

    /// <summary>The start of the first SPS or PPS start code.</summary>
    public int ParameterSetsStart { get; }

    /// <summary>The end of the last SPS or PPS before the first slice.</summary>
    public int ParameterSetsEnd { get; }

    /// <summary>
    /// Reads the layout of <paramref name="accessUnit"/>; false when it holds no start code
    /// (it is not an Annex-B byte stream).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> accessUnit, out AccessUnitLayout layout)
    {
        int firstSlice = 0, delimiterEnd = 0, spsStart = 0, spsEnd = 0, setsStart = -1, setsEnd = 0;
        bool hasSps = false, hasPps = false, first = true;

        int nal = NextNalUnit(accessUnit, 0, out int startCode);
        if (nal < 0)
        {
            layout = default;
            return false;
        }

        while (nal >= 0 && nal < accessUnit.Length)
        {
            int type = accessUnit[nal] & 0x1F;
            if (type is >= NalUnitType.NonIdrSlice and <= NalUnitType.IdrSlice)
            {
                // The first slice ends the scan before its (large) body is searched for a start code.
                firstSlice = type;
                break;
            }

            int next = NextNalUnit(accessUnit, nal + 1, out int nextStartCode);
            int end = next < 0 ? accessUnit.Length : nextStartCode;
            switch (type)
            {
                case NalUnitType.AccessUnitDelimiter when first:
                    delimiterEnd = end;
                    break;
                case NalUnitType.Sps:
                    if (!hasSps)
                    {
                        (spsStart, spsEnd) = (nal, end);
                    }

                    hasSps = true;
                    setsStart = setsStart < 0 ? startCode : setsStart;
                    setsEnd = end;
                    break;
                case NalUnitType.Pps:
                    hasPps = true;
                    setsStart = setsStart < 0 ? startCode : setsStart;
                    setsEnd = end;
                    break;
            }

            first = false;
            (nal, startCode) = (next, nextStartCode);
        }

        layout = new AccessUnitLayout(firstSlice, delimiterEnd, spsStart, spsEnd, Math.Max(setsStart, 0), setsEnd, hasSps, hasPps);
        return true;
    }

    private static ReadOnlySpan<byte> StartCodePrefix => [0x00, 0x00, 0x01];

    /// <summary>
    /// Finds the next NAL unit at or after <paramref name="from"/>: returns the index of its
    /// header byte and, in <paramref name="startCode"/>, where its 3- or 4-byte start code begins;
    /// -1 when there is none.
    /// </summary>
    public static int NextNalUnit(ReadOnlySpan<byte> data, int from, out int startCode)
    {
        startCode = -1;
        if (unchecked((uint)from) >= (uint)data.Length)
        {
            return -1;
        }

        int found = data[from..].IndexOf(StartCodePrefix);
        if (found < 0)
        {
            return -1;
        }

        int at = from + found;
        startCode = at > 0 && data[at - 1] == 0 ? at - 1 : at;
        return at + 3;
    }
}
