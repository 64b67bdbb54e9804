/**
 * The smallest power of two >= x, for a finite x > 0, capped at 2^1023 (dividing by it
 * then leaves values of at most 2). Dividing by a power of two is exact, so it brings
 * a column of any finite magnitude near 1 without changing what it says.
 */
export function powerOfTwoAtLeast(x: number): number {
  const exponent = Math.min(1023, Math.ceil(Math.log2(x)));
  let power = 2 ** exponent;
  // log2 can round across an integer; one step either way corrects it.
  if (power < x && exponent < 1023) power *= 2;
  else if (power / 2 >= x) power /= 2;
  return power;
}
