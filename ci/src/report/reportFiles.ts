import fs from 'node:fs';
import path from 'node:path';

/** Files under the reports directory, found by walking it; paths are relative and use `/`. */
export class ReportFiles {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  exists(relativePath: string): boolean {
    return fs.existsSync(path.join(this.root, relativePath));
  }

  /** Every file under `dir` (recursively) whose name matches, sorted; [] when `dir` is missing. */
  find(dir: string, name: RegExp): string[] {
    const found: string[] = [];
    const walk = (relative: string): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(path.join(this.root, relative), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (entry.isDirectory()) walk(child);
        else if (name.test(entry.name)) found.push(child);
      }
    };
    walk(dir);
    return found.sort();
  }

  /** Immediate subdirectories of `dir`, sorted; [] when it is missing. */
  subdirectories(dir: string): string[] {
    try {
      return fs
        .readdirSync(path.join(this.root, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
    } catch {
      return [];
    }
  }

  readText(relativePath: string): string | undefined {
    try {
      return fs.readFileSync(path.join(this.root, relativePath), 'utf8');
    } catch {
      return undefined;
    }
  }

  readJson(relativePath: string): unknown {
    const text = this.readText(relativePath);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
}
