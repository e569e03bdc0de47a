using System.Diagnostics;
using Mediator;
using Microsoft.Extensions.Logging;

namespace VitalEvents.Pipeline;

/// <summary>Traces, counts and logs every command and query with its outcome and duration; national codes stay out of the log.</summary>
public sealed class ObservingBehavior<TMessage, TResponse>(ILogger<ObservingBehavior<TMessage, TResponse>> logger, RequestContext context)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    private static readonly string MessageName = typeof(TMessage).Name;

    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        // The session this message uses was created first and opened Marten's connection span; a session that begins its
        // transaction early (a commit, a newborn's serial) drops that span without ending it, so it ends with the message.
        var session = Activity.Current is { Source.Name: "Marten", IsStopped: false } opened ? opened : null;
        var activity = Telemetry.Source.StartActivity(MessageName);
        activity?.SetTag("vitalevents.user", context.UserId);
        activity?.SetTag("vitalevents.correlation_id", context.CorrelationId);
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var response = await next(message, cancellationToken);
            outcome = context.Replayed ? "replayed" : message is IBaseCommand ? "committed" : "read";
            logger.LogInformation("{Message} by {User} ({Correlation}) {Outcome} in {Elapsed} ms", MessageName, context.UserId,
                context.CorrelationId, outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception e) when (e is RuleViolationException or ValidationException or PreconditionFailedException or IdempotencyKeyReusedException)
        {
            outcome = "refused";
            logger.LogInformation("{Message} by {User} ({Correlation}) refused: {Reason}", MessageName, context.UserId, context.CorrelationId,
                e is RuleViolationException r ? r.Violation.Code : e.GetType().Name);
            throw;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            logger.LogWarning("{Message} by {User} ({Correlation}) failed: {Error}", MessageName, context.UserId, context.CorrelationId, e.GetType().Name);
            throw;
        }
        finally
        {
            activity?.SetTag("vitalevents.outcome", outcome);
            activity?.Dispose();
            session?.Stop();
            if (message is IBaseCommand)
            {
                var tags = new TagList { { "command", MessageName }, { "outcome", outcome } };
                Telemetry.Commands.Add(1, tags);
                Telemetry.CommandDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, tags);
            }
        }
    }
}
