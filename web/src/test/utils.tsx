import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import {
  AxiosError,
  AxiosHeaders,
  type AxiosAdapter,
  type InternalAxiosRequestConfig,
} from 'axios';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { ToastProvider } from '../components/ui/ToastProvider';
import { http } from '../lib/client';
import type { Config } from '../types/api';
import { AuthContext, type AuthState } from '../features/auth/AuthContext';

export interface MockResponse {
  status?: number;
  data?: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  url: string;
  params: Record<string, string>;
  data: unknown;
  headers: Record<string, unknown>;
}

/**
 * Replaces the shared axios instance's adapter: every request is recorded and
 * answered by `handler`; non-2xx answers reject like a real response would.
 */
export function mockApi(handler: (req: RecordedRequest) => MockResponse | Promise<MockResponse>) {
  const requests: RecordedRequest[] = [];
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const req: RecordedRequest = {
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
      params: (config.params as Record<string, string>) ?? {},
      data: typeof config.data === 'string' && config.data ? JSON.parse(config.data) : config.data,
      headers: AxiosHeaders.from(config.headers).toJSON(),
    };
    requests.push(req);
    const answer = await handler(req);
    const status = answer.status ?? 200;
    const response = {
      data: answer.data ?? '',
      status,
      statusText: String(status),
      headers: AxiosHeaders.from(answer.headers ?? {}),
      config,
      request: {},
    };
    if (status >= 200 && status < 300) return response;
    throw new AxiosError(
      `Request failed with status code ${status}`,
      status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST,
      config,
      {},
      response,
    );
  };
  http.defaults.adapter = adapter;
  return { requests };
}

export function problem(status: number, code: string, detail: string, extra: object = {}) {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    data: { type: 'about:blank', title: code, status, detail, code, ...extra },
  };
}

export function testQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } },
  });
}

/** What /api/me answers for the signed-in test user. */
export const testMe = {
  user: {
    id: 'u1',
    email: 'ada@example.com',
    display_name: 'Ada',
    created_at: '2026-01-01T00:00:00Z',
  },
  usage: {
    images: 0,
    storage_bytes: 0,
    generations_this_month: 0,
    monthly_quota: 500,
    trash_images: 0,
    trash_bytes: 0,
    cost_this_month_usd: 0,
    drafts_this_month: 0,
    monthly_draft_quota: 1000,
    resets_at: '2027-01-01T00:00:00Z',
  },
};

const signedIn: AuthState = {
  mode: 'local',
  status: 'signed-in',
  ...testMe,
  signOut: async () => {},
};

export function Providers({
  children,
  client = testQueryClient(),
  route = '/',
  auth = signedIn,
}: {
  children: ReactNode;
  client?: QueryClient;
  route?: string;
  auth?: AuthState;
}) {
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>
        <AuthContext.Provider value={auth}>
          <MemoryRouter initialEntries={[route]}>{children}</MemoryRouter>
        </AuthContext.Provider>
      </ToastProvider>
    </QueryClientProvider>
  );
}

export function renderWithProviders(
  ui: ReactElement,
  options: { client?: QueryClient; route?: string; auth?: AuthState } = {},
) {
  const client = options.client ?? testQueryClient();
  return {
    client,
    ...render(
      <Providers client={client} route={options.route} auth={options.auth}>
        {ui}
      </Providers>,
    ),
  };
}

export function makeConfig(
  overrides: Partial<Config['generation']> = {},
  promptMax = 2000,
): Config {
  return {
    auth: { mode: 'local', clerk_publishable_key: null },
    generation: {
      provider: 'offline',
      default_model: 'offline-preview',
      models: [
        {
          id: 'offline-preview',
          label: 'Offline preview engine',
          steps: { min: 1, max: 8, default: 4 },
          width: { min: 256, max: 1440, multiple_of: 16 },
          height: { min: 256, max: 1440, multiple_of: 16 },
          max_images: 4,
          negative_prompt: false,
          price_per_megapixel_usd: 0,
        },
      ],
      aspect_ratios: [
        { id: '1:1', width: 1024, height: 1024 },
        { id: '4:3', width: 1024, height: 768 },
        { id: '9:16', width: 768, height: 1344 },
      ],
      styles: [
        { id: 'none', label: 'None' },
        { id: 'watercolor', label: 'Watercolor' },
      ],
      ...overrides,
    },
    limits: {
      prompt_max_chars: promptMax,
      generations_per_minute: 10,
      monthly_quota: 500,
      trash_retention_days: 30,
      drafts_per_minute: 60,
      monthly_draft_quota: 1000,
      draft_ttl_secs: 3600,
      export_max_images: 1000,
      export_ttl_hours: 24,
    },
  };
}
