import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { GeneratedFile } from './format-output.ts';
import { runBuf, tsProtoPlugin } from './buf-tool.ts';

/**
 * ts-proto with grpc-js output: message codecs plus a typed `StockLevelServiceClient` and
 * `StockLevelServiceServer` for @grpc/grpc-js. `.ts` import suffixes because Node runs these
 * files as they are; numbers, not Longs, for 64-bit fields.
 */
const TS_PROTO_OPTIONS = [
  'outputServices=grpc-js',
  'esModuleInterop=true',
  'importSuffix=.ts',
  'env=node',
  'forceLong=number',
  'outputTypeRegistry=false',
];

/** Does the contracts folder have a buf module (`proto/buf.yaml`)? */
export async function hasProtoModule(protoDir: string): Promise<boolean> {
  const entries: string[] = await readdir(protoDir).catch(() => []);
  return entries.includes('buf.yaml');
}

/**
 * `buf generate` of the module in `protoDir` into a temporary folder; returns the files as they
 * belong under `outDir` (`harness/inventory/v1/stock_levels.ts`, `google/protobuf/any.ts`, ...).
 * A proto that does not compile throws with buf's message.
 */
export async function protoOutputs(protoDir: string, outDir: string): Promise<GeneratedFile[]> {
  const temp = await mkdtemp(join(tmpdir(), 'harness-proto-gen-'));
  try {
    const template = {
      version: 'v2',
      plugins: [{ local: tsProtoPlugin(), out: '.', opt: TS_PROTO_OPTIONS }],
    };
    const run = await runBuf(['generate', protoDir, '--template', JSON.stringify(template), '-o', temp]);
    if (run.code !== 0) throw new Error(`buf generate failed (exit ${run.code}): ${run.stderr.trim()}`);
    const entries = await readdir(temp, { recursive: true, withFileTypes: true });
    const files: GeneratedFile[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const source = join(entry.parentPath, entry.name);
      const path = join(outDir, relative(temp, source));
      files.push({ path, content: await readFile(source, 'utf8') });
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}
