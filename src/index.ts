/** Public library API. The CLI (src/cli) is a thin shell over these. */
export * from './model/index.ts';
export * from './errors.ts';
export { VERSION } from './version.ts';
export { main } from './cli/main.ts';
