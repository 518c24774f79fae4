import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Pyodide's interrupt buffer needs SharedArrayBuffer, which needs cross-origin isolation.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const API_SERVER = process.env.PLINTH_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  server: {
    headers: ISOLATION_HEADERS,
    proxy: { '/api': API_SERVER, '/trpc': API_SERVER, '/healthz': API_SERVER },
  },
  preview: { headers: ISOLATION_HEADERS },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
