/**
 * Where the API lives. Empty `VITE_API_BASE_URL` (the default) means this
 * site's own `/api`, as when CloudFront routes `/api/*` to the API; set at
 * build time, it points a separately hosted web app at another origin (which
 * then needs `CORS_ALLOWED_ORIGINS` on the server and bearer-token sign-in).
 */
export const API_BASE = `${(import.meta.env.VITE_API_BASE_URL ?? '').replace(/\/+$/, '')}/api`;
