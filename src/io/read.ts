/** Reading named input files for the CLI (I/O edge), with errors that say which file, for what, and why. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.ts';

const WHY: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  ELOOP: 'too many symbolic links',
};

/**
 * Reads `file` (relative to `cwd`) as bytes. `what` says what the file is for ("bundle", "trust file").
 * @throws InputError INPUT_UNREADABLE: `cannot read <what> "<file>": expected a readable file, found <why>`.
 */
export async function readInputFile(file: string, what: string, cwd: string): Promise<Uint8Array> {
  const path = isAbsolute(file) ? file : join(cwd, file);
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    const why = WHY[code] ?? (e as Error).message;
    throw new InputError('INPUT_UNREADABLE', `cannot read ${what} "${file}": expected a readable file, found ${why}${code && WHY[code] ? ` (${code})` : ''}`, { file, cause: e });
  }
}

/** readInputFile as UTF-8 text. */
export async function readInputText(file: string, what: string, cwd: string): Promise<string> {
  return new TextDecoder().decode(await readInputFile(file, what, cwd));
}
