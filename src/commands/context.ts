/**
 * What every command needs from its surroundings: the environment, the clock, and reading the
 * files the user named with errors that say which file and what is wrong.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { InputError } from '../model/errors.js';

export interface Env {
  env: Record<string, string | undefined>;
  home: string;
  now: Date;
}

// os.homedir() reads HOME first too: node:os (a lazy built-in in the bundles) loads only without it
export const processEnv = (): Env => ({ env: process.env, home: process.env.HOME || homedir(), now: new Date() });

/** Reads a file the user named; `what` says what it is for ("chart", "keyring", …). */
export function readInput(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${path}: ${what} does not exist`, path);
    if (code === 'EISDIR') throw new InputError(`${path}: ${what} is a directory`, path);
    if (code === 'EACCES') throw new InputError(`${path}: cannot read ${what}: permission denied`, path);
    throw new InputError(`${path}: cannot read ${what}: ${(e as Error).message}`, path);
  }
}

export const exists = (p: string): boolean => {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
};

export const isDirectory = (p: string): boolean => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};
