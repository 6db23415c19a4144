#!/usr/bin/env node
// The torchlit command: train, eval, predict, compare, inspect, data.
import '../index.js';
import { UsageError } from './args.js';
import { commands } from './commands/index.js';
import { describeFsError } from '../util/fs_error.js';

const help = `usage: torchlit <command> [options]

commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(11)}${c.summary}`)
  .join('\n')}

Run torchlit <command> --help for its options.`;

// Output piped into a program that stops reading (`| head`) ends the command quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(help);
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new UsageError(`unknown command '${name}'; commands: ${Object.keys(commands).join(', ')}`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const err = e as Error;
    const command = process.argv[2] && Object.hasOwn(commands, process.argv[2]) ? ` ${process.argv[2]}` : '';
    if (err instanceof UsageError) {
      console.error(`torchlit${command}: ${err.message} (see torchlit${command} --help)`);
      process.exitCode = 2;
    } else {
      console.error(`torchlit${command}: ${describeFsError(err) ?? err?.message ?? err}`);
      if (process.env.TORCHLIT_DEBUG) console.error(err?.stack);
      process.exitCode = 1;
    }
  },
);
