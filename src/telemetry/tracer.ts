import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider } from '@opentelemetry/sdk-trace';
import { continueTrace, type TraceContext } from './trace-context.js';

/** The span of one client request; its children are recorded after they happened (start + duration). */
export interface RequestSpan {
  readonly trace: TraceContext;
  /** True when spans of this request are exported. */
  readonly recording: boolean;
  child(name: string, kind: 'client' | 'internal', startedAt: number, durationMs: number, attributes: Attributes, failed: boolean): void;
  end(attributes: Attributes, failed: boolean): void;
}

export interface Tracer {
  /**
   * Continues the caller's trace (or starts one); `rejected` when its traceparent was malformed.
   * `attributes` is only called when the span is exported.
   */
  start(traceparent: string | null, tracestate: string | null, attributes: () => Attributes): { span: RequestSpan; rejected: boolean };
  close(): Promise<void>;
}

export interface TracerOptions {
  /** OTLP/HTTP endpoint; without it nothing is exported, but ids are still made and propagated. */
  otlpEndpoint?: string;
  otlpHeaders?: Record<string, string>;
  serviceName: string;
  sampleRatio: number;
}

/** The span of a request nothing exports: ids only (a class, so that a request costs no closures). */
class UnrecordedSpan implements RequestSpan {
  readonly recording = false;
  constructor(readonly trace: TraceContext) {}
  child(): void {}
  end(): void {}
}

const NOT_SAMPLED = () => false;

/** `performance.now()` values to epoch milliseconds, which OpenTelemetry accepts as span times. */
const epochMs = (perfNow: number) => performance.timeOrigin + perfNow;

export function createTracer(options: TracerOptions): Tracer {
  if (!options.otlpEndpoint) {
    // Nothing records this trace: new traces say so (flags 00); a caller's decision is passed on.
    return {
      start(traceparent, tracestate) {
        const { trace: context, rejected } = continueTrace(traceparent, tracestate, NOT_SAMPLED);
        return { span: new UnrecordedSpan(context), rejected };
      },
      close: async () => {},
    };
  }
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(options.sampleRatio) }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: options.otlpEndpoint, headers: options.otlpHeaders }) })],
  });
  const tracer = provider.getTracer('junction');
  return {
    start(traceparent, tracestate, attributes) {
      // The header is validated by our own parser, so a malformed one is dropped, never half-used.
      const incoming = continueTrace(traceparent, tracestate, () => true);
      let parent: Context = ROOT_CONTEXT;
      if (incoming.trace.parentSpanId) {
        parent = trace.setSpanContext(ROOT_CONTEXT, {
          traceId: incoming.trace.traceId, spanId: incoming.trace.parentSpanId, traceFlags: parseInt(incoming.trace.flags, 16) & 1, isRemote: true,
        });
      }
      const span = tracer.startSpan('graphql.request', { kind: SpanKind.SERVER, attributes: attributes() }, parent);
      const ids = span.spanContext();
      const context: TraceContext = {
        traceId: ids.traceId, spanId: ids.spanId, parentSpanId: incoming.trace.parentSpanId,
        flags: ids.traceFlags.toString(16).padStart(2, '0'), traceState: incoming.trace.traceState,
      };
      return { span: otelSpan(span, context), rejected: incoming.rejected };
    },
    close: () => provider.shutdown(),
  };

  function otelSpan(span: Span, context: TraceContext): RequestSpan {
    const recording = span.isRecording();
    const inside = trace.setSpan(ROOT_CONTEXT, span);
    return {
      trace: context,
      recording,
      child(name, kind, startedAt, durationMs, attributes, failed) {
        if (!recording) return;
        const child = tracer.startSpan(name, { kind: kind === 'client' ? SpanKind.CLIENT : SpanKind.INTERNAL, startTime: epochMs(startedAt), attributes }, inside);
        if (failed) child.setStatus({ code: SpanStatusCode.ERROR });
        child.end(epochMs(startedAt + durationMs));
      },
      end(attributes, failed) {
        span.setAttributes(attributes);
        if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      },
    };
  }
}
