// Writes dist/elk-worker.code-cache: V8's code cache of elkjs after laying out sample exposure maps (an aggregated
// one and a detailed one), which src/io/elk.ts hands to V8 so that a report's one map skips compiling elkjs
// (issue 13). Run after tsc (npm run build). The cache is specific to this node's V8 and flags: V8 rejects it
// elsewhere and compiles from the source. Written atomically; a failure leaves no cache (reports still work).
import { renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { syntheticMapModel } from './map-model.mjs';

const dist = new URL('../dist/', import.meta.url);
const { setElkLoader } = await import(new URL('report/map/elk-loader.js', dist).href);
const { createElkCodeCache } = await import(new URL('report/map/layout.js', dist).href);
const { loadElk, ELK_CODE_CACHE } = await import(new URL('io/elk.js', dist).href);
const { renderExposureMap } = await import(new URL('report/svg-map.js', dist).href);

setElkLoader(() => loadElk(false)); // compile from source: the cache must not come from an older cache
for (const routes of [1000, 20]) renderExposureMap(syntheticMapModel(routes)); // aggregated, then detailed
const data = createElkCodeCache();
if (!data || data.length === 0) throw new Error('elk-code-cache: V8 gave no code cache for elkjs');
const out = fileURLToPath(ELK_CODE_CACHE);
writeFileSync(`${out}.tmp`, data);
renameSync(`${out}.tmp`, out);
