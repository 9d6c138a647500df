/** Root config sections turned into the plain settings workers receive. */
import type { RootConfig } from '../config/root.js'
import type { LoggerSettings, MetricsSettings } from '../protocol/messages.js'

export function loggerSettings(config: RootConfig, levelOverride: string | undefined): LoggerSettings {
  const l = config.logger
  return {
    level: (levelOverride || l.level).toUpperCase(),
    format: l.format === 'json' ? 'json' : 'logfmt',
    addTimestamp: l.add_timestamp,
    staticFields: l.static_fields,
    levelName: l.level_name,
    timestampName: l.timestamp_name,
    messageName: l.message_name,
  }
}

export function metricsSettings(config: RootConfig): MetricsSettings {
  const m = config.metrics
  const prom = m.prometheus
  return {
    mapping: m.mapping ?? '',
    useHistogramTiming: prom?.use_histogram_timing ?? false,
    histogramBuckets: prom?.histogram_buckets ?? [],
    summaryQuantiles: prom?.summary_quantiles_objectives ?? [
      { quantile: 0.5, error: 0.05 },
      { quantile: 0.9, error: 0.01 },
      { quantile: 0.99, error: 0.001 },
    ],
  }
}
