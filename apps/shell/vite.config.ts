import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The shell is a Module Federation host that knows no remote at build time: remotes are registered
// at runtime from the gateway's plugin manifests. What it shares, every remote must share too.
const gateway = process.env.PORTAL_GATEWAY_URL ?? 'http://127.0.0.1:7007';

export default defineConfig({
  plugins: [
    react(),
    federation({
      name: 'portal_shell',
      remotes: {},
      shared: {
        react: { singleton: true },
        'react-dom': { singleton: true },
        'react-router': { singleton: true },
        '@portal/ui': { singleton: true },
      },
      dts: false,
    }),
  ],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  // `vite dev` talks to a running portal (npm start) for the API and the remotes.
  server: { proxy: { '/api': gateway, '/plugins': gateway } },
});
