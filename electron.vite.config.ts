// `electron-vite build`: main (+ the run worker as a second entry), the sandboxed preload (CommonJS), and the
// renderer — into out/main, out/preload, out/renderer. Native modules stay external (loaded from node_modules,
// unpacked from the asar by electron-builder.yml).
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const at = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const NATIVE = ['better-sqlite3', 'serialport', /^@serialport\//];

export default defineConfig({
  main: {
    build: {
      outDir: at('./out/main'),
      externalizeDeps: true,
      rolldownOptions: {
        input: {
          index: at('./main/electron/main.ts'),
          'run-worker': at('./main/runs/run-worker.ts'),
        },
        external: NATIVE,
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: at('./out/preload'),
      // A sandboxed preload cannot load modules: bundle everything (only `electron` stays external).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: at('./main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: at('./renderer'),
    base: './',
    plugins: [svelte({ configFile: at('./renderer/svelte.config.js') })],
    build: {
      outDir: at('./out/renderer'),
      target: 'chrome120',
      modulePreload: { polyfill: false },
      rolldownOptions: { input: { index: at('./renderer/index.html') } },
    },
  },
});
