import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MessageBlockError, NeedsYamlError, parseMessageBlock } from './message.js';

const sha = `sha256:${'ab'.repeat(32)}`;

describe('parseMessageBlock', () => {
  it.each([
    ['helm v4 (blank line before the signature)', `apiVersion: v2\nname: mychart\nversion: 0.1.0\n\n...\nfiles:\n  mychart-0.1.0.tgz: ${sha}\n\n`],
    ['old helm (no blank line)', `apiVersion: v1\ndescription: Test chart versioning\nname: mychart\nversion: 0.1.0\n\n...\nfiles:\n  mychart-0.1.0.tgz: ${sha}\n`],
    ['quoted version', `name: 'mychart'\nversion: "0.1.0"\n\n...\nfiles:\n  mychart-0.1.0.tgz: ${sha}\n`],
    ['nested metadata', `annotations:\n  category: Database\nmaintainers:\n- name: x\n  version: 9.9.9\nname: mychart\nversion: 0.1.0\n\n...\nfiles:\n  mychart-0.1.0.tgz: ${sha}\n`],
  ])('reads %s without a YAML parser, and like the YAML parser', (_, text) => {
    const fast = parseMessageBlock(text);
    expect(fast).toEqual({ metadata: { name: 'mychart', version: '0.1.0' }, files: { 'mychart-0.1.0.tgz': sha } });
    const files = (parse(text.split('\n...\n')[1]!) as { files: object }).files;
    expect(fast.files).toEqual(files);
  });

  it.each([
    ['a flow map', `name: x\n...\nfiles: {x.tgz: "${sha}"}\n`],
    ['a comment', `name: x\n...\n# signed by me\nfiles:\n  x.tgz: ${sha}\n`],
    ['images too', `name: x\n...\nfiles:\n  x.tgz: ${sha}\nimages:\n  nginx:1: ${sha}\n`],
  ])('hands %s to the YAML parser', (_, text) => {
    expect(() => parseMessageBlock(text)).toThrow(NeedsYamlError);
    expect(parseMessageBlock(text, parse).files).toEqual({ 'x.tgz': sha });
  });

  it.each([
    ['no separator', `name: x\nfiles:\n  x.tgz: ${sha}\n`, 'message block must have at least two parts'],
    ['bad YAML after the separator', 'name: x\n...\nfiles: [\n', 'cannot parse the files section'],
  ])('refuses %s', (_, text, msg) => {
    expect(() => parseMessageBlock(text, parse)).toThrow(MessageBlockError);
    expect(() => parseMessageBlock(text, parse)).toThrow(msg);
  });
});
