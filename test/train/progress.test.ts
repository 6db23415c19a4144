import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProgressBar } from '../../src/train/progress.js';

describe('progress bar', () => {
  it('redraws one line in place and clears it before other output', () => {
    const writes: string[] = [];
    const stream = { columns: 80, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    const bar = new ProgressBar(stream, 10);
    bar.update('Epoch 1/3', 47, 94, 'loss 0.5000');
    assert.equal(writes[0], '\r' + 'Epoch 1/3 █████░░░░░  50% 47/94 loss 0.5000' + '\x1b[K');
    bar.clear();
    assert.equal(writes[1], '\r\x1b[K');
    bar.clear();
    assert.equal(writes.length, 2, 'nothing to clear twice');
    const narrow = { columns: 20, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream;
    new ProgressBar(narrow, 10).update('Epoch 1/3', 94, 94, 'loss 0.1');
    assert.equal(writes[2], '\r' + 'Epoch 1/3 █████████' + '\x1b[K', 'cut to one less than the terminal width');
  });
});
