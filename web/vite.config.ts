/// <reference types="vitest/config" />
// Build: one chunk per area (public, patient, doctor, admin) through lazy
// routes, the PWA service worker (shell + last-seen appointments), and the
// offline API docs UI copied next to the app (served by the gateway at
// /api/docs). Nothing is loaded from a CDN and nothing needs inline script.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const require = createRequire(import.meta.url);

/** Copies Swagger UI's bundle and stylesheet to dist/api-docs/. */
function apiDocs(): Plugin {
  return {
    name: 'quickcare-api-docs',
    apply: 'build',
    writeBundle(options) {
      const from = dirname(require.resolve('swagger-ui-dist/package.json'));
      const to = join(options.dir ?? 'dist', 'api-docs');
      mkdirSync(to, { recursive: true });
      for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) copyFileSync(join(from, file), join(to, file));
      copyFileSync('docs/init.js', join(to, 'init.js'));
    },
  };
}

/**
 * Writes `<file>.gz` next to every compressible file of the build; the
 * gateway sends it to clients that accept gzip (no compression at run time).
 */
function precompress(): Plugin {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
  return {
    name: 'quickcare-precompress',
    apply: 'build',
    closeBundle: {
      order: 'post',
      handler() {
        for (const file of walk('dist')) {
          if (!/\.(js|css|html|json|svg|webmanifest)$/.test(file)) continue;
          const body = readFileSync(file);
          if (body.length >= 1024) writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
        }
      },
    },
  };
}

const notApp = [/^\/api\//, /^\/health\//, /^\/metrics/, /^\/\.well-known\//, /^\/assets\//];

export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    apiDocs(),
    precompress(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script-defer',
      includeAssets: ['icon.svg'],
      manifest: {
        name: 'QuickCare',
        short_name: 'QuickCare',
        description: 'Find a doctor and book an appointment.',
        theme_color: '#0f766e',
        background_color: '#ffffff',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2}'],
        globIgnores: ['api-docs/**', '**/*.gz'],
        navigateFallback: '/index.html',
        navigateFallbackDenylist: notApp,
        clientsClaim: true,
        skipWaiting: true,
        runtimeCaching: [
          {
            // The last-seen "my appointments" (and the doctors they name), for offline.
            urlPattern: ({ url, request }) =>
              request.method === 'GET' &&
              (url.pathname === '/api/v1/appointments' || /^\/api\/v1\/doctors\/\d+$/.test(url.pathname)),
            handler: 'NetworkFirst',
            options: { cacheName: 'last-seen', networkTimeoutSeconds: 5, expiration: { maxEntries: 60 } },
          },
        ],
      },
    }),
  ],
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // Libraries shared by several areas, named so the bundle report reads.
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          // React first: a manual chunk takes its modules' dependencies along,
          // and the shell must not import the others to get React.
          if (/[\\/]node_modules[\\/](react|react-dom|scheduler|use-sync-external-store)[\\/]/.test(id)) return 'react';
          if (/react-aria|@react-aria|@react-stately|@internationalized|@react-types|@swc\/helpers/.test(id)) return 'aria';
          if (/[\\/](zod|react-hook-form|@hookform)[\\/]/.test(id)) return 'forms';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/.well-known': 'http://127.0.0.1:8080' } },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
  },
});
