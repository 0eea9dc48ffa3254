// The web app's build: Preact (JSX through Vite's own oxc transform, no Babel) into web/dist,
// which the express app serves. `npm run dev:web` serves it with hot reload and proxies the API
// to `npm start` on port 3000.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = 'http://127.0.0.1:3000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Maps for our own debugging, without the sourceMappingURL comment; the server never serves them.
    sourcemap: 'hidden',
    // ECharts is the one large dependency: its own chunk, cached apart from the app's code.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      output: { codeSplitting: { groups: [{ name: 'charts', test: /node_modules[\\/](echarts|zrender)/ }] } },
    },
  },
  server: { proxy: { '/api': api, '/auth': api, '/oauth': api, '/docs': api } },
});
