import { constants, type BrotliOptions, type ZlibOptions } from "node:zlib";

/**
 * How pages are compressed, per answer (the compression middleware) and once per kept page
 * (server/public-page-cache.ts). Chosen by `bench/compression-levels.mjs` (bench/README.md,
 * "The deadline-day crowd"): Brotli quality 4 sends 15–20 % fewer bytes than quality 1 or gzip
 * 1 for a fraction of a millisecond more (the list, 45 KiB: about 7.3 KiB), small against a
 * page's rendering; qualities above 6 cost many times more for little. gzip 6 (zlib's default)
 * for the browsers without Brotli.
 */
export const BROTLI_OPTIONS: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } };
export const GZIP_OPTIONS: ZlibOptions = { level: 6 };
