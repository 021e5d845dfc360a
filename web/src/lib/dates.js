// Calendar days as `YYYY-MM-DD` strings: parsing, stepping and words.
// Owns date arithmetic for the page; knows nothing of the zone or the
// catalog (the period and its change dates come from the server).

const DAY_MS = 86400000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

/** `YYYY-MM-DD` → days since 1970-01-01 (UTC). */
export function dayNumber(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

/** Days since 1970-01-01 → `YYYY-MM-DD`. */
export function isoDay(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a string is a real calendar day written `YYYY-MM-DD` (so not 2022-02-30). */
export function isIsoDay(s) {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && isoDay(dayNumber(s)) === s;
}

/** The day `n` days after `iso` (before, when negative). */
export function addDays(iso, n) {
  return isoDay(dayNumber(iso) + n);
}

/** `2022-03-01` → `1 March 2022`. */
export function longDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}

/** `2022-03-01` → `1 Mar 2022`. */
export function shortDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m - 1].slice(0, 3)} ${y}`;
}

/** `2022-03-01` → `Mar 2022`. */
export function monthYear(iso) {
  const [y, m] = iso.split('-').map(Number);
  return `${MONTHS[m - 1].slice(0, 3)} ${y}`;
}
