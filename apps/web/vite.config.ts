import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const ROUTER = resolve(__dirname, '../../node_modules/react-router/dist/production');
const API = process.env.VITE_API_URL ?? 'http://127.0.0.1:3000';

/**
 * The CoP Hub web app. JSX is compiled by esbuild directly (automatic runtime), so no React plugin
 * is needed. In development `/api`, `/socket.io`, `/dev` and `/health` are proxied to the API; in
 * production the API serves `dist/web` itself.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  publicDir: false,
  esbuild: { jsx: 'automatic' },
  resolve: {
    // react-router's package exports point at its development build; production has no dev warnings.
    alias:
      process.env.NODE_ENV === 'development'
        ? []
        : [
            { find: /^react-router$/, replacement: resolve(ROUTER, 'index.mjs') },
            { find: /^react-router\/dom$/, replacement: resolve(ROUTER, 'dom-export.mjs') },
          ],
  },
  build: {
    outDir: process.env.WEB_OUT_DIR ?? resolve(__dirname, '../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One stylesheet: the NHS.UK styles are shared by every page.
    cssCodeSplit: false,
    reportCompressedSize: false,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: API, changeOrigin: true },
      '/socket.io': { target: API, ws: true, changeOrigin: true },
      '/dev': { target: API, changeOrigin: true },
      '/health': { target: API, changeOrigin: true },
    },
  },
});
