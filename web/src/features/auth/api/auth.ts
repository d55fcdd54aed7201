import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { http } from '../../../lib/client';
import { ApiError } from '../../../lib/errors';
import { queryKeys } from '../../../lib/queryKeys';
import type { LoginRequest, Me, SignUpRequest, UserResponse } from '../../../types/api';

/** The signed-in user and usage, or null when signed out (401). */
export async function getMe(): Promise<Me | null> {
  try {
    const { data } = await http.get<Me>('/me');
    return data;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function signUp(body: SignUpRequest): Promise<UserResponse> {
  const { data } = await http.post<UserResponse>('/auth/signup', body);
  return data;
}

export async function logIn(body: LoginRequest): Promise<UserResponse> {
  const { data } = await http.post<UserResponse>('/auth/login', body);
  return data;
}

export async function logOut(): Promise<void> {
  await http.post('/auth/logout');
}

export const meQueryOptions = () =>
  queryOptions({ queryKey: queryKeys.me, queryFn: getMe, staleTime: 30_000 });

export function useMe(enabled = true) {
  return useQuery({ ...meQueryOptions(), enabled });
}

/**
 * Signed in, signed out (the server said 401), or unreachable: a failed
 * request with no answer on record says nothing about the session.
 */
export function meStatus(me: {
  data: Me | null | undefined;
  isError: boolean;
}): 'loading' | 'signed-in' | 'signed-out' | 'unreachable' {
  if (me.data) return 'signed-in';
  if (me.data === null) return 'signed-out';
  return me.isError ? 'unreachable' : 'loading';
}

/** A new identity: forget everything cached for the previous one, then load "me". */
async function startSession(qc: QueryClient): Promise<void> {
  qc.removeQueries({ queryKey: queryKeys.images });
  await qc.fetchQuery({ ...meQueryOptions(), staleTime: 0 });
}

export function useSignUp() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: signUp,
    onSuccess: () => startSession(qc),
  });
}

export function useLogIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: logIn,
    onSuccess: () => startSession(qc),
  });
}

/**
 * Ends the session, then reloads at the home page: nothing of the previous
 * account survives in memory, and no protected page is left mounted to
 * bounce through sign-in on the way out.
 */
export function useLogOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: logOut,
    onSettled: () => {
      qc.clear();
      window.location.replace('/');
    },
  });
}
