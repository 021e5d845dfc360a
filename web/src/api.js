// The server's API as the page uses it. Every request goes to the server that
// served the page; errors carry the server's own message.

/** An API error: the HTTP status and the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET a JSON answer, or throw an ApiError with the server's message. */
export async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!r.ok) {
    let message = `${r.status} ${r.statusText}`;
    try {
      message = (await r.json())?.error?.message || message;
    } catch { /* not JSON */ }
    throw new ApiError(r.status, message);
  }
  return r.json();
}

const q = (params) => new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== '')).toString();

/** The catalog. */
export const catalog = () => getJson('api/v1/dataset');

/** A layer's features on a date (`flat`: the place layers as flat columns). */
export const layer = (id, date, flat = false) => getJson(`api/v1/layers/${id}?${q({ date, columns: flat ? 'flat' : null })}`);

/** A layer's download URL: on a date, or all versions when `date` is null; GeoJSON unless `format` names another. */
export const layerUrl = (id, date, { flat = false, format = null } = {}) =>
  `api/v1/layers/${id}?${q({ date, format: format === 'geojson' ? null : format, columns: flat ? 'flat' : null, download: 1 })}`;

/**
 * The verdict card (PNG, 1200×630) for a checked point on a date, labelled
 * in the map's language (`dual` labels are the server's display names).
 */
export const cardUrl = ({ lat, lon, place, date, uncertainty, lang }) =>
  `api/v1/card?${q({ lat: place ? null : lat, lon: place ? null : lon, q: place, date, uncertainty_m: uncertainty || null, lang: lang === 'dual' ? null : lang, format: 'png' })}`;

/** The verdict for a point (or a query the server resolves) on a date. */
export const locate = ({ lat, lon, query, date, uncertainty }) =>
  getJson(`api/v1/locate?${q({ lat: query ? null : lat, lon: query ? null : lon, q: query, date, uncertainty_m: uncertainty || null })}`);

/** Places matching a name in any spelling or script. */
export const places = (text, limit = 8) => getJson(`api/v1/places?${q({ q: text, limit })}`);

/** A coordinate in any notation the server reads, or an ApiError saying why not. */
export const parse = (text) => getJson(`api/v1/parse?${q({ q: text })}`);
