// Small statistics helpers shared by the scenarios.
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))
  return s[i]
}

export function fmt(n, digits = 1) {
  if (!Number.isFinite(n)) return '-'
  if (Math.abs(n) >= 1e6) return (n / 1e6).toFixed(digits) + 'M'
  if (Math.abs(n) >= 1e4) return (n / 1e3).toFixed(digits) + 'k'
  return n.toFixed(digits)
}

export function pct(ratio) {
  return Number.isFinite(ratio) ? (ratio * 100).toFixed(0) + '%' : '-'
}
