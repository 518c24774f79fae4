/**
 * Where the IDE keeps the admin token: localStorage, so a second tab or a deep link
 * opened later stays signed in; "Sign out" removes it (from every tab of this origin).
 */
export const TOKEN_STORAGE_KEY = 'plinth.token';

/** The stored token, or null (also where storage is unavailable, as in a worker). */
export function readStoredToken(): string | null {
  try {
    return globalThis.localStorage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * The admin token: taken from `?token=` on first load (then removed from the
 * address bar so it does not end up in bookmarks or screenshots) and kept.
 */
export function readTokenFromLocation(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl !== '') {
    storeToken(fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return readStoredToken();
}

export function storeToken(token: string): void {
  try {
    localStorage.setItem(TOKEN_STORAGE_KEY, token);
  } catch {
    // Storage disabled: the token lives as long as this page.
  }
}

export function clearToken(): void {
  try {
    localStorage.removeItem(TOKEN_STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}

/** Calls `onChange` when another tab of this origin signs in or out. */
export function watchTokenInOtherTabs(onChange: (token: string | null) => void): () => void {
  const listener = (event: StorageEvent) => {
    if (event.key === TOKEN_STORAGE_KEY || event.key === null) onChange(readStoredToken());
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}
