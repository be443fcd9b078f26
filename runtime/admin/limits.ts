/**
 * Throttle limits by rule id, read from a compiled artifact. The artifact carries the IR
 * (compiler/ir/types.ts), whose throttle rules are objects with `kind: 'per-profile-throttle-rule'`;
 * walking the JSON for them keeps this independent of the artifact's envelope.
 */
export interface ThrottleLimits {
  perHour: number | null;
  perDay: number | null;
  persistent: boolean;
}

export function throttleLimits(artifact: unknown): Map<string, ThrottleLimits> {
  const out = new Map<string, ThrottleLimits>();
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) walk(x);
      return;
    }
    const o = v as Record<string, unknown>;
    if (o.kind === 'per-profile-throttle-rule' && typeof o.ruleId === 'string' && !out.has(o.ruleId)) {
      out.set(o.ruleId, {
        perHour: typeof o.perHour === 'number' ? o.perHour : null,
        perDay: typeof o.perDay === 'number' ? o.perDay : null,
        persistent: o.persistent === true,
      });
    }
    for (const x of Object.values(o)) walk(x);
  };
  walk(artifact);
  return out;
}
