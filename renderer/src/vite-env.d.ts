// Module shapes Vite provides at build time that TypeScript cannot see on its own.
declare module '*?worker&url' {
  const url: string;
  export default url;
}
