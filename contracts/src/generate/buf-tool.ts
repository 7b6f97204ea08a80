import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The buf binary the @bufbuild/buf package ships (a devDependency of this package). */
export function bufBinary(): string {
  return join(dirname(require.resolve('@bufbuild/buf/package.json')), 'bin', 'buf');
}

/** The ts-proto protoc plugin (run by `buf generate`). */
export function tsProtoPlugin(): string {
  return join(dirname(require.resolve('ts-proto/package.json')), 'protoc-gen-ts_proto');
}

export interface BufRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `buf <args>` in `cwd`; never rejects (a missing binary is exit 127). */
export function runBuf(args: readonly string[], cwd?: string): Promise<BufRun> {
  return new Promise((resolve) => {
    execFile(bufBinary(), args, { cwd, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
      resolve({ code, stdout, stderr: stderr || (error && code === 127 ? error.message : '') });
    });
  });
}
