// `node --import` this to run a built bundle without Electron: 'electron', imported or required,
// resolves to the stand-in module electron-stub.ts; everything else resolves as usual.
import { registerHooks } from 'node:module';

const stub = new URL('./electron-stub.ts', import.meta.url).href;

registerHooks({
  resolve: (specifier, context, nextResolve) =>
    specifier === 'electron' ? { url: stub, shortCircuit: true } : nextResolve(specifier, context),
});
