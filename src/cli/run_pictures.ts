import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Draws the run's pictures (`torchlit viz run`) in a child process: the renderer's WebAssembly
 * memory (about 90 MB, never returned) then goes away with it instead of staying in the training process.
 */
export function drawRunPictures(out: string, dataRoot: string): string[] {
  const cli = fileURLToPath(new URL('./main.js', import.meta.url));
  const r = spawnSync(process.execPath, [cli, 'viz', 'run', '--run', out, '--data', dataRoot], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0)
    throw new Error(
      `drawing the pictures of ${out} failed (exit code ${r.status}); the run itself is saved: redraw with torchlit viz run --run ${out}`,
    );
  return r.stdout.trim().split('\n');
}
