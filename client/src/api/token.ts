/** Where the IDE keeps the admin token for the browser session (sessionStorage). */
export const TOKEN_STORAGE_KEY = 'plinth.token';

/**
 * The admin token: taken from `?token=` on first load (then removed from the
 * address bar so it does not end up in bookmarks or screenshots) and kept for
 * the browser session.
 */
export function readTokenFromLocation(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null && fromUrl !== '') {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_STORAGE_KEY);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_STORAGE_KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(TOKEN_STORAGE_KEY);
}
