/** The privacy notice's version; a postulante's consent stores it with the time (Ley 29733). */
export const PRIVACY_NOTICE_VERSION = "2026-11-26";
