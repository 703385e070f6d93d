// Norwegian organisation numbers (Brønnøysund): 9 digits, the last a MOD11 check digit.
const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Removes spaces, dots and dashes people type between digit groups ("923 609 016"). */
export function normaliseOrgNumber(input: string): string {
  return input.replace(/[\s.\-\u00a0]/g, "");
}

/** The check digit for the first eight digits, or null when no valid digit exists (remainder 1). */
export function mod11CheckDigit(firstEight: string): number | null {
  if (!/^\d{8}$/.test(firstEight)) return null;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(firstEight[i]) * WEIGHTS[i]!;
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** True for a well-formed organisation number whose check digit matches. */
export function isValidOrgNumber(input: string): boolean {
  const digits = normaliseOrgNumber(input);
  if (!/^\d{9}$/.test(digits)) return false;
  return mod11CheckDigit(digits.slice(0, 8)) === Number(digits[8]);
}
