import { Api } from './api';
import type { Principal } from './types';

/** The key is kept for this tab only (sessionStorage): closing the tab logs out, other tabs log in on their own. */
const STORAGE_KEY = 'fedledger.console.apiKey';

export interface Session {
  api: Api;
  principal: Principal;
}

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_KEY);
}

/** Checks the key against the gateway (`GET /auth/whoami`); only a key the gateway accepts is kept. */
export async function logIn(apiKey: string): Promise<Session> {
  const api = new Api(apiKey.trim());
  const principal = await api.get<Principal>('/auth/whoami');
  sessionStorage.setItem(STORAGE_KEY, api.apiKey);
  return { api, principal };
}

export function logOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
