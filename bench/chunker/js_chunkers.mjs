// Times the JavaScript chunkers the bench compares against, on one file, with the same chunk
// size (characters) as the C++ run. Prints one JSON line per chunker.
// usage: node js_chunkers.mjs FILE CHUNK_SIZE OVERLAP NODE_MODULES_DIR
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [file, chunkSizeArg, overlapArg, modules] = process.argv.slice(2);
const chunkSize = Number(chunkSizeArg);
const overlap = Number(overlapArg);
const load = (name, entry) => import(pathToFileURL(path.join(modules, name, entry)).href);

const text = readFileSync(file, 'utf8');
const bytes = Buffer.byteLength(text, 'utf8');

async function measure(name, settings, run) {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const count = await run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  console.log(JSON.stringify({
    chunker: name, settings, bytes, chunks: count, seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6,
    gb_per_s: bytes / 1e9 / seconds, peak_rss_mib: process.resourceUsage().maxRSS / 1024,
  }));
}

const which = process.env.CHUNKERS ? process.env.CHUNKERS.split(',') : ['langchain', 'chonkie_recursive', 'chonkie_chunk'];

if (which.includes('langchain')) {
  const { RecursiveCharacterTextSplitter } = await load('@langchain/textsplitters', 'dist/index.js');
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize, chunkOverlap: overlap });
  await measure('@langchain/textsplitters RecursiveCharacterTextSplitter', `chunkSize ${chunkSize}, chunkOverlap ${overlap}`,
    async () => (await splitter.splitText(text)).length);
}
if (which.includes('chonkie_recursive')) {
  const { RecursiveChunker } = await load('@chonkiejs/core', 'dist/index.js');
  const chunker = await RecursiveChunker.create({ chunkSize });
  await measure('@chonkiejs/core RecursiveChunker', `chunkSize ${chunkSize} (no overlap option)`,
    async () => (await chunker.chunk(text)).length);
}
if (which.includes('chonkie_chunk')) {
  const { init, chunk_offsets } = await load('@chonkiejs/chunk', 'index.js');
  await init();
  // Sizes are bytes in this library; the same byte budget as chunk_size characters of ASCII.
  await measure('@chonkiejs/chunk chunk_offsets (WASM)', `size ${chunkSize} bytes, default delimiters`,
    async () => chunk_offsets(text, { size: chunkSize }).length);
}
