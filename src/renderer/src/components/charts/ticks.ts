/** Tick labels with the precision the axis range needs (chart.js picks the tick positions, we write them). */

/**
 * Decimals of a percent label that keep neighbouring ticks apart: a step of 1 point or more needs
 * none, 0.5 points one, 0.25 points two (steps are fractions: 0.005 = 0.5 %).
 */
export function percentDigits(step: number): number {
  if (!(step > 0) || !Number.isFinite(step)) return 0;
  const points = step * 100;
  for (let digits = 0; digits < 6; digits++) {
    const scaled = points * 10 ** digits;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6 * Math.max(1, scaled)) return digits;
  }
  return 6;
}

/** A fraction as a percent tick label ("15.5 %") with the digits its axis step needs. */
export function percentTick(value: number, step: number): string {
  return `${(value * 100).toFixed(percentDigits(step))} %`;
}

/** The step between chart.js's ticks (0 for fewer than two). */
export function tickStep(ticks: readonly { value: number }[]): number {
  return ticks.length > 1 ? Math.abs(ticks[1]!.value - ticks[0]!.value) : 0;
}
