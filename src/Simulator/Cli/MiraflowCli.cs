using System.CommandLine;

namespace Miraflow.Simulator.Cli;

/// <summary>
/// The <c>miraflow</c> command line (System.CommandLine): the root command, the global
/// <c>--verbose</c> option, and one way for every command to fail: one line on standard error,
/// a documented exit code (<see cref="ExitCodes"/>), the stack trace only with <c>--verbose</c>.
/// </summary>
public static class MiraflowCli
{
    /// <summary>Shows stack traces and debug detail; every command accepts it.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show stack traces and debug detail",
        Recursive = true,
    };

    /// <summary>Parses <paramref name="args"/>, runs the command, and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        RootCommand root = CreateRoot();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (System.CommandLine.Parsing.ParseError parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"miraflow: {parseError.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("Try 'miraflow --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            await WriteErrorAsync(error, e.Message, parsed.GetValue(Verbose) ? e : null).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("miraflow: cancelled").ConfigureAwait(false);
            return ExitCodes.SessionFailed;
        }
        catch (Exception e)
        {
            await WriteErrorAsync(error, $"{e.GetType().Name}: {e.Message}", parsed.GetValue(Verbose) ? e : null).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("miraflow: a Miracast (Wi-Fi Display) source driver, its simulated OS and kernel driver, and a WFD sink, on loopback");
        root.Options.Add(Verbose);
        root.Subcommands.Add(Commands.DemoCommand.Create());
        root.Subcommands.Add(Commands.StabilityCommand.Create());
        root.Subcommands.Add(Commands.SourceCommand.Create());
        root.Subcommands.Add(Commands.SinkCommand.Create());
        root.Subcommands.Add(Commands.NegotiateCommand.Create());
        root.Subcommands.Add(Commands.AnalyzeCommand.Create());

        // Without an action of its own, a root with subcommands reports "Required command was not
        // provided" before an unknown command's "Unrecognized command or argument".
        root.SetAction(async (ParseResult result, CancellationToken _) =>
        {
            await result.InvocationConfiguration.Error.WriteLineAsync("miraflow: a command is required.\nTry 'miraflow --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        });
        return root;
    }

    private static async Task WriteErrorAsync(TextWriter error, string message, Exception? detail)
    {
        await error.WriteLineAsync($"miraflow: error: {message}").ConfigureAwait(false);
        if (detail is not null)
        {
            await error.WriteLineAsync(detail.ToString()).ConfigureAwait(false);
        }
    }
}

/// <summary>A failure a command reports to the user: one line, and the exit code to end with.</summary>
public sealed class CliException : Exception
{
    /// <summary>Creates the failure.</summary>
    public CliException(int exitCode, string message, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    /// <summary>The <c>--out</c> file could not be created or written (<see cref="ExitCodes.BadInput"/>).</summary>
    public static CliException CannotWriteOut(string path, Exception error) =>
        new(ExitCodes.BadInput, $"--out {path}: cannot write it: {error.Message}", error);

    /// <summary>A session command's checks: nothing when <paramref name="failures"/> is empty, else <see cref="ExitCodes.CheckFailed"/> naming them all.</summary>
    public static void ThrowIfChecksFailed(IReadOnlyList<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (failures.Count > 0)
        {
            throw new CliException(ExitCodes.CheckFailed, $"{failures.Count} check(s) failed: {string.Join("; ", failures)}");
        }
    }

    /// <summary>Creates an internal failure with a message.</summary>
    public CliException()
        : this(ExitCodes.InternalError, "miraflow failed")
    {
    }

    /// <summary>Creates an internal failure with a message.</summary>
    public CliException(string message)
        : this(ExitCodes.InternalError, message)
    {
    }

    /// <summary>Creates an internal failure with a message and its cause.</summary>
    public CliException(string message, Exception innerException)
        : this(ExitCodes.InternalError, message, innerException)
    {
    }

    /// <summary>The exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; }
}
