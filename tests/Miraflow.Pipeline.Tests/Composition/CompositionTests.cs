using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Composition;

/// <summary>Registration rules of <c>AddMiraflow</c> (house rules 22–24).</summary>
[Trait("Category", "unit")]
public sealed class CompositionRegistrationTests
{
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    [Fact]
    public void A_provider_builds_with_validate_on_build_and_scopes_and_passes_startup_validation()
    {
        var services = new ServiceCollection();
        IMiraflowBuilder builder = services.AddMiraflow();
        Assert.Same(services, builder.Services);

        using ServiceProvider provider = services.BuildServiceProvider(Strict);
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(provider.GetRequiredService<IMediaPipelineFactory>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.NotNull(provider.GetKeyedService<IVideoEncoderFactory>(MiraflowEncoders.OpenH264));
        Assert.NotNull(provider.GetKeyedService<IVideoEncoderFactory>(MiraflowEncoders.PassThrough));
        Assert.Equal(MiraflowEncoders.OpenH264, provider.GetRequiredService<IOptions<MiraflowOptions>>().Value.EncoderKey);
    }

    [Fact]
    public void Adding_twice_registers_once_and_applies_both_configurations()
    {
        var once = new ServiceCollection();
        once.AddMiraflow();
        var twice = new ServiceCollection();
        twice.AddMiraflow(o => o.SendCapacity = 9);
        twice.AddMiraflow(o => o.EncodeCapacity = 3);

        // Only the two Configure calls are extra.
        Assert.Equal(once.Count + 2, twice.Count);
        Assert.Single(twice, d => d.ServiceType == typeof(IMediaPipelineFactory));
        Assert.Single(twice, d => d.ServiceType == typeof(IValidateOptions<MiraflowOptions>));

        using ServiceProvider provider = twice.BuildServiceProvider(Strict);
        MiraflowOptions options = provider.GetRequiredService<IOptions<MiraflowOptions>>().Value;
        Assert.Equal((9, 3), (options.SendCapacity, options.EncodeCapacity));
    }

    [Fact]
    public void A_caller_registration_made_first_is_kept()
    {
        var time = new FixedTimeProvider();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddMiraflow();
        using ServiceProvider provider = services.BuildServiceProvider(Strict);
        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
    }

    [Theory]
    [InlineData(nameof(MiraflowOptions.EncodeCapacity))]
    [InlineData(nameof(MiraflowOptions.SendCapacity))]
    [InlineData(nameof(MiraflowOptions.StopBudget))]
    [InlineData(nameof(MiraflowOptions.DefaultBitrate))]
    [InlineData(nameof(MiraflowOptions.PsiInterval))]
    [InlineData(nameof(MiraflowOptions.EncoderKey))]
    public void Invalid_options_fail_startup_validation(string name)
    {
        var services = new ServiceCollection();
        services.AddMiraflow(o =>
        {
            switch (name)
            {
                case nameof(MiraflowOptions.EncodeCapacity): o.EncodeCapacity = 9; break;
                case nameof(MiraflowOptions.SendCapacity): o.SendCapacity = 0; break;
                case nameof(MiraflowOptions.StopBudget): o.StopBudget = TimeSpan.Zero; break;
                case nameof(MiraflowOptions.DefaultBitrate): o.DefaultBitrate = 1_000; break;
                case nameof(MiraflowOptions.PsiInterval): o.PsiInterval = TimeSpan.FromMilliseconds(101); break;
                default: o.EncoderKey = " "; break;
            }
        });

        // ValidateOnBuild checks the graph, not option values: the driver calls the startup validator.
        using ServiceProvider provider = services.BuildServiceProvider(Strict);
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MiraflowOptions>>().Value);
    }

    [Fact]
    public void Blocks_are_registered_once_per_type()
    {
        var services = new ServiceCollection();
        services.AddMiraflow().AddBlock<CountingStage>().AddBlock<CountingStage>().AddBlock(new OtherStage());
        using ServiceProvider provider = services.BuildServiceProvider(Strict);
        Assert.Equal(2, provider.GetServices<IPipelineStage>().Count());
    }

    [Fact]
    public void Builder_arguments_are_checked()
    {
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddMiraflow());
        IMiraflowBuilder builder = new ServiceCollection().AddMiraflow();
        Assert.Throws<ArgumentException>(() => builder.UseEncoder(""));
        Assert.Throws<ArgumentNullException>(() => builder.ConfigureTransport(null!));
        Assert.Throws<ArgumentNullException>(() => builder.UseFrameSource(null!));
    }

    private sealed class FixedTimeProvider : TimeProvider;

    private sealed class CountingStage : IPipelineStage
    {
        public EncodedFrame? Process(EncodedFrame unit) => unit;
    }

    private sealed class OtherStage : IPipelineStage
    {
        public EncodedFrame? Process(EncodedFrame unit) => unit;
    }
}

/// <summary>Sessions made by <see cref="IMediaPipelineFactory"/>, sending to a loopback socket.</summary>
[Trait("Category", "integration")]
public sealed class MediaPipelineFactoryTests
{
    internal static readonly NegotiatedFormat Format = new(VideoModes.Cea[0], H264Profiles.ConstrainedBaseline, H264Levels.Level31, null);
    internal static readonly NegotiatedFormat FormatWithLpcm = Format with { Audio = new AudioCodec(Rtsp.Parameters.AudioFormat.Lpcm, 0b10, 0) };
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    [Fact]
    public async Task A_passthrough_session_sends_rtp_to_loopback_and_returns_every_lease()
    {
        using var receiver = new LoopbackReceiver();
        var services = new ServiceCollection();
        services.AddMiraflow(o => o.StopBudget = TimeSpan.FromSeconds(5)).UseEncoder(MiraflowEncoders.PassThrough);
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);
        provider.GetRequiredService<IStartupValidator>().Validate();

        MediaSession session = provider.GetRequiredService<IMediaPipelineFactory>().Create(new PipelineRequest(receiver.EndPoint, Format, 2_000_000));
        try
        {
            Assert.Equal(MiraflowEncoders.PassThrough, session.EncoderKey);
            Assert.Null(session.Encoder);
            Assert.Null(session.AudioSource); // the format has no audio
            Assert.IsType<TestPictureSource>(session.FrameSource);
            Assert.Equal(2_000_000, session.BitrateController.Target);

            const int Units = 10;
            for (int i = 0; i < Units; i++)
            {
                bool idr = i % 5 == 0;
                EncodedFrame unit = EncodedFrame.Create(idr ? Concat(Aud, Sps, Pps, IdrSlice(3000)) : Concat(Aud, NonIdrSlice(1500)));
                unit.FrameNumber = (ulong)i;
                unit.CaptureTime = session.Clock.Now;
                Assert.True(session.Pipeline.Post(unit));
                await WaitUntil(() => session.Pipeline.Statistics.VideoUnitsSent == i + 1);
            }

            Assert.True(await session.Pipeline.StopAsync());
            long datagrams = session.Pipeline.Statistics.DatagramsSent;
            Assert.True(datagrams >= Units);
            await receiver.WaitForCountAsync(datagrams, TimeSpan.FromSeconds(5));
            Assert.Equal(datagrams, receiver.Count);
        }
        finally
        {
            await session.DisposeAsync();
        }

        Assert.Equal(0, session.Pipeline.OutstandingLeases);
        await session.DisposeAsync(); // idempotent
    }

    [Fact]
    public async Task Frame_source_audio_source_and_encoder_can_be_replaced()
    {
        using var receiver = new LoopbackReceiver();
        var frames = new List<IFrameSource>();
        var services = new ServiceCollection();
        services.AddMiraflow()
            .AddEncoder<FakeEncoderFactory>("fake")
            .UseEncoder("fake")
            .UseFrameSource((sp, clock, format) =>
            {
                IFrameSource source = TestPictureSource.ForMode(clock, format.Mode, pacing: FramePacing.Unpaced);
                frames.Add(source);
                return source;
            })
            .UseAudioSource((sp, clock, format) => new ToneAudioSource(clock, 48_000, leftHz: 440))
            .ConfigureTransport(o => o.SendBufferSize = 256 * 1024);
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);
        provider.GetRequiredService<IStartupValidator>().Validate();

        await using MediaSession session = provider.GetRequiredService<IMediaPipelineFactory>().Create(new PipelineRequest(receiver.EndPoint, FormatWithLpcm));
        Assert.Equal("fake", session.EncoderKey);
        Assert.IsType<FakeEncoder>(session.Encoder);
        Assert.Same(frames.Single(), session.FrameSource);
        Assert.IsType<ToneAudioSource>(session.AudioSource);
        Assert.Equal(5_000_000, session.BitrateController.Target); // the default bitrate
        Assert.Equal(48_000, session.Muxer.Audio.SampleRate);
    }

    [Fact]
    public async Task Frame_source_type_is_built_with_clock_format_and_services()
    {
        var services = new ServiceCollection();
        services.AddMiraflow().UseEncoder(MiraflowEncoders.PassThrough).UseFrameSource<EmptySource>();
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);
        using var receiver = new LoopbackReceiver();
        await using MediaSession session = provider.GetRequiredService<IMediaPipelineFactory>().Create(new PipelineRequest(receiver.EndPoint, Format));
        EmptySource source = Assert.IsType<EmptySource>(session.FrameSource);
        Assert.Same(session.Clock, source.Clock);
        Assert.Same(Format, source.Format);
        Assert.Same(TimeProvider.System, source.Time);
    }

    [Fact]
    public async Task A_requested_bitrate_above_the_level_starts_the_real_encoder_at_the_level_maximum()
    {
        // The Windows OS offers the link rate (often 20 Mbit/s and more) as the start rate; level 3.1 allows 14 Mbit/s.
        var services = new ServiceCollection();
        services.AddMiraflow().UseFrameSource<EmptySource>();
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);
        using var receiver = new LoopbackReceiver();
        await using MediaSession session = provider.GetRequiredService<IMediaPipelineFactory>().Create(new PipelineRequest(receiver.EndPoint, Format, 20_000_000));
        Assert.IsType<OpenH264Encoder>(session.Encoder);
        Assert.Equal(OpenH264Encoder.LevelMaxBitrate(H264Levels.Level31), session.BitrateController.Target);
    }

    [Fact]
    public async Task An_unknown_encoder_key_fails_at_create()
    {
        var services = new ServiceCollection();
        services.AddMiraflow().UseEncoder("nope");
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);
        using var receiver = new LoopbackReceiver();
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMediaPipelineFactory>().Create(new PipelineRequest(receiver.EndPoint, Format)));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private sealed class FakeEncoderFactory : IVideoEncoderFactory
    {
        public IVideoEncoder? Create(EncoderSettings settings) => new FakeEncoder(settings);
    }

    private sealed class FakeEncoder(EncoderSettings settings) : IVideoEncoder
    {
        public EncoderSettings Settings { get; } = settings;

        public EncodedFrame? Encode(VideoFrame picture) => null;

        public void RequestIdr()
        {
        }

        public void SetBitrate(int targetBitrate, int maxBitrate = 0)
        {
        }

        public void SetFrameRate(double frameRate)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class EmptySource(MediaClock clock, NegotiatedFormat format, TimeProvider time) : IFrameSource
    {
        public MediaClock Clock { get; } = clock;

        public NegotiatedFormat Format { get; } = format;

        public TimeProvider Time { get; } = time;

        public FrameSourceInfo Info => new(Format.Mode.Width, Format.Mode.Height, Format.Mode.FramesPerSecond, Encoded: true);

        public ValueTask<MediaFrame?> ReadFrameAsync(CancellationToken cancellationToken) => ValueTask.FromResult<MediaFrame?>(null);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
