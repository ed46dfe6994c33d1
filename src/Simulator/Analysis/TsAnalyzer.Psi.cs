using System.Buffers.Binary;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Analysis;

/// <summary>PAT and PMT: section reassembly, CRC_32 and repetition (ISO/IEC 13818-1 §2.4.4).</summary>
public sealed partial class TsAnalyzer
{
    /// <summary>The largest PAT/PMT section: 3 header bytes and a section_length of at most 1021.</summary>
    private const int MaxSectionSize = 3 + 1021;

    /// <summary>
    /// A PSI payload: with payload_unit_start_indicator it begins with pointer_field, the number of
    /// bytes that still belong to the previous section; a new section starts after them.
    /// </summary>
    private void OnPsiPayload(PidState state, ReadOnlySpan<byte> payload, bool unitStart, long index)
    {
        if (!unitStart)
        {
            if (state.SectionLength != 0)
            {
                AppendSection(state, payload, index);
            }

            return;
        }

        int pointer = payload[0];
        if (1 + pointer > payload.Length)
        {
            state.SectionLength = 0;
            return;
        }

        if (state.SectionLength != 0)
        {
            AppendSection(state, payload.Slice(1, pointer), index);
        }

        ReadOnlySpan<byte> rest = payload[(1 + pointer)..];
        while (!rest.IsEmpty && rest[0] != 0xFF)
        {
            state.SectionLength = 0;
            int used = AppendSection(state, rest, index, starting: true);
            if (state.SectionLength != 0)
            {
                break; // the section goes on in the next packet
            }

            rest = rest[used..];
        }
    }

    /// <summary>Adds bytes to the section being assembled; parses it once complete. Returns the bytes used.</summary>
    private int AppendSection(PidState state, ReadOnlySpan<byte> bytes, long index, bool starting = false)
    {
        byte[] section = state.Section!;
        if (starting)
        {
            state.SectionLength = 0;
            state.SectionFilled = 0;
        }
        else if (state.SectionFilled == 0)
        {
            return bytes.Length;
        }

        int used = 0;
        if (state.SectionFilled < 3)
        {
            int header = Math.Min(3 - state.SectionFilled, bytes.Length);
            bytes[..header].CopyTo(section.AsSpan(state.SectionFilled));
            state.SectionFilled += header;
            used = header;
            if (state.SectionFilled < 3)
            {
                state.SectionLength = -1; // header incomplete: keep assembling
                return used;
            }

            int length = 3 + (BinaryPrimitives.ReadUInt16BigEndian(section.AsSpan(1)) & 0x0FFF);
            if (length > MaxSectionSize || length < 3 + 9)
            {
                state.PsiErrors++;
                state.SectionLength = 0;
                state.SectionFilled = 0;
                return bytes.Length;
            }

            state.SectionLength = length;
        }

        int take = Math.Min(state.SectionLength - state.SectionFilled, bytes.Length - used);
        bytes.Slice(used, take).CopyTo(section.AsSpan(state.SectionFilled));
        state.SectionFilled += take;
        used += take;
        if (state.SectionFilled == state.SectionLength)
        {
            OnSection(state, section.AsSpan(0, state.SectionLength), index);
            state.SectionLength = 0;
            state.SectionFilled = 0;
        }

        return used;
    }

    /// <summary>
    /// One whole section. The long form (§2.4.4.3, §2.4.4.8):
    /// <code>
    /// table_id(8) | 1 0 11 section_length(12) | id(16) | 11 version(5) C | section_number | last_section_number | ... | CRC_32
    /// </code>
    /// </summary>
    private void OnSection(PidState state, ReadOnlySpan<byte> section, long index)
    {
        int tableId = section[0];
        bool isPat = state.Pid == TsPid.Pat && tableId == 0x00;
        bool isPmt = state.Pid != TsPid.Pat && tableId == 0x02;
        if (!isPat && !isPmt)
        {
            return;
        }

        if (isPmt && section.Length < 16)
        {
            state.PsiErrors++;
            return;
        }

        uint expected = BinaryPrimitives.ReadUInt32BigEndian(section[^4..]);
        if (Crc32Mpeg2.Compute(section[..^4]) != expected)
        {
            state.CrcErrors++;
            return;
        }

        state.Sections++;
        if (state.LastSectionPacket >= 0)
        {
            state.SectionGapPackets.Add(index - state.LastSectionPacket);
        }

        state.LastSectionPacket = index;
        AddEvent(new TimedEvent(index, state.Pid, Pts: -1));

        ReadOnlySpan<byte> body = section[8..^4];
        if (isPat)
        {
            // program_number(16) | 111 PID(13), four bytes per program; program 0 names the network PID.
            for (; body.Length >= 4; body = body[4..])
            {
                int number = BinaryPrimitives.ReadUInt16BigEndian(body);
                int pmtPid = BinaryPrimitives.ReadUInt16BigEndian(body[2..]) & 0x1FFF;
                if (number != 0 && FindProgram(number) is null)
                {
                    _programs.Add(new ProgramEntry(number, pmtPid));
                    GetPid(pmtPid).MakePsi();
                }
            }

            return;
        }

        // PCR_PID(13) | program_info_length(12) | descriptors | { stream_type | elementary_PID | ES_info_length | descriptors }*
        int programNumber = BinaryPrimitives.ReadUInt16BigEndian(section[3..]);
        int pcrPid = BinaryPrimitives.ReadUInt16BigEndian(body) & 0x1FFF;
        int infoLength = BinaryPrimitives.ReadUInt16BigEndian(body[2..]) & 0x0FFF;
        if (ProgramOf(programNumber, state.Pid) is ProgramEntry program)
        {
            program.PmtSeen = true;
            program.PcrPid = pcrPid;
        }

        if (_pcrPid < 0 || !_pcrPidFromPmt)
        {
            _pcrPid = pcrPid;
            _pcrPidFromPmt = true;
        }

        body = 4 + infoLength <= body.Length ? body[(4 + infoLength)..] : [];
        while (body.Length >= 5)
        {
            int streamType = body[0];
            int pid = BinaryPrimitives.ReadUInt16BigEndian(body[1..]) & 0x1FFF;
            int esInfoLength = BinaryPrimitives.ReadUInt16BigEndian(body[3..]) & 0x0FFF;
            PidState stream = GetPid(pid);
            if (stream.Section is null)
            {
                stream.StreamType = streamType;
            }

            body = 5 + esInfoLength <= body.Length ? body[(5 + esInfoLength)..] : [];
        }
    }

    private ProgramEntry? FindProgram(int number)
    {
        foreach (ProgramEntry program in _programs)
        {
            if (program.Number == number)
            {
                return program;
            }
        }

        return null;
    }

    private ProgramEntry? ProgramOf(int number, int pmtPid)
    {
        ProgramEntry? program = FindProgram(number);
        return program is not null && program.PmtPid == pmtPid ? program : null;
    }
}
