import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The catalog's remote UI module. Served by the catalog service at /plugins/catalog/ (through the
// gateway), so that is its base. Its federation name is the plugin id; it shares what the shell shares.
export default defineConfig({
  root: import.meta.dirname,
  base: '/plugins/catalog/',
  plugins: [
    react(),
    federation({
      name: 'catalog',
      filename: 'remoteEntry.js',
      exposes: {
        './CatalogPage': './src/CatalogPage.tsx',
      },
      shared: {
        react: { singleton: true },
        'react-dom': { singleton: true },
        'react-router': { singleton: true },
        '@portal/ui': { singleton: true },
      },
      dts: false,
    }),
  ],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    // A remote has no page of its own: its entries are remoteEntry.js and the exposed modules.
    rollupOptions: { input: { catalog: 'src/CatalogPage.tsx' } },
  },
});
