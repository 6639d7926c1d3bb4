/** Writing a report to the file named with -o, with errors that say which file and why. */
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../model/errors.js';
import { errnoText } from './exit.js';

export function writeOutputFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `the directory ${dirname(path)} does not exist` : errnoText(e as NodeJS.ErrnoException);
    throw new InputError(`${path}: cannot write the output: ${why}`, path);
  }
}
