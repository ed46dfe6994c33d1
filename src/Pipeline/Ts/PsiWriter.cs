using System.Buffers.Binary;

namespace Miraflow.Pipeline.Ts;

/// <summary>
/// Writes the program-specific information of a WFD stream: one PAT and one PMT packet, each a
/// single section with PSI version 1 (protocol doc §3.1; ISO/IEC 13818-1 §2.4.4).
/// </summary>
public static class PsiWriter
{
    /// <summary>The PSI version_number WFD sources use (AOSP): a sink that starts tracking at 0 sees version 1 as new.</summary>
    public const int DefaultVersion = 1;

    /// <summary>The PMT's program_number.</summary>
    public const int ProgramNumber = 1;

    /// <summary>H.264 stream_type.</summary>
    public const byte StreamTypeH264 = 0x1B;

    /// <summary>AAC ADTS stream_type.</summary>
    public const byte StreamTypeAac = 0x0F;

    /// <summary>WFD LPCM stream_type (private).</summary>
    public const byte StreamTypeLpcm = 0x83;

    /// <summary>
    /// Writes a PAT packet: one program (1) whose PMT is on <see cref="TsPid.Pmt"/>.
    /// </summary>
    /// <remarks>
    /// <code>
    /// 47 40 00 1c | 00 | 00 B0 0D 00 00 (C1|v&lt;&lt;1) 00 00 | 00 01 E1 00 | CRC32 | FF...
    ///   header     ptr  table_id=0, syntax=1, length=13,     program 1 →   over the
    ///   PUSI             ts_id=0, version v, current=1,      PMT PID      section
    ///                    section 0 of 0                      0x100
    /// </code>
    /// </remarks>
    public static void WritePat(Span<byte> packet, int continuityCounter, int version = DefaultVersion)
    {
        packet = packet[..TsPacket.Size];
        TsPacket.WriteHeader(packet, TsPid.Pat, payloadUnitStart: true, TsPacket.PayloadOnly, continuityCounter);
        packet[4] = 0; // pointer_field

        Span<byte> section = packet[5..];
        section[0] = 0x00; // table_id: program_association_section
        BinaryPrimitives.WriteUInt16BigEndian(section[1..], 0xB000 | 13); // syntax 1, '0', reserved 11, section_length
        BinaryPrimitives.WriteUInt16BigEndian(section[3..], 0); // transport_stream_id
        section[5] = VersionByte(version);
        section[6] = 0; // section_number
        section[7] = 0; // last_section_number
        BinaryPrimitives.WriteUInt16BigEndian(section[8..], ProgramNumber);
        BinaryPrimitives.WriteUInt16BigEndian(section[10..], 0xE000 | TsPid.Pmt);
        int end = FinishSection(section, 12);
        section[end..].Fill(0xFF);
    }

    /// <summary>
    /// Writes a PMT packet for program 1: PCR on <see cref="TsPid.Pcr"/>, H.264 on
    /// <see cref="TsPid.Video"/> with the AVC video and AVC timing/HRD descriptors, and the audio
    /// stream on <see cref="TsPid.Audio"/> when there is one.
    /// </summary>
    /// <remarks>
    /// <code>
    /// table_id 02 | 1011 length(12) | program 0001 | 11 version 1 | 00 | 00
    /// 111 PCR_PID(13) | 1111 program_info_length(12)=0
    /// per stream: stream_type | 111 PID(13) | 1111 ES_info_length(12) | descriptors
    ///   H.264: 28 04 profile_idc constraints level_idc 3F   (AVC video descriptor)
    ///          2A 02 7E 1F                                  (AVC timing and HRD descriptor)
    ///   LPCM:  83 02 (fs&lt;&lt;5 | 0x06) 2F                     (fs 2 = 48 kHz, 1 = 44.1 kHz; stereo)
    ///   AAC:   no descriptor
    /// CRC32
    /// </code>
    /// </remarks>
    public static void WritePmt(Span<byte> packet, int continuityCounter, AvcProfileLevel video, TsAudio audio, int version = DefaultVersion)
    {
        packet = packet[..TsPacket.Size];
        TsPacket.WriteHeader(packet, TsPid.Pmt, payloadUnitStart: true, TsPacket.PayloadOnly, continuityCounter);
        packet[4] = 0; // pointer_field

        Span<byte> section = packet[5..];
        section[0] = 0x02; // table_id: TS_program_map_section
        BinaryPrimitives.WriteUInt16BigEndian(section[3..], ProgramNumber);
        section[5] = VersionByte(version);
        section[6] = 0;
        section[7] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(section[8..], 0xE000 | TsPid.Pcr);
        BinaryPrimitives.WriteUInt16BigEndian(section[10..], 0xF000); // program_info_length 0

        int at = 12;
        at += WriteStream(section[at..], StreamTypeH264, TsPid.Video, [
            0x28, 0x04, video.ProfileIdc, video.ConstraintFlags, video.LevelIdc, 0x3F,
            0x2A, 0x02, 0x7E, 0x1F]);

        switch (audio.Codec)
        {
            case TsAudioCodec.Lpcm:
                byte fs = audio.SampleRate == 44_100 ? (byte)1 : (byte)2;
                at += WriteStream(section[at..], StreamTypeLpcm, TsPid.Audio, [0x83, 0x02, (byte)((fs << 5) | 0x06), 0x2F]);
                break;
            case TsAudioCodec.Aac:
                at += WriteStream(section[at..], StreamTypeAac, TsPid.Audio, []);
                break;
        }

        int end = FinishSection(section, at);
        section[end..].Fill(0xFF);
    }

    private static int WriteStream(Span<byte> entry, byte streamType, int pid, ReadOnlySpan<byte> descriptors)
    {
        entry[0] = streamType;
        BinaryPrimitives.WriteUInt16BigEndian(entry[1..], (ushort)(0xE000 | pid));
        BinaryPrimitives.WriteUInt16BigEndian(entry[3..], (ushort)(0xF000 | descriptors.Length));
        descriptors.CopyTo(entry[5..]);
        return 5 + descriptors.Length;
    }

    // reserved '11', version_number (5 bits), current_next_indicator 1.
    private static byte VersionByte(int version) => (byte)(0xC1 | ((version & 0x1F) << 1));

    /// <summary>Sets section_length (for syntax-1 sections) and appends the CRC; returns the section's end.</summary>
    private static int FinishSection(Span<byte> section, int bodyEnd)
    {
        int sectionLength = bodyEnd - 3 + 4;
        BinaryPrimitives.WriteUInt16BigEndian(section[1..], (ushort)(0xB000 | sectionLength));
        BinaryPrimitives.WriteUInt32BigEndian(section[bodyEnd..], Crc32Mpeg2.Compute(section[..bodyEnd]));
        return bodyEnd + 4;
    }
}
