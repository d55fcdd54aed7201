/**
 * The one HTTP client. Same-origin, JSON always (the server rejects
 * cookie-authenticated state changes that are not JSON), every failure turned
 * into an ApiError carrying the server's problem details.
 */
import axios, { type AxiosError } from 'axios';
import { API_BASE } from './env';
import { toApiError } from './errors';

export const http = axios.create({
  baseURL: API_BASE,
  withCredentials: true,
  headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  timeout: 180_000,
});

type TokenGetter = () => Promise<string | null>;
let getToken: TokenGetter | null = null;

/**
 * Seam for bearer-token sign-in (Clerk mode): the auth provider registers a
 * function returning the current session JWT; local mode leaves it unset and
 * relies on the session cookie.
 */
export function setAuthTokenGetter(fn: TokenGetter | null): void {
  getToken = fn;
}

http.interceptors.request.use(async (config) => {
  // Axios drops Content-Type when there is no body; give bodiless POSTs
  // (logout) an empty JSON object so the server's JSON-only rule is satisfied.
  if (config.method?.toLowerCase() === 'post' && config.data === undefined) {
    config.data = {};
  }
  if (getToken) {
    const token = await getToken();
    if (token) config.headers.set('Authorization', `Bearer ${token}`);
  }
  return config;
});

http.interceptors.response.use(undefined, (error: AxiosError) => Promise.reject(toApiError(error)));
