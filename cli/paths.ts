/** Turns the paths a command was given into files: the one place that expands folders. */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError, EXIT } from './errors.js';

/**
 * Files stand for themselves, `-` for standard input, and a folder for the files directly inside
 * it whose names `isPolicyName` accepts (not below: sub-folders often hold tests or other YAML).
 * A file named twice, or named and inside a named folder, comes once. Misuse exits with status 2.
 */
export function expandPaths(paths: string[], isPolicyName: (name: string) => boolean, describe: string): string[] {
  const unique = new Map<string, string>();
  const add = (file: string) => {
    const key = file === '-' ? '-' : resolve(file);
    if (!unique.has(key)) unique.set(key, file);
  };
  for (const path of paths) {
    if (path === '-') {
      add(path);
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new CliError(`no such file or folder: ${path}`, EXIT.usage);
    }
    if (!isDirectory) {
      add(path);
      continue;
    }
    const found = readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isFile() && isPolicyName(entry.name))
      .map((entry) => join(path, entry.name))
      .sort();
    if (found.length === 0) throw new CliError(`no policy files (${describe}) in ${path}`, EXIT.usage);
    found.forEach(add);
  }
  return [...unique.values()];
}
