import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** A testcontainers log consumer that appends a container's output to `<logDir>/<name>.log`. */
export function logToFile(logDir: string, name: string): (stream: Readable) => void {
  return (stream) => {
    const file = fs.createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
    stream.pipe(file);
    stream.once('error', () => file.end());
  };
}
