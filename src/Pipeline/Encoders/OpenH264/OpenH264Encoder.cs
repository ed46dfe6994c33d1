using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// H.264 software encoder on Cisco's OpenH264 (2.x, loaded at run time; see
/// <see cref="OpenH264NotFoundException"/> for where the library comes from), configured for WFD
/// (protocol doc §3.4): screen-content real-time mode, bitrate rate control, one spatial and one
/// temporal layer, no B-frames, SPS and PPS in front of every IDR (constant ids).
/// </summary>
/// <remarks>
/// <para><b>Profiles.</b> Constrained Baseline: profile_idc 66 with constraint_set0 and
/// constraint_set1, CAVLC. Constrained High: OpenH264 2.3.1 writes profile_idc 100 with
/// constraint_set4 and constraint_set5 (progressive, no B slices) and CABAC when asked for
/// <c>PRO_HIGH</c> with <c>iEntropyCodingModeFlag</c> 1, so CHP is a real High-profile CABAC stream
/// (it never uses the 8×8 transform, which High allows but does not require). The constructor
/// reads the library's SPS back and throws <see cref="OpenH264Exception"/> if profile, constraint
/// flags or level differ from what was asked (the library silently raises the level when the
/// mode or the peak bitrate exceeds it; this encoder refuses such settings up front).</para>
/// <para><b>Input.</b> I420 with any strides is passed to the library without a copy. NV12 has its
/// interleaved chroma split into I420 planes first, with SIMD (OpenH264 accepts only
/// <c>videoFormatI420</c>).</para>
/// <para><b>Threads.</b> <see cref="Encode"/> is called by one stage at a time;
/// <see cref="RequestIdr"/>, <see cref="SetBitrate"/> and <see cref="SetFrameRate"/> may be called
/// from any thread and are applied (through <c>ForceIntraFrame</c> and <c>SetOption</c>, on the
/// encoding thread) before the next picture. <see cref="Dispose"/> may race an
/// <see cref="Encode"/>: the native encoder is freed when the running call returns. A frame-rate
/// change re-budgets rate control per picture; the periodic IDR interval stays the number of
/// pictures computed from <see cref="EncoderSettings.IdrInterval"/> at construction.</para>
/// <para><b>Cost.</b> Screen-content mode spends most of its time in a per-picture feature-based
/// motion search that makes scrolling and moved windows cheap to code; on the project VM
/// (2 cores) 1080p costs about 28 ms of one core per picture and 720p about 12 ms, some 4–5 times
/// camera mode. 1080p60 therefore needs a faster core than that VM's to run in real time.</para>
/// <para><b>Overflow.</b> A picture too complex for the library's output buffer (full-range noise)
/// makes it drop its context; the encoder re-initialises with a higher QP floor, codes the picture
/// again as an IDR, and restores the floor two seconds later (see <c>EncodeAfterOverflow</c>).</para>
/// <para><b>Allocation.</b> None per picture once the output pool is warm: the source picture
/// descriptor lives on the stack, the output descriptor in native memory allocated once, and the
/// access unit is copied once from the library's buffers into a pooled <see cref="EncodedFrame"/>.</para>
/// </remarks>
public sealed unsafe partial class OpenH264Encoder : IVideoEncoder
{
    private const int PendingBitrate = 1;
    private const int PendingFrameRate = 2;

    /// <summary>How far each failed attempt raises the QP floor (6 steps halve the quantiser's precision).</summary>
    private const int QpFloorStep = 8;

    private readonly OpenH264Library _library;
    private readonly OpenH264EncoderHandle _handle;
    private readonly EncodedFramePool _pool;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly byte[] _parameterSets;
    private EncoderSettings _settings;
    private int _idrRequested;
    private int _pending;
    private int _pendingTarget;
    private int _pendingMax;
    private double _pendingFrameRate;
    private int _appliedMax;
    private byte[]? _chroma;
    private long _parameterSetsPrepended;
    private long _libraryTicks;
    private readonly uint _intraPeriod;
    private readonly OpenH264Tuning _tuning;
    private int _qpFloor;
    private int _raisedFloorPictures;
    private long _reinitialisations;

    /// <summary>Creates and initialises an encoder.</summary>
    /// <param name="settings">The format and rate control; validated here.</param>
    /// <param name="pool">Where output frames are rented; a pool of 8 is created when null.</param>
    /// <param name="logger">Receives the encoder's own and the library's messages.</param>
    /// <exception cref="OpenH264NotFoundException">No OpenH264 2.x library could be loaded.</exception>
    /// <exception cref="ArgumentException">A setting is out of range, or the mode or peak bitrate does not fit the level.</exception>
    /// <exception cref="OpenH264Exception">The library refused the settings or did not honour profile or level.</exception>
    public OpenH264Encoder(EncoderSettings settings, EncodedFramePool? pool = null, ILogger<OpenH264Encoder>? logger = null)
        : this(settings, pool, logger, OpenH264Tuning.Default)
    {
    }

    internal OpenH264Encoder(EncoderSettings settings, EncodedFramePool? pool, ILogger? logger, OpenH264Tuning tuning)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tuning);
        settings.Validate();
        CheckFitsLevel(settings.Width, settings.Height, settings.FrameRate, settings.Level);
        int maxBitrate = ResolveMaxBitrate(settings.TargetBitrate, settings.MaxBitrate, settings.Level);
        uint intraPeriod = IntraPeriodFrames(settings.IdrInterval, settings.FrameRate);

        _logger = logger ?? NullLogger.Instance;
        _library = tuning.LibraryNames is null ? OpenH264Library.Shared : OpenH264Library.Load(tuning.LibraryNames);
        _pool = pool ?? new EncodedFramePool(8, Math.Max(64 * 1024, settings.Width * settings.Height / 4));
        _settings = settings;
        _appliedMax = maxBitrate;
        _intraPeriod = intraPeriod;
        _tuning = tuning;
        _qpFloor = tuning.MinQp;
        ThreadCount = tuning.Threads > 0 ? tuning.Threads
            : settings.SliceCount > 1 ? Math.Min(settings.SliceCount, Environment.ProcessorCount) : 1;

        ISVCEncoder* encoder = null;
        int rc = _library.WelsCreateSVCEncoder(&encoder);
        if (rc != Wels.cmResultSuccess || encoder is null)
        {
            throw new OpenH264Exception($"WelsCreateSVCEncoder failed ({rc}).", rc);
        }

        _handle = new OpenH264EncoderHandle(_library, encoder);
        try
        {
            SetUpTracing(encoder);

            SEncParamExt param = default;
            Check(encoder->GetDefaultParams(&param), "GetDefaultParams");
            Configure(ref param, settings, maxBitrate, intraPeriod, ThreadCount, tuning);
            Check(encoder->InitializeExt(&param), "InitializeExt");
            _handle.Initialized = true;

            int format = (int)EVideoFormatType.videoFormatI420;
            Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_DATAFORMAT, &format), "SetOption(DATAFORMAT)");

            _parameterSets = ReadParameterSets(encoder, _handle.BsInfo);
            CheckSequenceParameterSet(_parameterSets, settings);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }

        if (_library.Version.Minor != 3)
        {
            Log.VersionNotVerified(_logger, _library.Version);
        }

        Log.Created(_logger, _library.Version, _library.FileName, settings.Width, settings.Height, settings.FrameRate,
            settings.Profile, H264LevelLimits.ToDisplayString(settings.Level), settings.TargetBitrate, maxBitrate, settings.SliceCount, ThreadCount);
    }

    /// <inheritdoc/>
    public EncoderSettings Settings => Volatile.Read(ref _settings);

    /// <summary>The version of the OpenH264 library in use.</summary>
    public Version LibraryVersion => _library.Version;

    /// <summary>The <c>iMultipleThreadIdc</c> the encoder was initialised with.</summary>
    internal int ThreadCount { get; }

    /// <summary>SPS and PPS (Annex-B) as the library wrote them at initialisation.</summary>
    internal ReadOnlySpan<byte> ParameterSets => _parameterSets;

    /// <summary>
    /// Time spent inside the library's <c>EncodeFrame</c> so far (<see cref="Stopwatch"/> ticks, encoding
    /// thread): with the time spent in <see cref="Encode"/> it tells what the binding adds.
    /// </summary>
    internal long LibraryTicks => _libraryTicks;

    /// <summary>
    /// Times the library was re-initialised after it gave up on a picture (see <see cref="Encode"/>);
    /// each costs an IDR.
    /// </summary>
    internal long Reinitialisations => Interlocked.Read(ref _reinitialisations);

    /// <summary>The lowest QP in force now: <see cref="OpenH264Tuning.MinQp"/>, or a raised floor after an overflow.</summary>
    internal int QpFloor => _qpFloor;

    /// <summary>IDRs the library emitted without SPS/PPS, which got them prepended here (expected: 0).</summary>
    internal long ParameterSetsPrepended => Interlocked.Read(ref _parameterSetsPrepended);

    /// <inheritdoc/>
    public EncodedFrame? Encode(VideoFrame picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        EncoderSettings settings = Settings;
        if (picture.Width != settings.Width || picture.Height != settings.Height)
        {
            throw new ArgumentException($"The picture is {picture.Width}×{picture.Height}; the encoder was set up for {settings.Width}×{settings.Height}.", nameof(picture));
        }

        bool added = false;
        _handle.DangerousAddRef(ref added);
        try
        {
            ISVCEncoder* encoder = _handle.Encoder;
            ApplyPendingChanges(encoder);
            if (_qpFloor != _tuning.MinQp && _raisedFloorPictures <= 0)
            {
                Reinitialise(encoder, _tuning.MinQp); // before encoding: the last output lives in the context
                Log.QpFloorRestored(_logger, _qpFloor, picture.FrameNumber);
            }

            if (Interlocked.Exchange(ref _idrRequested, 0) != 0)
            {
                Check(encoder->ForceIntraFrame(true), "ForceIntraFrame");
                Log.IdrForced(_logger, picture.FrameNumber);
            }

            long start = Stopwatch.GetTimestamp();
            SFrameBSInfo* info = _handle.BsInfo;
            NativeMemory.Clear(info, (nuint)sizeof(SFrameBSInfo));
            int rc = EncodePicture(encoder, picture, info);
            if (rc == Wels.cmMallocMemeError)
            {
                rc = EncodeAfterOverflow(encoder, picture, info);
            }
            else if (rc == Wels.cmResultSuccess && _qpFloor != _tuning.MinQp)
            {
                _raisedFloorPictures--;
            }

            if (rc != Wels.cmResultSuccess)
            {
                throw new OpenH264Exception($"EncodeFrame failed ({rc}) on frame {picture.FrameNumber}.", rc);
            }

            if (info->eFrameType == EVideoFrameType.videoFrameTypeSkip || info->iLayerNum == 0)
            {
                return null;
            }

            if (info->eFrameType == EVideoFrameType.videoFrameTypeInvalid)
            {
                throw new OpenH264Exception($"EncodeFrame reported an invalid frame for frame {picture.FrameNumber}.");
            }

            EncodedFrame frame = CopyAccessUnit(info);
            frame.IsIdr = info->eFrameType == EVideoFrameType.videoFrameTypeIDR;
            frame.CaptureTime = picture.CaptureTime;
            frame.FrameNumber = picture.FrameNumber;
            frame.PartNumber = picture.PartNumber;
            frame.EncodeDuration = Stopwatch.GetElapsedTime(start);
            return frame;
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public void RequestIdr() => Volatile.Write(ref _idrRequested, 1);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The target is not positive, the peak is below it, or the peak exceeds the level's maximum.</exception>
    public void SetBitrate(int targetBitrate, int maxBitrate = 0)
    {
        lock (_gate)
        {
            EncoderSettings settings = _settings;
            int max = ResolveMaxBitrate(targetBitrate, maxBitrate, settings.Level);
            Volatile.Write(ref _settings, settings with { TargetBitrate = targetBitrate, MaxBitrate = maxBitrate });
            _pendingTarget = targetBitrate;
            _pendingMax = max;
            _pending |= PendingBitrate;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not in (0, 240] or the mode at this rate exceeds the level.</exception>
    public void SetFrameRate(double frameRate)
    {
        lock (_gate)
        {
            EncoderSettings settings = _settings;
            EncoderSettings changed = settings with { FrameRate = frameRate };
            changed.Validate();
            CheckFitsLevel(settings.Width, settings.Height, frameRate, settings.Level);
            Volatile.Write(ref _settings, changed);
            _pendingFrameRate = frameRate;
            _pending |= PendingFrameRate;
        }
    }

    /// <summary>Frees the native encoder (after a concurrent <see cref="Encode"/> returns). A second call does nothing.</summary>
    public void Dispose() => _handle.Dispose();

    /// <summary>The peak bitrate the library allows at a level: Table A-1 MaxBR × 1200 (its CpbBrNalFactor).</summary>
    internal static int LevelMaxBitrate(H264Levels level) => level switch
    {
        H264Levels.Level31 => 14_000 * 1200,
        H264Levels.Level32 => 20_000 * 1200,
        H264Levels.Level40 => 20_000 * 1200,
        H264Levels.Level41 => 50_000 * 1200,
        H264Levels.Level42 => 50_000 * 1200,
        _ => 0,
    };

    private static void Configure(ref SEncParamExt p, EncoderSettings s, int maxBitrate, uint intraPeriod, int threads, OpenH264Tuning tuning)
    {
        bool high = s.Profile == H264Profiles.ConstrainedHigh;
        p.iUsageType = EUsageType.SCREEN_CONTENT_REAL_TIME;
        p.iPicWidth = s.Width;
        p.iPicHeight = s.Height;
        p.iTargetBitrate = s.TargetBitrate;
        p.iMaxBitrate = maxBitrate;
        p.iRCMode = tuning.RateControl;
        p.fMaxFrameRate = (float)s.FrameRate;
        p.iTemporalLayerNum = 1;
        p.iSpatialLayerNum = 1;
        p.iComplexityMode = tuning.Complexity;
        p.uiIntraPeriod = intraPeriod;
        p.eSpsPpsIdStrategy = EParameterSetStrategy.CONSTANT_ID;
        p.bPrefixNalAddingCtrl = 0;
        p.bEnableSSEI = 0;
        p.bSimulcastAVC = 0;
        p.iPaddingFlag = 0;
        p.iEntropyCodingModeFlag = high ? 1 : 0;
        p.bEnableFrameSkip = 0;
        p.iMinQp = tuning.MinQp;
        p.iMaxQp = tuning.MaxQp;
        p.bEnableLongTermReference = 0;
        p.iMultipleThreadIdc = (ushort)threads;

        // Not supported for screen content; the library would switch them off with a warning.
        p.bEnableAdaptiveQuant = 0;
        p.bEnableBackgroundDetection = 0;
        p.bEnableSceneChangeDetect = 1;
        p.bEnableDenoise = 0;

        ref SSpatialLayerConfig layer = ref p.sSpatialLayers[0];
        layer.iVideoWidth = s.Width;
        layer.iVideoHeight = s.Height;
        layer.fFrameRate = (float)s.FrameRate;
        layer.iSpatialBitrate = s.TargetBitrate;
        layer.iMaxSpatialBitrate = maxBitrate;
        layer.uiProfileIdc = high ? EProfileIdc.PRO_HIGH : EProfileIdc.PRO_BASELINE;
        layer.uiLevelIdc = (ELevelIdc)H264LevelLimits.LevelIdc(s.Level);
        layer.sSliceArgument.uiSliceMode = s.SliceCount > 1 ? SliceModeEnum.SM_FIXEDSLCNUM_SLICE : SliceModeEnum.SM_SINGLE_SLICE;
        layer.sSliceArgument.uiSliceNum = (uint)s.SliceCount;
    }

    private static int ResolveMaxBitrate(int target, int max, H264Levels level)
    {
        int levelMax = LevelMaxBitrate(level);
        if (levelMax == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "One level: 3.1, 3.2, 4.0, 4.1 or 4.2.");
        }

        int resolved = max == 0 ? levelMax : max;
        if (target <= 0 || resolved < target || resolved > levelMax)
        {
            throw new ArgumentOutOfRangeException(nameof(max),
                $"Bitrates {target}/{max} bit/s: the target must be positive and at most the peak, and the peak at most level {H264LevelLimits.ToDisplayString(level)}'s {levelMax} bit/s.");
        }

        return resolved;
    }

    private static void CheckFitsLevel(int width, int height, double frameRate, H264Levels level)
    {
        int maxFs = H264LevelLimits.MaxFrameSize(level);
        if (maxFs == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "One level: 3.1, 3.2, 4.0, 4.1 or 4.2.");
        }

        long mbWidth = (width + 15) / 16;
        long mbHeight = (height + 15) / 16;
        long frameSize = mbWidth * mbHeight;
        bool fits = frameSize <= maxFs
            && mbWidth * mbWidth <= 8L * maxFs
            && mbHeight * mbHeight <= 8L * maxFs
            && frameSize * frameRate <= H264LevelLimits.MaxMacroblocksPerSecond(level);
        if (!fits)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level,
                $"{width}×{height} at {frameRate} fps ({frameSize} macroblocks, {frameSize * frameRate:0} per second) exceeds level {H264LevelLimits.ToDisplayString(level)} (Table A-1).");
        }
    }

    private static uint IntraPeriodFrames(TimeSpan interval, double frameRate)
    {
        if (interval == Timeout.InfiniteTimeSpan)
        {
            return 0;
        }

        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The IDR interval must be positive or Timeout.InfiniteTimeSpan.");
        }

        return (uint)Math.Clamp(Math.Round(interval.TotalSeconds * frameRate), 1, int.MaxValue);
    }

    private static void Check(int rc, string call)
    {
        if (rc != Wels.cmResultSuccess)
        {
            throw new OpenH264Exception($"OpenH264 {call} failed ({rc}).", rc);
        }
    }

    private static byte[] ReadParameterSets(ISVCEncoder* encoder, SFrameBSInfo* info)
    {
        NativeMemory.Clear(info, (nuint)sizeof(SFrameBSInfo));
        Check(encoder->EncodeParameterSets(info), "EncodeParameterSets");
        int total = 0;
        for (int l = 0; l < info->iLayerNum; l++)
        {
            total += LayerLength(ref info->sLayerInfo[l]);
        }

        byte[] bytes = new byte[total];
        int at = 0;
        for (int l = 0; l < info->iLayerNum; l++)
        {
            ref SLayerBSInfo layer = ref info->sLayerInfo[l];
            int length = LayerLength(ref layer);
            new ReadOnlySpan<byte>(layer.pBsBuf, length).CopyTo(bytes.AsSpan(at));
            at += length;
        }

        return bytes;
    }

    /// <summary>Checks profile_idc, the constraint flags and level_idc of the library's SPS (H.264 §7.3.2.1.1).</summary>
    private static void CheckSequenceParameterSet(ReadOnlySpan<byte> parameterSets, EncoderSettings settings)
    {
        ReadOnlySpan<byte> sps = FindNal(parameterSets, 7);
        if (sps.Length < 4)
        {
            throw new OpenH264Exception("EncodeParameterSets produced no SPS.");
        }

        bool high = settings.Profile == H264Profiles.ConstrainedHigh;
        int profile = sps[1];
        int constraints = sps[2];
        int level = sps[3];
        int wantedProfile = high ? 100 : 66;
        int wantedFlags = high ? 0x0C : 0xC0; // CHP: constraint_set4+5; CBP: constraint_set0+1
        int wantedLevel = H264LevelLimits.LevelIdc(settings.Level);
        if (profile != wantedProfile || (constraints & wantedFlags) != wantedFlags || level != wantedLevel)
        {
            throw new OpenH264Exception(
                $"OpenH264 wrote an SPS with profile_idc {profile}, constraint flags 0x{constraints:X2}, level_idc {level}; " +
                $"{settings.Profile} level {H264LevelLimits.ToDisplayString(settings.Level)} needs profile_idc {wantedProfile}, flags 0x{wantedFlags:X2}, level_idc {wantedLevel}.");
        }
    }

    /// <summary>The first NAL unit of <paramref name="type"/> in an Annex-B buffer (header byte included, start code excluded).</summary>
    private static ReadOnlySpan<byte> FindNal(ReadOnlySpan<byte> annexB, int type)
    {
        int position = 0;
        while (true)
        {
            int found = annexB[position..].IndexOf(StartCode);
            if (found < 0)
            {
                return default;
            }

            int start = position + found + StartCode.Length;
            int next = annexB[start..].IndexOf(StartCode);
            int end = next < 0 ? annexB.Length : start + next;
            while (end > start && annexB[end - 1] == 0)
            {
                end--; // the leading zero of a 4-byte start code
            }

            if (end > start && (annexB[start] & 0x1F) == type)
            {
                return annexB[start..end];
            }

            position = end;
        }
    }

    private static ReadOnlySpan<byte> StartCode => [0, 0, 1];

    private static int LayerLength(ref SLayerBSInfo layer)
    {
        int length = 0;
        for (int n = 0; n < layer.iNalCount; n++)
        {
            length += layer.pNalLengthInByte[n];
        }

        return length;
    }

    /// <summary>NV12 → I420 chroma: splits interleaved UV rows into the U and V planes (SIMD, <see cref="PictureConverter.Deinterleave(ReadOnlySpan{byte}, Span{byte}, Span{byte})"/>).</summary>
    private static void SplitChroma(ReadOnlySpan<byte> uv, int uvStride, Span<byte> u, Span<byte> v, int chromaWidth, int chromaHeight)
    {
        for (int y = 0; y < chromaHeight; y++)
        {
            PictureConverter.Deinterleave(uv.Slice(y * uvStride, chromaWidth * 2), u.Slice(y * chromaWidth, chromaWidth), v.Slice(y * chromaWidth, chromaWidth));
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnTrace(void* context, int level, byte* message)
    {
        // An exception must not unwind into the library: log what can be logged, drop the rest.
        try
        {
            if (context is not null && GCHandle.FromIntPtr((nint)context).Target is ILogger logger)
            {
                string text = (Marshal.PtrToStringUTF8((nint)message) ?? string.Empty).TrimEnd();
                switch (level)
                {
                    case Wels.WELS_LOG_ERROR:
                        Log.LibraryError(logger, text);
                        break;
                    case Wels.WELS_LOG_WARNING:
                        Log.LibraryWarning(logger, text);
                        break;
                    default:
                        Log.LibraryDebug(logger, text);
                        break;
                }
            }
        }
#pragma warning disable CA1031 // the callback runs on a native stack
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Routes the library's trace into the logger (without one, the library stays quiet rather than
    /// writing to stderr, which a driver host does not show).
    /// </summary>
    private void SetUpTracing(ISVCEncoder* encoder)
    {
        int level = _logger.IsEnabled(LogLevel.Debug) ? Wels.WELS_LOG_INFO
            : _logger.IsEnabled(LogLevel.Information) ? Wels.WELS_LOG_WARNING
            : _logger.IsEnabled(LogLevel.Warning) ? Wels.WELS_LOG_ERROR
            : Wels.WELS_LOG_QUIET;
        if (level != Wels.WELS_LOG_QUIET)
        {
            _handle.TraceContext = GCHandle.Alloc(_logger);
            delegate* unmanaged[Cdecl]<void*, int, byte*, void> callback = &OnTrace;
            void* context = (void*)GCHandle.ToIntPtr(_handle.TraceContext);
            Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_TRACE_CALLBACK, &callback), "SetOption(TRACE_CALLBACK)");
            Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_TRACE_CALLBACK_CONTEXT, &context), "SetOption(TRACE_CALLBACK_CONTEXT)");
        }

        Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_TRACE_LEVEL, &level), "SetOption(TRACE_LEVEL)");
    }

    /// <summary>
    /// The library returns <c>cmMallocMemeError</c> when a picture's bitstream overflows its output
    /// buffer (full-range noise at 640×360 does, at the QP rate control starts from) and then frees its
    /// encoding context: every later call would fail too. So the encoder is initialised again with a
    /// QP floor raised by <see cref="QpFloorStep"/> and the same picture retried (as an IDR, which
    /// re-initialisation implies), up to <see cref="OpenH264Tuning.MaxQp"/>. The raised floor holds
    /// for two seconds of pictures, then the configured one comes back with one more re-initialisation.
    /// </summary>
    private int EncodeAfterOverflow(ISVCEncoder* encoder, VideoFrame picture, SFrameBSInfo* info)
    {
        int rc = Wels.cmMallocMemeError;
        while (rc == Wels.cmMallocMemeError && _qpFloor < _tuning.MaxQp)
        {
            int floor = Math.Min(_tuning.MaxQp, _qpFloor + QpFloorStep);
            Log.Overflowed(_logger, picture.FrameNumber, _qpFloor, floor);
            Reinitialise(encoder, floor);
            _raisedFloorPictures = (int)Math.Ceiling(2 * Settings.FrameRate);
            NativeMemory.Clear(info, (nuint)sizeof(SFrameBSInfo));
            rc = EncodePicture(encoder, picture, info);
        }

        return rc;
    }

    /// <summary>Initialises the library again (the context, not the object: tracing stays) with the current settings and a QP floor.</summary>
    private void Reinitialise(ISVCEncoder* encoder, int qpFloor)
    {
        encoder->Uninitialize();
        _handle.Initialized = false;
        SEncParamExt param = default;
        Check(encoder->GetDefaultParams(&param), "GetDefaultParams");
        Configure(ref param, Settings, _appliedMax, _intraPeriod, ThreadCount, _tuning with { MinQp = qpFloor });
        Check(encoder->InitializeExt(&param), "InitializeExt");
        _handle.Initialized = true;
        int format = (int)EVideoFormatType.videoFormatI420;
        Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_DATAFORMAT, &format), "SetOption(DATAFORMAT)");
        _qpFloor = qpFloor;
        Interlocked.Increment(ref _reinitialisations);
    }

    private int EncodePicture(ISVCEncoder* encoder, VideoFrame picture, SFrameBSInfo* info)
    {
        SSourcePicture source = default;
        source.iColorFormat = (int)EVideoFormatType.videoFormatI420;
        source.iPicWidth = picture.Width;
        source.iPicHeight = picture.Height;
        source.uiTimeStamp = picture.CaptureTime.Microseconds / 1000;
        source.iStride[0] = picture.LumaStride;
        if (picture.Format == PixelFormat.I420)
        {
            source.iStride[1] = picture.ChromaStride;
            source.iStride[2] = picture.ChromaStride;
            fixed (byte* y = picture.Y)
            fixed (byte* u = picture.U)
            fixed (byte* v = picture.V)
            {
                source.pData.e0 = y;
                source.pData.e1 = u;
                source.pData.e2 = v;
                return EncodeFrameTimed(encoder, &source, info);
            }
        }

        int chromaWidth = picture.Width / 2;
        int chromaHeight = picture.Height / 2;
        int planeSize = chromaWidth * chromaHeight;
        byte[] chroma = _chroma ??= GC.AllocateUninitializedArray<byte>(2 * planeSize, pinned: true);
        SplitChroma(picture.U, picture.ChromaStride, chroma.AsSpan(0, planeSize), chroma.AsSpan(planeSize, planeSize), chromaWidth, chromaHeight);
        source.iStride[1] = chromaWidth;
        source.iStride[2] = chromaWidth;
        fixed (byte* y = picture.Y)
        fixed (byte* c = chroma)
        {
            source.pData.e0 = y;
            source.pData.e1 = c;
            source.pData.e2 = c + planeSize;
            return EncodeFrameTimed(encoder, &source, info);
        }
    }

    private int EncodeFrameTimed(ISVCEncoder* encoder, SSourcePicture* source, SFrameBSInfo* info)
    {
        long start = Stopwatch.GetTimestamp();
        int rc = encoder->EncodeFrame(source, info);
        _libraryTicks += Stopwatch.GetTimestamp() - start;
        return rc;
    }

    private EncodedFrame CopyAccessUnit(SFrameBSInfo* info)
    {
        int total = 0;
        int nalTypes = 0; // bit n: a NAL unit of type n is present
        for (int l = 0; l < info->iLayerNum; l++)
        {
            ref SLayerBSInfo layer = ref info->sLayerInfo[l];
            byte* nal = layer.pBsBuf;
            for (int n = 0; n < layer.iNalCount; n++)
            {
                int length = layer.pNalLengthInByte[n];
                int header = length > 3 && nal[2] == 1 ? 3 : 4; // 00 00 01 or 00 00 00 01
                if (length > header)
                {
                    nalTypes |= 1 << (nal[header] & 0x1F);
                }

                nal += length;
                total += length;
            }
        }

        const int SpsAndPps = (1 << 7) | (1 << 8);
        bool prepend = info->eFrameType == EVideoFrameType.videoFrameTypeIDR && (nalTypes & SpsAndPps) != SpsAndPps;
        EncodedFrame frame = _pool.Rent();
        try
        {
            Span<byte> destination = frame.GetSpan(total + (prepend ? _parameterSets.Length : 0));
            int at = 0;
            if (prepend)
            {
                _parameterSets.CopyTo(destination);
                at = _parameterSets.Length;
                Interlocked.Increment(ref _parameterSetsPrepended);
                Log.ParameterSetsPrepended(_logger);
            }

            for (int l = 0; l < info->iLayerNum; l++)
            {
                ref SLayerBSInfo layer = ref info->sLayerInfo[l];
                int length = LayerLength(ref layer);
                new ReadOnlySpan<byte>(layer.pBsBuf, length).CopyTo(destination[at..]);
                at += length;
            }

            frame.Advance(at);
            return frame;
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    private void ApplyPendingChanges(ISVCEncoder* encoder)
    {
        if (Volatile.Read(ref _pending) == 0)
        {
            return;
        }

        int pending;
        int target;
        int max;
        double frameRate;
        lock (_gate)
        {
            pending = _pending;
            _pending = 0;
            target = _pendingTarget;
            max = _pendingMax;
            frameRate = _pendingFrameRate;
        }

        if ((pending & PendingBitrate) != 0)
        {
            var targetInfo = new SBitrateInfo { iLayer = LAYER_NUM.SPATIAL_LAYER_ALL, iBitrate = target };
            var maxInfo = new SBitrateInfo { iLayer = LAYER_NUM.SPATIAL_LAYER_ALL, iBitrate = max };

            // Keep target ≤ peak at every step: raise the peak first, lower it last.
            if (max >= _appliedMax)
            {
                Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_MAX_BITRATE, &maxInfo), "SetOption(MAX_BITRATE)");
                Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_BITRATE, &targetInfo), "SetOption(BITRATE)");
            }
            else
            {
                Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_BITRATE, &targetInfo), "SetOption(BITRATE)");
                Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_MAX_BITRATE, &maxInfo), "SetOption(MAX_BITRATE)");
            }

            _appliedMax = max;
            Log.BitrateApplied(_logger, target, max);
        }

        if ((pending & PendingFrameRate) != 0)
        {
            float rate = (float)frameRate;
            Check(encoder->SetOption(ENCODER_OPTION.ENCODER_OPTION_FRAME_RATE, &rate), "SetOption(FRAME_RATE)");
            Log.FrameRateApplied(_logger, frameRate);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "OpenH264 {Version} ({File}): {Width}x{Height} at {FrameRate} fps, {Profile} level {Level}, {Target}/{Max} bit/s, {Slices} slice(s), {Threads} thread(s)")]
        public static partial void Created(ILogger logger, Version version, string file, int width, int height, double frameRate,
            H264Profiles profile, string level, int target, int max, int slices, int threads);

        [LoggerMessage(2, LogLevel.Warning, "OpenH264 {Version}: the binding's structure layouts were verified against the 2.3.1 headers only")]
        public static partial void VersionNotVerified(ILogger logger, Version version);

        [LoggerMessage(3, LogLevel.Debug, "IDR forced at frame {FrameNumber}")]
        public static partial void IdrForced(ILogger logger, ulong frameNumber);

        [LoggerMessage(4, LogLevel.Debug, "bitrate now {Target}/{Max} bit/s")]
        public static partial void BitrateApplied(ILogger logger, int target, int max);

        [LoggerMessage(5, LogLevel.Debug, "frame rate now {FrameRate} fps")]
        public static partial void FrameRateApplied(ILogger logger, double frameRate);

        [LoggerMessage(6, LogLevel.Warning, "OpenH264 emitted an IDR without SPS/PPS; prepended the ones from initialisation")]
        public static partial void ParameterSetsPrepended(ILogger logger);

        [LoggerMessage(7, LogLevel.Warning, "OpenH264: {Message}")]
        public static partial void LibraryError(ILogger logger, string message);

        [LoggerMessage(8, LogLevel.Information, "OpenH264: {Message}")]
        public static partial void LibraryWarning(ILogger logger, string message);

        [LoggerMessage(9, LogLevel.Debug, "OpenH264: {Message}")]
        public static partial void LibraryDebug(ILogger logger, string message);

        [LoggerMessage(10, LogLevel.Warning, "frame {FrameNumber} overflowed the library's output buffer at QP floor {Floor}; re-initialised with floor {Raised} and encoding it again as an IDR")]
        public static partial void Overflowed(ILogger logger, ulong frameNumber, int floor, int raised);

        [LoggerMessage(11, LogLevel.Information, "QP floor back to {Floor} from frame {FrameNumber} (re-initialised: an IDR)")]
        public static partial void QpFloorRestored(ILogger logger, int floor, ulong frameNumber);
    }
}
