// Bug: `--from - -` read stdin once; the second "-" became an empty source silently listed in the record.
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/collector/inputs.ts';
import { UsageError } from '../../src/errors.ts';

describe('regression: collect-stdin-twice', () => {
  it('rejects "-" given more than once, before reading anything', async () => {
    let reads = 0;
    const readStdin = async (): Promise<Uint8Array> => {
      reads++;
      return new TextEncoder().encode('apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n');
    };
    await expect(readInputs(['-', '-'], { cwd: '/', readStdin })).rejects.toThrow(UsageError);
    await expect(readInputs(['-', '-'], { cwd: '/', readStdin })).rejects.toThrow(/expected "-" \(stdin\) at most once among the inputs, found it 2 times/);
    expect(reads).toBe(0);
    const one = await readInputs(['-'], { cwd: '/', readStdin });
    expect(one.objects).toHaveLength(1);
  });
});
