import fs from 'node:fs';
import path from 'node:path';

/**
 * Which files a view shows: all of them, those written since a moment (this invocation's), or
 * those older than it (the history a working copy keeps from earlier runs).
 */
export type ReportView = { since?: undefined } | { since: Date; part: 'current' | 'history' };

/**
 * Files under the reports directory, found by walking it; paths are relative and use `/`. With a
 * `since` view, only the files modified since then (or only those before) can be seen at all.
 */
export class ReportFiles {
  readonly root: string;
  readonly view: ReportView;

  constructor(root: string, view: ReportView = {}) {
    this.root = root;
    this.view = view;
  }

  /** The same directory seen as its history: the files older than this view's `since`. */
  history(): ReportFiles | undefined {
    return this.view.since === undefined
      ? undefined
      : new ReportFiles(this.root, { since: this.view.since, part: 'history' });
  }

  /** When the file was last written, or undefined when it is missing. */
  modifiedAt(relativePath: string): Date | undefined {
    try {
      return fs.statSync(path.join(this.root, relativePath)).mtime;
    } catch {
      return undefined;
    }
  }

  #visible(relativePath: string): boolean {
    const view = this.view;
    if (view.since === undefined) return fs.existsSync(path.join(this.root, relativePath));
    const at = this.modifiedAt(relativePath);
    if (at === undefined) return false;
    return view.part === 'current' ? at >= view.since : at < view.since;
  }

  exists(relativePath: string): boolean {
    return this.#visible(relativePath);
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
        else if (name.test(entry.name) && this.#visible(child)) found.push(child);
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
    if (!this.#visible(relativePath)) return undefined;
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
