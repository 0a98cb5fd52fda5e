// Svelte compiler options for the renderer: runes mode everywhere (Svelte 5).
export default {
  compilerOptions: { runes: true },
};
