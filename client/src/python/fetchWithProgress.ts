/**
 * Download several files at once, reporting the bytes received so far against the
 * sum of their Content-Length headers. Each answer comes back as a fresh Response
 * (same status and headers) whose body is already in memory.
 */
export async function fetchWithProgress(
  urls: readonly string[],
  onProgress: (loadedBytes: number, totalBytes: number | null) => void,
): Promise<Map<string, Response>> {
  const responses = await Promise.all(urls.map((url) => fetch(url)));
  const failed = responses.find((response) => !response.ok);
  if (failed) throw new Error(`${failed.url} answered ${failed.status} ${failed.statusText}`);
  const lengths = responses.map((response) => Number(response.headers.get('Content-Length') ?? NaN));
  const totalBytes = lengths.every(Number.isFinite) ? lengths.reduce((sum, n) => sum + n, 0) : null;
  let loadedBytes = 0;
  const report = (chunkBytes: number) => {
    loadedBytes += chunkBytes;
    // A compressed transfer counts decoded bytes against encoded lengths: never claim more than 99%.
    onProgress(totalBytes ? Math.min(loadedBytes, totalBytes * 0.99) : loadedBytes, totalBytes);
  };
  const bodies = await Promise.all(responses.map((response) => readAll(response, report)));
  return new Map(
    responses.map((response, i) => [
      urls[i] ?? response.url,
      new Response(bodies[i], { status: response.status, headers: response.headers }),
    ]),
  );
}

async function readAll(response: Response, report: (chunkBytes: number) => void): Promise<Blob> {
  if (!response.body) return response.blob();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    report(value.byteLength);
  }
  return new Blob(chunks);
}
